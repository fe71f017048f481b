import { londonDate, type CalendarDate } from '../domain/calendar-date.ts'
import { termLabel, termOf, termStart, type Term } from '../domain/terms.ts'
import { addWorkingDays, isWorkingDay } from '../domain/working-days.ts'
import { loadAuthoritySettings } from '../shared/settings.ts'
import { yearGroupInTerm } from '../features/peps/start.service.ts'
import { socialWorkerOf } from '../features/peps/workflow.repository.ts'
import { raiseAlert, raiseTask } from '../shared/tasks.ts'
import {
  auditSystem,
  claimNotice,
  closureDaysOf,
  listAuthorities,
  type JobContext,
} from './job-context.ts'
import { childrenWithoutPep } from './children-without-pep.ts'

/*
 * The nightly check (01:00) for children in care with no PEP for the current term. From the
 * first working day of the term, each such child's social worker gets an alert in their tray,
 * once per child per term (the Virtual School consultants' group tray gets a task instead when
 * the child has no social worker). Children who have ceased to be in care, and children too
 * young or too old for a PEP that term, are skipped; so are authorities with reminders off.
 */

/** The first working day of the term: when a child without this term's PEP is worth an alert. */
export function firstWorkingDayOf(term: Term, closures?: ReadonlySet<CalendarDate>): CalendarDate {
  const start = termStart(term)
  return isWorkingDay(start, closures) ? start : addWorkingDays(start, 1, closures)
}

export async function checkNoPep({ db, now }: JobContext): Promise<number> {
  const today = londonDate(now)
  const term = termOf(today)
  const forDate = termStart(term)
  let alerted = 0
  for (const authority of await listAuthorities(db)) {
    const settings = await loadAuthoritySettings(db, authority.id)
    if (!settings.remindersOn) continue
    const closures = await closureDaysOf(db, authority.id)
    if (today < firstWorkingDayOf(term, closures)) continue
    const children = await childrenWithoutPep(db, authority.id, term, {
      noNotice: { kind: 'no-pep', forDate },
    })
    for (const child of children) {
      if (!yearGroupInTerm(child, term)) continue
      const done = await db.transaction().execute(async (trx) => {
        const fresh = await claimNotice(trx, {
          kind: 'no-pep',
          subjectId: child.id,
          forDate,
          authorityId: authority.id,
          at: now,
        })
        if (!fresh) return false
        const socialWorker = await socialWorkerOf(trx, child.id)
        const about = { authorityId: authority.id, childId: child.id, pepId: null, at: now }
        const title = `No PEP has been started for ${termLabel(term)}`
        if (socialWorker)
          await raiseAlert(trx, { ...about, kind: 'no-pep', userId: socialWorker.id, title })
        else
          await raiseTask(trx, {
            ...about,
            kind: 'no-pep',
            assignee: { group: 'vs_consultant' },
            title: `${title}, and the child has no social worker`,
          })
        await auditSystem(trx, {
          action: 'job.no-pep',
          at: now,
          authorityId: authority.id,
          childId: child.id,
          subjectUserId: socialWorker?.id ?? null,
          details: {
            term: `${term.academicYear}-${term.name}`,
            to: socialWorker?.id ?? 'vs_consultant',
          },
        })
        return true
      })
      if (done) alerted++
    }
  }
  return alerted
}
