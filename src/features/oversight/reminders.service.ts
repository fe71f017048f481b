import type { Database, Queryable } from '../../db/connection.ts'
import { overdueReminderEmail } from '../../email/pep-emails.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { overdueKinds, type OverdueKind } from '../../domain/oversight.ts'
import type { Term } from '../../domain/terms.ts'
import { paths } from '../../paths.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { socialWorkerOf } from '../peps/workflow.service.ts'
import { raiseAlert } from '../../shared/tasks.ts'
import { readTermCohort } from './cohort.query.ts'

/*
 * Reminders from the overdue list (ADR 11): for each child chosen, the people responsible get a
 * tray alert saying what is overdue, and each person one email however many children it is about
 * (email never names a child). The social worker owns the PEP; the teacher holding the school's
 * part is reminded too when that part is overdue. One transaction, each child's reminder audited
 * on its record; a child no longer overdue when it is sent refuses the whole, so nobody is chased
 * for work already done.
 */

export type ReminderRefusal = 'oversight.remind.none-chosen' | 'oversight.remind.not-overdue'

export interface RemindersSent {
  children: number
  people: number
  /** Children with nobody responsible to remind (no social worker with access, no school holder). */
  nobody: number
}

/** The alert's words: for the social worker, the first way the PEP is late; for the school, its part. */
function alertTitle(forSchool: boolean, kinds: readonly OverdueKind[]): string {
  if (forSchool)
    return 'The Virtual School asks you to send the school’s part of this PEP: it is overdue'
  if (kinds.includes('past_target'))
    return 'The Virtual School asks you to complete this PEP: it is past its target date'
  if (kinds.includes('past_window'))
    return 'The Virtual School asks you to complete this PEP: the term’s window has closed'
  return 'The Virtual School asks you to follow up the school’s part of this PEP: it is overdue'
}

/** The teacher holding the school's part while it is delegated, while their account is active. */
async function schoolHolder(db: Queryable, pepId: string) {
  return db
    .selectFrom('pep_delegation as d')
    .innerJoin('app_user as u', 'u.id', 'd.delegated_to')
    .select(['u.id', 'u.display_name as name', 'u.email'])
    .where('d.pep_id', '=', pepId)
    .where('d.status', '=', 'delegated')
    .where('d.part_of', 'is', null)
    .where('u.status', '=', 'active')
    .executeTakeFirst()
}

export async function sendOverdueReminders(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; term: Term; childIds: readonly string[]; baseUrl: string },
): Promise<Result<RemindersSent, ReminderRefusal>> {
  const chosen = [...new Set(input.childIds)]
  if (chosen.length === 0) return refuse('oversight.remind.none-chosen')
  return db.transaction().execute(async (trx) => {
    const cohort = await readTermCohort(trx, input.authorityId, input.term, actor.today)
    const byId = new Map(cohort.rows.map((r) => [r.childId, r]))
    const late = chosen.map((id) => {
      const row = byId.get(id)
      return { id, row, kinds: row ? overdueKinds(row, cohort.frame) : [] }
    })
    if (late.some((c) => c.kinds.length === 0)) return refuse('oversight.remind.not-overdue')

    const emails = new Map<string, { email: string; name: string; count: number }>()
    let nobody = 0
    for (const { id, row, kinds } of late) {
      const pepId = row!.pep?.id ?? null
      const people: { id: string; name: string; email: string; title: string }[] = []
      const socialWorker = await socialWorkerOf(trx, id)
      if (socialWorker) people.push({ ...socialWorker, title: alertTitle(false, kinds) })
      if (pepId && kinds.includes('school_overdue')) {
        const holder = await schoolHolder(trx, pepId)
        if (holder && holder.id !== socialWorker?.id)
          people.push({ ...holder, title: alertTitle(true, kinds) })
      }
      if (people.length === 0) nobody += 1
      for (const person of people) {
        await raiseAlert(trx, {
          authorityId: input.authorityId,
          childId: id,
          pepId,
          at: actor.now,
          kind: 'overdue-reminder',
          userId: person.id,
          title: person.title,
        })
        const sum = emails.get(person.id) ?? { email: person.email, name: person.name, count: 0 }
        sum.count += 1
        emails.set(person.id, sum)
      }
      await audit(trx, actor, {
        action: 'oversight.remind',
        authorityId: input.authorityId,
        childId: id,
        details: { overdue: kinds, to: people.map((p) => p.id), pepId },
      })
    }
    const url = `${input.baseUrl}${paths.trays.mine()}`
    for (const person of emails.values())
      await enqueueEmail(
        trx,
        overdueReminderEmail({ to: person.email, name: person.name, count: person.count, url }),
        actor.now,
      )
    return ok({ children: chosen.length - nobody, people: emails.size, nobody })
  })
}
