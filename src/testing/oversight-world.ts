import { afterAll, beforeAll } from 'vitest'
import type { Updateable } from 'kysely'
import type { Database } from '../db/connection.ts'
import type { ChildTable } from '../db/schema.ts'
import type { Role } from '../domain/roles.ts'
import type { TestAgent } from './agent.ts'
import { demoHarrowfield, signedInOnce } from './demo-world.ts'
import { createTestApp, type TestContext } from './app.ts'
import {
  makeAuthority,
  makeChild,
  makeDelegation,
  makePep,
  makeSchool,
  makeUser,
} from './factories.ts'

/*
 * A small authority, Oakvale, whose Virtual School figures are worked out by hand, beside the
 * seeded demo (Harrowfield and Eastmere, whose children must never be counted in Oakvale's).
 * Today (TEST_NOW) is Monday 23 November 2026: the autumn term 2026, whose window (by default)
 * closes on 7 December; the summer term 2026 ended on 31 August, its window closed on 7 July.
 *
 * Autumn 2026 (cohort on 23 November: 10 children):
 *   Ada    Year 12 (KS5), PEP in progress, target date tomorrow (24 Nov): not overdue
 *   Ben    SEN support, PEP in progress, target date yesterday (22 Nov): past its target
 *   Cat    EHC plan, PEP in progress, target date today: not overdue
 *   Dan    no PEP
 *   Eve    signed off on 20 November, rated good, the young person took part
 *   Fay    with the school, its part due yesterday: the school's part overdue
 *   Gus    at a Harrowfield school (out of the area), waiting for quality assurance
 *   Hal    returned for improvement
 *   Ivy    ceased to be in care on 10 November: not in the autumn cohort, in the summer one
 *   Jo     entered care on 2 November, no school, no PEP: initial PEP due (meeting by 30 Nov)
 *   Kim    entered care on 1 October, no PEP: initial PEP late (meeting by 29 October)
 * Summer 2026 (cohort on 31 August: Ada to Ivy, 9 children): Ada signed off on 7 July (the
 * window's day: in time, outstanding), Ben on 8 July (a day late, requires improvement), nobody
 * else has a summer PEP.
 */

export const OAK_HEAD = 'oak.head@example.org'
export const OAK_CONSULTANT = 'oak.consultant@example.org'
export const OAK_SOCIAL_WORKER = 'oak.social.worker@example.org'
export const OAK_TEACHER = 'oak.teacher@example.org'

export interface OversightWorld {
  t: TestContext
  db: Database
  oakId: string
  harrowfieldId: string
  schoolId: string
  outOfAreaSchoolId: string
  childIds: Record<string, string>
  userIds: Record<string, string>
  agent(email: string): Promise<TestAgent>
  /** Changes an Oakfixture child's record (by first name) for a test's edge. */
  updateChild(name: string, values: Updateable<ChildTable>): Promise<void>
  close(): Promise<void>
}

interface ChildSpec {
  name: string
  dateOfBirth?: string
  enteredCareOn?: string
  ceasedOn?: string
  school?: 'oak' | 'harrowfield' | null
  sen?: 'none' | 'sen_support' | 'ehc_plan'
}

/**
 * Oakvale for a test file's tests: built before the first test, then `setUp` (the file's own
 * rows, worked out by hand beside Oakvale's), closed after the last. The world answered is filled
 * in by then, so a file writes `const w = useOversightWorld()` at its top and uses `w` in its tests.
 */
export function useOversightWorld(setUp?: (w: OversightWorld) => Promise<unknown>): OversightWorld {
  const world = {} as OversightWorld
  beforeAll(async () => {
    Object.assign(world, await oversightWorld())
    await setUp?.(world)
  })
  afterAll(async () => world.close?.())
  return world
}

export async function oversightWorld(): Promise<OversightWorld> {
  const t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  const at = t.clock.now()
  const { authorityId: harrowfieldId, schoolId: outOfAreaSchoolId } = await demoHarrowfield(db)
  const oakId = (await makeAuthority(db, { name: 'Oakvale', code: 'OAK' })).id
  const { schoolId } = await makeSchool(db, {
    authorityId: oakId,
    name: 'Oakvale Academy',
    type: 'academy',
    phase: 'secondary',
  })
  const { password_hash } = await db
    .selectFrom('app_user')
    .select('password_hash')
    .where('email', '=', 'vs.head@example.org')
    .executeTakeFirstOrThrow()
  const people: [string, string, Role][] = [
    [OAK_HEAD, 'Olive Head', 'vs_head'],
    [OAK_CONSULTANT, 'Owen Consultant', 'vs_consultant'],
    [OAK_SOCIAL_WORKER, 'Oona Social', 'social_worker'],
    [OAK_TEACHER, 'Otto Teacher', 'designated_teacher'],
  ]
  const userIds: Record<string, string> = {}
  for (const [email, name, role] of people) {
    const { id } = await makeUser(db, {
      email,
      displayName: name,
      passwordHash: password_hash,
      demoAccount: true,
      role,
      authorityId: oakId,
      schoolId: role === 'designated_teacher' ? schoolId : null,
    })
    userIds[email] = id
  }

  const childIds: Record<string, string> = {}
  async function child(spec: ChildSpec): Promise<string> {
    const school = spec.school === undefined ? 'oak' : spec.school
    const id = await makeChild(db, {
      authorityId: oakId,
      firstName: spec.name,
      lastName: 'Oakfixture',
      dateOfBirth: spec.dateOfBirth ?? '2012-10-15',
      caseReference: `OAK-${spec.name}`,
      enteredCareOn: spec.enteredCareOn ?? '2020-01-01',
      schoolId: school === 'oak' ? schoolId : school === 'harrowfield' ? outOfAreaSchoolId : null,
      senStatus: spec.sen ?? 'none',
      recordOwnerId: userIds[OAK_SOCIAL_WORKER]!,
      ...(spec.ceasedOn ? { status: 'ceased' as const, ceasedOn: spec.ceasedOn } : {}),
      access: [
        { userId: userIds[OAK_SOCIAL_WORKER]!, capacity: 'social_worker' },
        ...(school === 'oak'
          ? [{ userId: userIds[OAK_TEACHER]!, capacity: 'designated_teacher' as const }]
          : []),
      ],
    })
    childIds[spec.name] = id
    return id
  }

  interface PepSpec {
    term?: 'autumn' | 'summer'
    status?: 'in_progress' | 'awaiting_bso_check' | 'awaiting_qa' | 'signed_off'
    targetOn?: string
    meetingOn?: string
    signedOffAt?: string
    overall?: string
    participated?: 'yes' | 'no'
  }
  async function pep(childId: string, spec: PepSpec): Promise<string> {
    return makePep(db, {
      childId,
      term: spec.term === 'summer' ? { academicYear: 2025, name: 'summer' } : undefined,
      yearGroup: 'Y9',
      schoolId: null,
      state: spec.status ?? 'in_progress',
      startedOn: spec.term === 'summer' ? '2026-04-20' : '2026-09-10',
      meetingOn: spec.meetingOn ?? null,
      targetOn: spec.targetOn ?? null,
      createdBy: null,
      submittedAt: null,
      signedOffAt: spec.signedOffAt ? new Date(spec.signedOffAt) : null,
      signedOffBy: null,
      pages: spec.overall
        ? {
            'quality-assurance': {
              'qa-overall': spec.overall,
              'qa-young-person-participated': spec.participated ?? 'no',
              'qa-target-setting': spec.overall,
              'qa-transition': 'not_applicable',
            },
          }
        : undefined,
      at,
    })
  }

  const ada = await child({ name: 'Ada', dateOfBirth: '2010-05-01' })
  const ben = await child({ name: 'Ben', sen: 'sen_support' })
  const cat = await child({ name: 'Cat', sen: 'ehc_plan' })
  await child({ name: 'Dan' })
  const eve = await child({ name: 'Eve' })
  const fay = await child({ name: 'Fay' })
  const gus = await child({ name: 'Gus', school: 'harrowfield' })
  const hal = await child({ name: 'Hal' })
  await child({ name: 'Ivy', ceasedOn: '2026-11-10' })
  await child({ name: 'Jo', enteredCareOn: '2026-11-02', school: null })
  await child({ name: 'Kim', enteredCareOn: '2026-10-01' })

  await pep(ada, { targetOn: '2026-11-24' })
  await pep(ben, { targetOn: '2026-11-22' })
  await pep(cat, { targetOn: '2026-11-23' })
  await pep(eve, {
    status: 'signed_off',
    targetOn: '2026-11-19',
    signedOffAt: '2026-11-20T10:00:00Z',
    overall: 'good',
    participated: 'yes',
  })
  const fayPep = await pep(fay, {})
  await makeDelegation(db, {
    pepId: fayPep,
    to: userIds[OAK_TEACHER]!,
    by: userIds[OAK_SOCIAL_WORKER]!,
    dueOn: '2026-11-22',
    at,
  })
  await pep(gus, { status: 'awaiting_qa' })
  const halPep = await pep(hal, {})
  await db
    .insertInto('pep_event')
    .values([
      { pep_id: halPep, kind: 'submitted-to-vs', at: new Date('2026-11-10T10:00:00Z') },
      { pep_id: halPep, kind: 'returned-for-improvement', at: new Date('2026-11-12T10:00:00Z') },
    ])
    .execute()
  // Summer 2026: Ada on the window's day (late in the evening, still 7 July in England), Ben the day after.
  await pep(ada, {
    term: 'summer',
    status: 'signed_off',
    signedOffAt: '2026-07-07T22:30:00Z',
    overall: 'outstanding',
    participated: 'yes',
  })
  await pep(ben, {
    term: 'summer',
    status: 'signed_off',
    signedOffAt: '2026-07-08T09:00:00Z',
    overall: 'requires_improvement',
  })

  const agent = signedInOnce(t.app)

  return {
    t,
    db,
    oakId,
    harrowfieldId,
    schoolId,
    outOfAreaSchoolId,
    childIds,
    userIds,
    agent,
    updateChild: async (name, values) => {
      await db.updateTable('child').set(values).where('id', '=', childIds[name]!).execute()
    },
    close: () => t.close(),
  }
}
