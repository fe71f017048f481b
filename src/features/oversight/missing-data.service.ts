import type { Database, Queryable } from '../../db/connection.ts'
import { missingDataReminderEmail } from '../../email/pep-emails.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { schoolsMissingData } from '../../domain/oversight.ts'
import type { Term } from '../../domain/terms.ts'
import { paths } from '../../paths.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { placeIsLive } from '../../shared/child-access.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { raiseAlert } from '../../shared/tasks.ts'
import { readTermCohort } from './cohort.query.ts'

/*
 * Asking schools for the term's data (issue 19): for each school chosen, every child it has not
 * given this term's attendance or attainment for gets a tray alert to the designated teachers on
 * the child's access list (need-to-know: only they may read the child), each saying what is
 * missing; each teacher one email, which does not name a child. One transaction, each child's
 * request audited on its record; a chosen school with nothing missing any more refuses the
 * whole, so nobody is chased for data they have given.
 */

export type MissingDataRefusal =
  'oversight.missing-data.none-chosen' | 'oversight.missing-data.nothing-missing'

export interface MissingDataReminders {
  schools: number
  people: number
  /** Children with no designated teacher to ask. */
  nobody: number
}

function alertTitle(attendance: boolean, attainment: boolean): string {
  const what =
    attendance && attainment
      ? 'attendance and attainment'
      : attendance
        ? 'attendance'
        : 'attainment'
  return `The Virtual School asks for this child’s ${what} for this term`
}

/** The designated teachers on the child's access list, while their place and account are live. */
async function teachersOf(db: Queryable, childId: string) {
  return db
    .selectFrom('child_access as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['u.id', 'u.display_name as name', 'u.email'])
    .where('a.child_id', '=', childId)
    .where('a.capacity', '=', 'designated_teacher')
    .where('u.status', '=', 'active')
    .where(placeIsLive('a'))
    .orderBy('u.id')
    .execute()
}

export async function sendMissingDataReminders(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; term: Term; schoolIds: readonly string[]; baseUrl: string },
): Promise<Result<MissingDataReminders, MissingDataRefusal>> {
  const chosen = [...new Set(input.schoolIds)]
  if (chosen.length === 0) return refuse('oversight.missing-data.none-chosen')
  return db.transaction().execute(async (trx) => {
    const cohort = await readTermCohort(trx, input.authorityId, input.term, actor.today)
    const missing = new Map(schoolsMissingData(cohort.rows).map((s) => [s.schoolId, s]))
    if (chosen.some((id) => !missing.has(id)))
      return refuse('oversight.missing-data.nothing-missing')

    const emails = new Map<string, { email: string; name: string; count: number }>()
    let nobody = 0
    for (const schoolId of chosen) {
      const school = missing.get(schoolId)!
      const children = [...new Set([...school.noAttendance, ...school.noAttainment])].sort()
      for (const childId of children) {
        const attendance = school.noAttendance.includes(childId)
        const attainment = school.noAttainment.includes(childId)
        const teachers = await teachersOf(trx, childId)
        if (teachers.length === 0) nobody += 1
        for (const teacher of teachers) {
          await raiseAlert(trx, {
            authorityId: input.authorityId,
            childId,
            pepId: null,
            at: actor.now,
            kind: 'data-reminder',
            userId: teacher.id,
            title: alertTitle(attendance, attainment),
          })
          const sum = emails.get(teacher.id) ?? {
            email: teacher.email,
            name: teacher.name,
            count: 0,
          }
          sum.count += 1
          emails.set(teacher.id, sum)
        }
        await audit(trx, actor, {
          action: 'oversight.missing-data.remind',
          authorityId: input.authorityId,
          childId,
          details: {
            schoolId,
            missing: [...(attendance ? ['attendance'] : []), ...(attainment ? ['attainment'] : [])],
            to: teachers.map((t) => t.id),
          },
        })
      }
    }
    const url = `${input.baseUrl}${paths.trays.mine()}`
    for (const person of emails.values())
      await enqueueEmail(
        trx,
        missingDataReminderEmail({ to: person.email, name: person.name, count: person.count, url }),
        actor.now,
      )
    return ok({ schools: chosen.length, people: emails.size, nobody })
  })
}
