import type { Queryable } from '../../src/db/connection.ts'
import type { CalendarDate } from '../../src/domain/calendar-date.ts'
import type { Role } from '../../src/domain/roles.ts'
import { makeChild } from '../../src/testing/factories.ts'

/** The demo's people by role, as the browser journeys sign in. */
export const DEMO = {
  admin: 'vs.admin@example.org',
  head: 'vs.head@example.org',
  consultant: 'vs.consultant@example.org',
  businessSupport: 'business.support@example.org',
  socialWorker: 'social.worker@example.org',
  designatedTeacher: 'designated.teacher@example.org',
  designatedPerson: 'designated.person@example.org',
  carer: 'carer@example.org',
  youngPerson: 'young.person@example.org',
} as const

/** A demo person's id, by email address. */
export async function demoUserId(db: Queryable, email: string): Promise<string> {
  const user = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return user.id
}

/** Harrowfield's id. */
export async function demoAuthorityId(db: Queryable): Promise<string> {
  const authority = await db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  return authority.id
}

/** Kingsmead's id (URN 990002), the demo designated teacher's school. */
export async function kingsmeadId(db: Queryable): Promise<string> {
  const school = await db
    .selectFrom('school')
    .select('id')
    .where('urn', '=', '990002')
    .executeTakeFirstOrThrow()
  return school.id
}

export interface DemoChild {
  firstName: string
  lastName: string
  caseReference?: string
  /** Who is on the child's list, by email address, and in what capacity. */
  access: readonly (readonly [email: string, capacity: Role])[]
  dateOfBirth?: CalendarDate
  enteredCareOn?: CalendarDate
  /** At Kingsmead unless told (null: no school). */
  schoolId?: string | null
  /** The social worker unless told. */
  recordOwner?: string
}

/** A Harrowfield child (Year 9, at Kingsmead) for one journey, on the lists of the people given. */
export async function newDemoChild(db: Queryable, child: DemoChild): Promise<string> {
  const access = await Promise.all(
    child.access.map(async ([email, capacity]) => ({
      userId: await demoUserId(db, email),
      capacity,
    })),
  )
  return makeChild(db, {
    authorityId: await demoAuthorityId(db),
    schoolId: child.schoolId === undefined ? await kingsmeadId(db) : child.schoolId,
    firstName: child.firstName,
    lastName: child.lastName,
    caseReference: child.caseReference,
    dateOfBirth: child.dateOfBirth ?? '2012-10-15',
    enteredCareOn: child.enteredCareOn,
    recordOwnerId: await demoUserId(db, child.recordOwner ?? DEMO.socialWorker),
    access,
  })
}

/** A demo child by name (Charlie Young, the demo young person's own record). */
export async function demoChild(db: Queryable, firstName: string, lastName: string) {
  return db
    .selectFrom('child')
    .select(['id', 'authority_id', 'school_id'])
    .where('first_name', '=', firstName)
    .where('last_name', '=', lastName)
    .executeTakeFirstOrThrow()
}
