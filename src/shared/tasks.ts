import type { Queryable } from '../db/connection.ts'
import { columnsOf, unnestRows } from '../db/unnest.ts'

/*
 * Tasks and alerts in work trays. A task asks someone, or a group tray, to do something and
 * closes itself when the work is done (closeTasks, called by the change that does it); an alert
 * only tells someone something and closes when they dismiss it.
 */

export const GROUP_TRAYS = ['business_support', 'vs_consultant'] as const
export type GroupTray = (typeof GROUP_TRAYS)[number]

export type Assignee = { userId: string } | { group: GroupTray }

export const TASK_KINDS = {
  'complete-school-sections': 'Complete the school’s sections of the PEP',
  'check-contribution': 'Check the school’s contribution',
  'amendments-requested': 'Make the amendments asked for',
  'bso-check': 'Check the PEP before quality assurance',
  'quality-assure': 'Quality assure the PEP',
  'contribution-returned': 'The school sent its contribution',
  'delegation-retracted': 'A delegation to you was retracted',
  'signed-off': 'A PEP was signed off',
  'meeting-today': 'A PEP meeting is today',
  'due-soon': 'The school’s sections of a PEP are due soon',
  overdue: 'The school’s sections of a PEP are overdue',
  'no-pep': 'A child has no PEP for this term',
  'pep-not-moved': 'Last term’s PEP was not completed and could not move',
  'set-up-next-pep': 'Set up next term’s PEP',
  'virtual-school-page': 'Complete a page of a PEP that only the Virtual School can',
  'overdue-reminder': 'The Virtual School sent a reminder about an overdue PEP',
  'exclusion-recorded': 'A child in care was excluded',
  'attendance-below': 'Attendance fell below the authority’s line',
  'data-reminder': 'The Virtual School asked for this term’s attendance or attainment',
  'views-sent': 'Views were sent for a PEP',
} as const
export type TaskKind = keyof typeof TASK_KINDS

interface TaskAbout {
  authorityId: string
  childId: string
  pepId: string | null
  at: Date
  /** For an alarm about a period: its last day, by which the task closes (closeChildTasks). */
  aboutDate?: string | null
}

export async function raiseTask(
  db: Queryable,
  task: TaskAbout & { kind: TaskKind; assignee: Assignee; title: string; dueOn?: string | null },
): Promise<string> {
  const row = await db
    .insertInto('task')
    .values({
      kind: task.kind,
      authority_id: task.authorityId,
      child_id: task.childId,
      pep_id: task.pepId,
      assigned_to: 'userId' in task.assignee ? task.assignee.userId : null,
      group_role: 'group' in task.assignee ? task.assignee.group : null,
      title: task.title,
      due_on: task.dueOn ?? null,
      created_at: task.at,
      about_date: task.aboutDate ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function raiseAlert(
  db: Queryable,
  alert: TaskAbout & { kind: TaskKind; userId: string; title: string },
): Promise<void> {
  await db
    .insertInto('task')
    .values({
      kind: alert.kind,
      is_alert: true,
      authority_id: alert.authorityId,
      child_id: alert.childId,
      pep_id: alert.pepId,
      assigned_to: alert.userId,
      title: alert.title,
      created_at: alert.at,
      about_date: alert.aboutDate ?? null,
    })
    .execute()
}

/** A task or an alert, as raiseTask or raiseAlert takes it, for raising many at once. */
export type TaskOrAlert = TaskAbout & { kind: TaskKind; title: string } & (
    { alertTo: string } | { assignee: Assignee }
  )

/**
 * Raises many tasks and alerts, each as raiseTask or raiseAlert would, in one statement (the
 * rows sent as arrays and unnested, src/db/unnest.ts) rather than one each (an import's alarms).
 */
export async function raiseMany(db: Queryable, items: readonly TaskOrAlert[]): Promise<void> {
  if (items.length === 0) return
  await db
    .insertInto('task')
    .columns(columnsOf(RAISED))
    .expression(
      unnestRows(
        RAISED,
        items.map((item) => ({
          kind: item.kind,
          is_alert: 'alertTo' in item,
          authority_id: item.authorityId,
          child_id: item.childId,
          pep_id: item.pepId,
          assigned_to:
            'alertTo' in item
              ? item.alertTo
              : 'userId' in item.assignee
                ? item.assignee.userId
                : null,
          group_role: 'assignee' in item && 'group' in item.assignee ? item.assignee.group : null,
          title: item.title,
          due_on: null,
          created_at: item.at,
          about_date: item.aboutDate ?? null,
        })),
      ),
    )
    .execute()
}

const RAISED = {
  kind: 'text',
  is_alert: 'boolean',
  authority_id: 'uuid',
  child_id: 'uuid',
  pep_id: 'uuid',
  assigned_to: 'uuid',
  group_role: 'text',
  title: 'text',
  due_on: 'date',
  created_at: 'timestamptz',
  about_date: 'date',
} as const

/** Closes a PEP's open tasks of these kinds (all kinds when none are given): the work is done. */
export async function closeTasks(
  db: Queryable,
  close: {
    pepId: string
    kinds?: readonly TaskKind[]
    /** Only this person's tasks (else everyone's). */
    assignedTo?: string
    by: string
    at: Date
  },
): Promise<void> {
  let query = db
    .updateTable('task')
    .set({ status: 'done', closed_at: close.at, closed_by: close.by })
    .where('pep_id', '=', close.pepId)
    .where('status', '=', 'open')
    .where('is_alert', '=', false)
  if (close.kinds) query = query.where('kind', 'in', [...close.kinds])
  if (close.assignedTo) query = query.where('assigned_to', '=', close.assignedTo)
  await query.execute()
}

/**
 * Closes children's open tasks of one kind about given days (an alarm's task names the period
 * it is about by its last day): the condition that raised them has cleared. Alerts stay until
 * dismissed. Returns how many it closed.
 */
export async function closeChildTasks(
  db: Queryable,
  close: {
    kind: TaskKind
    about: readonly { childId: string; aboutDate: string }[]
    by: string | null
    at: Date
  },
): Promise<number> {
  let closed = 0
  for (let i = 0; i < close.about.length; i += 1000) {
    const batch = close.about.slice(i, i + 1000)
    const result = await db
      .updateTable('task')
      .set({ status: 'done', closed_at: close.at, closed_by: close.by })
      .where('kind', '=', close.kind)
      .where('status', '=', 'open')
      .where('is_alert', '=', false)
      .where((eb) =>
        eb.or(
          batch.map((a) =>
            eb.and([eb('child_id', '=', a.childId), eb('about_date', '=', a.aboutDate)]),
          ),
        ),
      )
      .executeTakeFirst()
    closed += Number(result.numUpdatedRows)
  }
  return closed
}

/**
 * Moves a child's open tasks of a kind from one `about_date` to another: the thing they are
 * about (an exclusion's first day) was corrected, and later changes must still find them.
 */
export async function moveChildTasks(
  db: Queryable,
  move: { kind: TaskKind; childId: string; from: string; to: string },
): Promise<void> {
  if (move.from === move.to) return
  await db
    .updateTable('task')
    .set({ about_date: move.to })
    .where('kind', '=', move.kind)
    .where('child_id', '=', move.childId)
    .where('about_date', '=', move.from)
    .where('status', '=', 'open')
    .execute()
}
