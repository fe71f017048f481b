import { sql } from 'kysely'
import { enqueueEmail } from '../email/outbox.repository.ts'
import { reminderEmail } from '../email/pep-emails.ts'
import { londonDate } from '../domain/calendar-date.ts'
import { remindersDue, type ReminderKind } from '../domain/reminders.ts'
import { formatDate } from '../views/format.ts'
import { paths } from '../paths.ts'
import { loadAuthoritySettings } from '../shared/settings.ts'
import { socialWorkerOf } from '../features/peps/workflow.repository.ts'
import { raiseAlert, raiseTask } from '../shared/tasks.ts'
import { queueWebhookEvent } from '../shared/webhooks.ts'
import {
  auditSystem,
  claimNotice,
  closureDaysOf,
  listAuthorities,
  type JobContext,
} from './job-context.ts'

/*
 * The daily reminders (06:00): for every live delegation (the school's sections delegated and not
 * yet sent), a tray alert and an email to the designated teacher on the meeting day and before the
 * due date; when the contribution is overdue, an alert and email to the social worker and then a
 * task in the Virtual School consultants' group tray. Authorities with reminders switched off get
 * none. Each reminder is one transaction with its `scheduled_notice` row, so it happens once.
 */

export type ReminderCounts = Record<ReminderKind, number>

export async function sendReminders(
  context: JobContext & { baseUrl: string },
): Promise<ReminderCounts> {
  const { db, now, baseUrl } = context
  const today = londonDate(now)
  const counts: ReminderCounts = {
    'meeting-today': 0,
    'due-soon': 0,
    'escalate-to-social-worker': 0,
    'escalate-to-virtual-school': 0,
  }
  const url = `${baseUrl}${paths.trays.mine()}`
  for (const authority of await listAuthorities(db)) {
    const settings = await loadAuthoritySettings(db, authority.id)
    if (!settings.remindersOn) continue
    const closures = await closureDaysOf(db, authority.id)
    const delegations = await db
      .selectFrom('pep_delegation as d')
      .innerJoin('pep as p', 'p.id', 'd.pep_id')
      .innerJoin('child as c', 'c.id', 'p.child_id')
      .innerJoin('app_user as u', 'u.id', 'd.delegated_to')
      .select([
        'd.id',
        'd.pep_id as pepId',
        'd.due_on as dueOn',
        'd.delegated_to as teacherId',
        'u.email as teacherEmail',
        'u.display_name as teacherName',
        'u.status as teacherStatus',
        'p.meeting_on as meetingOn',
        'p.started_on as pepStartedOn',
        'p.child_id as childId',
      ])
      .where('p.authority_id', '=', authority.id)
      .where('d.status', '=', 'delegated')
      // The teacher holding the school's part is reminded (and escalated), once a PEP: a
      // colleague's part of it (issue 15) is theirs to follow up.
      .where('d.part_of', 'is', null)
      .where('p.status', '!=', 'signed_off')
      .where('c.status', '=', 'in_care')
      .orderBy('d.due_on')
      .execute()
    for (const d of delegations) {
      for (const reminder of remindersDue(d, today, settings, closures)) {
        const sent = await db.transaction().execute(async (trx) => {
          const fresh = await claimNotice(trx, {
            kind: reminder.kind,
            subjectId: d.id,
            forDate: reminder.forDate,
            authorityId: authority.id,
            at: now,
            details: { pepId: d.pepId },
          })
          if (!fresh) return false
          const about = { authorityId: authority.id, childId: d.childId, pepId: d.pepId, at: now }
          const due = formatDate(d.dueOn)
          let to: { id: string; email: string; name: string } | undefined
          if (reminder.kind === 'meeting-today' || reminder.kind === 'due-soon') {
            if (d.teacherStatus === 'active')
              to = { id: d.teacherId, email: d.teacherEmail, name: d.teacherName }
          } else if (reminder.kind === 'escalate-to-social-worker') {
            to = await socialWorkerOf(trx, d.childId)
          }
          if (reminder.kind.startsWith('escalate'))
            await queuePepOverdue(trx, { ...about, startedOn: d.pepStartedOn })
          if (reminder.kind === 'escalate-to-virtual-school') {
            await raiseTask(trx, {
              ...about,
              kind: 'overdue',
              assignee: { group: 'vs_consultant' },
              title: `Follow up the school’s overdue sections of the PEP (due ${due})`,
              dueOn: null,
            })
          } else if (to) {
            await raiseAlert(trx, {
              ...about,
              kind: reminder.kind === 'escalate-to-social-worker' ? 'overdue' : reminder.kind,
              userId: to.id,
              title:
                reminder.kind === 'meeting-today'
                  ? `The PEP meeting is today: the school’s sections are due ${due}`
                  : reminder.kind === 'due-soon'
                    ? `The school’s sections of the PEP are due ${due}`
                    : `The school’s sections of the PEP are overdue (due ${due})`,
            })
            await enqueueEmail(
              trx,
              reminderEmail({
                to: to.email,
                name: to.name,
                kind: reminder.kind,
                dueOn: d.dueOn,
                url,
              }),
              now,
              { childId: d.childId },
            )
          }
          await auditSystem(trx, {
            action: reminder.kind.startsWith('escalate') ? 'job.escalation' : 'job.reminder',
            at: now,
            authorityId: authority.id,
            childId: d.childId,
            subjectUserId: to?.id ?? null,
            details: {
              pepId: d.pepId,
              delegationId: d.id,
              kind: reminder.kind,
              forDate: reminder.forDate,
              dueOn: d.dueOn,
              to:
                reminder.kind === 'escalate-to-virtual-school' ? 'vs_consultant' : (to?.id ?? null),
            },
          })
          return true
        })
        if (sent) counts[reminder.kind]++
      }
    }
  }
  await closeSettledOverdueTasks(context)
  return counts
}

/**
 * The `pep.overdue` webhook event (issue 22, ADR 12), with the first overdue escalation of the
 * PEP: once per PEP (its own notice, keyed by the PEP and the day it started), however often the
 * job runs and however many times its school part is delegated and escalated. Ids only.
 */
async function queuePepOverdue(
  trx: Parameters<typeof claimNotice>[0],
  pep: { authorityId: string; childId: string; pepId: string; startedOn: string; at: Date },
): Promise<void> {
  const fresh = await claimNotice(trx, {
    kind: 'webhook-pep-overdue',
    subjectId: pep.pepId,
    forDate: pep.startedOn,
    authorityId: pep.authorityId,
    at: pep.at,
  })
  if (fresh)
    await queueWebhookEvent(trx, {
      authorityId: pep.authorityId,
      type: 'pep.overdue',
      childId: pep.childId,
      pepId: pep.pepId,
      at: pep.at,
    })
}

/**
 * The Virtual School's overdue tasks close by themselves once nothing is overdue any more: the
 * school sent its part, or the delegation was retracted.
 */
export async function closeSettledOverdueTasks({ db, now }: JobContext): Promise<void> {
  await db
    .updateTable('task')
    .set({ status: 'done', closed_at: now })
    .where('kind', '=', 'overdue')
    .where('status', '=', 'open')
    .where('is_alert', '=', false)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pep_delegation as d')
            .select(sql`1`.as('one'))
            .whereRef('d.pep_id', '=', 'task.pep_id')
            .where('d.status', '=', 'delegated'),
        ),
      ),
    )
    .execute()
}
