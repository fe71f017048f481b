import { sql, type Expression, type SqlBool } from 'kysely'
import { childSeenByUser, placeIsLive, recordSeenByUser } from '../../shared/child-access.ts'
import { lastReviewOn } from '../../shared/cohort-filter.ts'
import type { Database, Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'
import type { TermName } from '../../db/schema.ts'
import type { Role } from '../../domain/roles.ts'
import type { GroupTray } from '../../shared/tasks.ts'
import type { CurrentUser } from '../../shared/users.ts'
import { groupAuthorities, groupsOf } from '../../shared/group-trays.ts'

/* Reading and working the trays: a person's own, and the group trays they share. */

/** What a tray shows of a task or alert, with its child and PEP. */
export interface TrayRow {
  id: string
  kind: string
  isAlert: boolean
  title: string
  groupRole: string | null
  authorityId: string
  dueOn: string | null
  createdAt: Date
  childId: string
  childFirstName: string
  childLastName: string
  pepId: string | null
  pepFormType: string | null
  pepAcademicYear: number | null
  pepTerm: TermName | null
  /** Whether the reader reaches the child's record, not only a PEP delegated to them (issue 15). */
  recordReachable?: boolean
}

const LIMIT = 500

/**
 * Need-to-know for a task in someone's tray (alias `t`): the rule of
 * src/shared/child-access.ts about the task's child. A task about a child they can no
 * longer see is not shown, so the child's name never is.
 */
function seenBy(userId: string, wholeAuthorityIds: readonly string[]): Expression<SqlBool> {
  return childSeenByUser(userId, wholeAuthorityIds, {
    id: 't.child_id',
    authorityId: 't.authority_id',
  })
}

/**
 * The number on the header: my open tasks and unread alerts that I may see. One query, on the
 * partial index task_user_open_idx, run as a prepared statement: every page asks it, and
 * planning it cost several times more than running it (src/db/prepared.ts). Its generic plan is
 * forced: on the county and national data PostgreSQL never chose it by itself (its estimate for
 * any user, 257.9, against 88.8 for one user's custom plan, though the plan is the same index
 * scan), so it planned every call afresh (0 generic plans, 8 custom, in pg_prepared_statements).
 * The plan is driven by the user's index whatever the values, so one plan serves every user.
 */
export async function countMyTray(
  db: Database,
  userId: string,
  wholeAuthorityIds: readonly string[],
): Promise<number> {
  const [row] = await executePrepared(db, myTrayCountQuery(db, userId, wholeAuthorityIds), {
    generic: true,
  })
  return Number(row!.n)
}

/**
 * The tray count's query (`npm run bench:tray-count` times it). The status is written into it,
 * not a parameter, so that the prepared statement's generic plan, made once for any user, can
 * use the partial index (`where status = 'open'`): with it a parameter, PostgreSQL kept
 * planning every run afresh.
 */
export function myTrayCountQuery(
  db: Queryable,
  userId: string,
  wholeAuthorityIds: readonly string[],
) {
  return db
    .selectFrom('task as t')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('t.assigned_to', '=', userId)
    .where('t.status', '=', sql.lit('open'))
    .where(seenBy(userId, wholeAuthorityIds))
}

/**
 * My open tasks and alerts about children I can no longer see: counted, never listed. Prepared
 * on its generic plan, as the tray count and my tray's list: at national size planning the
 * need-to-know rule took 2.3 ms and running it 0.2-0.4 (bench/page-statements.ts), and the plan
 * starts from my open tasks by index whoever I am, but PostgreSQL never chose the generic plan.
 */
export async function countHiddenMine(
  db: Queryable,
  userId: string,
  wholeAuthorityIds: readonly string[],
): Promise<number> {
  const [row] = await executePrepared(
    db,
    db
      .selectFrom('task as t')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('t.assigned_to', '=', userId)
      .where('t.status', '=', sql.lit('open'))
      .where((eb) => eb.not(seenBy(userId, wholeAuthorityIds))),
    { generic: true },
  )
  return Number(row!.n)
}

/** What a tray row shows: the task, its child and its PEP. */
const TRAY_COLUMNS = [
  't.id',
  't.kind',
  't.is_alert as isAlert',
  't.title',
  't.group_role as groupRole',
  't.authority_id as authorityId',
  't.due_on as dueOn',
  't.created_at as createdAt',
  't.child_id as childId',
  'c.first_name as childFirstName',
  'c.last_name as childLastName',
  't.pep_id as pepId',
  'p.form_type as pepFormType',
  'p.academic_year as pepAcademicYear',
  'p.term as pepTerm',
] as const

function trayQuery(db: Queryable) {
  return db
    .selectFrom('task as t')
    .innerJoin('child as c', 'c.id', 't.child_id')
    .leftJoin('pep as p', 'p.id', 't.pep_id')
    .select(TRAY_COLUMNS)
    .where('t.status', '=', sql.lit('open'))
}

/**
 * My tray: open tasks (soonest due first) and unread alerts (newest first). Prepared on its
 * generic plan, as the hidden count above (planning 3.2 ms, running 0.1-0.2 at national size).
 */
export async function listMyTray(
  db: Queryable,
  userId: string,
  wholeAuthorityIds: readonly string[],
): Promise<{ tasks: TrayRow[]; alerts: TrayRow[] }> {
  const query = trayQuery(db)
    .select(
      recordSeenByUser(userId, wholeAuthorityIds, {
        id: 't.child_id',
        authorityId: 't.authority_id',
      })
        .$castTo<boolean>()
        .as('recordReachable'),
    )
    .where('t.assigned_to', '=', userId)
    .where(seenBy(userId, wholeAuthorityIds))
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id')
    .limit(sql.lit(LIMIT))
  const rows: TrayRow[] = await executePrepared(db, query, { generic: true })
  const tasks = rows
    .filter((r) => !r.isAlert)
    .sort((a, b) => (a.dueOn ?? '9999-12-31').localeCompare(b.dueOn ?? '9999-12-31'))
  return { tasks, alerts: rows.filter((r) => r.isAlert) }
}

/** A group's open, unassigned tasks in these authorities, soonest due first. */
export async function listGroupTray(
  db: Queryable,
  group: GroupTray,
  authorityIds: readonly string[],
): Promise<TrayRow[]> {
  if (authorityIds.length === 0) return []
  return trayQuery(db)
    .where('t.assigned_to', 'is', null)
    .where('t.group_role', '=', group)
    .where('t.authority_id', 'in', [...authorityIds])
    .where('t.is_alert', '=', false)
    .orderBy((eb) => eb.fn.coalesce('t.due_on', eb.val('9999-12-31')))
    .orderBy('t.created_at')
    .orderBy('t.id')
    .limit(LIMIT)
    .execute()
}

/** Each group tray this user works, with how many tasks wait in it to be picked up. */
export async function countMyGroupTrays(
  db: Queryable,
  user: CurrentUser,
): Promise<{ group: GroupTray; count: number }[]> {
  return Promise.all(
    groupsOf(user).map(async (group) => ({
      group,
      count: await countGroupTray(db, group, groupAuthorities(user, group)),
    })),
  )
}

export async function countGroupTray(
  db: Queryable,
  group: GroupTray,
  authorityIds: readonly string[],
): Promise<number> {
  if (authorityIds.length === 0) return 0
  const row = await db
    .selectFrom('task as t')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('t.status', '=', 'open')
    .where('t.assigned_to', 'is', null)
    .where('t.group_role', '=', group)
    .where('t.authority_id', 'in', [...authorityIds])
    .where('t.is_alert', '=', false)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface TaskDetail extends TrayRow {
  status: 'open' | 'done'
  assignedTo: string | null
  assigneeName: string | null
  closedAt: Date | null
}

/** One task, whoever holds it: the caller decides whether the user may work it. */
export async function findTask(db: Queryable, taskId: string): Promise<TaskDetail | undefined> {
  return db
    .selectFrom('task as t')
    .innerJoin('child as c', 'c.id', 't.child_id')
    .leftJoin('pep as p', 'p.id', 't.pep_id')
    .leftJoin('app_user as u', 'u.id', 't.assigned_to')
    .select(TRAY_COLUMNS)
    .select([
      't.status',
      't.assigned_to as assignedTo',
      'u.display_name as assigneeName',
      't.closed_at as closedAt',
    ])
    .where('t.id', '=', taskId)
    .executeTakeFirst()
}

/**
 * Picks a group task up, only while nobody has: the condition is checked by the UPDATE itself,
 * so of two people picking up at once exactly one wins. False when someone else did.
 */
export async function pickUpTask(
  db: Queryable,
  task: { taskId: string; userId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('task')
    .set({ assigned_to: task.userId })
    .where('id', '=', task.taskId)
    .where('status', '=', 'open')
    .where('is_alert', '=', false)
    .where('group_role', 'is not', null)
    .where('assigned_to', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** Gives a task I hold back to its group tray. False when I no longer hold it, open. */
export async function releaseTask(
  db: Queryable,
  task: { taskId: string; userId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('task')
    .set({ assigned_to: null })
    .where('id', '=', task.taskId)
    .where('status', '=', 'open')
    .where('is_alert', '=', false)
    .where('group_role', 'is not', null)
    .where('assigned_to', '=', task.userId)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/**
 * Hands a group task to a colleague: only while it is unassigned or held by the one handing it
 * on. False when someone else picked it up or it was done meanwhile.
 */
export async function reassignTask(
  db: Queryable,
  task: { taskId: string; byUserId: string; toUserId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('task')
    .set({ assigned_to: task.toUserId })
    .where('id', '=', task.taskId)
    .where('status', '=', 'open')
    .where('is_alert', '=', false)
    .where('group_role', 'is not', null)
    .where((eb) => eb.or([eb('assigned_to', 'is', null), eb('assigned_to', '=', task.byUserId)]))
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export type TaskNoteKind = 'picked_up' | 'released' | 'reassigned'

export async function addTaskNote(
  db: Queryable,
  note: {
    taskId: string
    kind: TaskNoteKind
    byUserId: string
    toUserId?: string | null
    comment?: string | null
    at: Date
  },
): Promise<void> {
  await db
    .insertInto('task_note')
    .values({
      task_id: note.taskId,
      kind: note.kind,
      by_user: note.byUserId,
      to_user: note.toUserId ?? null,
      comment: note.comment ?? null,
      at: note.at,
    })
    .execute()
}

export interface TaskNoteRow {
  kind: string
  byName: string
  toName: string | null
  comment: string | null
  at: Date
}

/** Who picked a task up, released or reassigned it, and what they said: newest first. */
export async function listTaskNotes(db: Queryable, taskId: string): Promise<TaskNoteRow[]> {
  return db
    .selectFrom('task_note as n')
    .innerJoin('app_user as by', 'by.id', 'n.by_user')
    .leftJoin('app_user as to', 'to.id', 'n.to_user')
    .select([
      'n.kind',
      'by.display_name as byName',
      'to.display_name as toName',
      'n.comment',
      'n.at',
    ])
    .where('n.task_id', '=', taskId)
    .orderBy('n.at', 'desc')
    .orderBy('n.id')
    .limit(LIMIT)
    .execute()
}

/** Marks one of my unread alerts read. Undefined when it is not mine or already dismissed. */
export async function dismissAlert(
  db: Queryable,
  alert: { taskId: string; userId: string; at: Date },
): Promise<{ childId: string; authorityId: string } | undefined> {
  return db
    .updateTable('task')
    .set({ status: 'done', closed_at: alert.at, closed_by: alert.userId })
    .where('id', '=', alert.taskId)
    .where('assigned_to', '=', alert.userId)
    .where('is_alert', '=', true)
    .where('status', '=', 'open')
    .returning(['child_id as childId', 'authority_id as authorityId'])
    .executeTakeFirst()
}

export interface Colleague {
  id: string
  name: string
}

/** Active people of the authority holding one of these roles, but not `excluding`. */
export async function listColleagues(
  db: Queryable,
  query: { authorityId: string; roles: readonly Role[]; excluding: readonly string[] },
): Promise<Colleague[]> {
  let q = db
    .selectFrom('app_user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.display_name as name'])
    .distinct()
    .where('u.status', '=', 'active')
    .where('m.authority_id', '=', query.authorityId)
    .where('m.role', 'in', [...query.roles])
  if (query.excluding.length > 0) q = q.where('u.id', 'not in', [...query.excluding])
  return q.orderBy('u.display_name').orderBy('u.id').limit(LIMIT).execute()
}

/**
 * The children in care a user is the social worker of (their place live), with what their
 * statutory deadlines need: when they entered care (or will) and the last meeting held by today.
 */
export async function listMySocialWorkChildren(db: Queryable, userId: string, today: string) {
  const query = db
    .selectFrom('child_access as ca')
    .innerJoin('child as c', 'c.id', 'ca.child_id')
    .select([
      'c.id',
      'c.authority_id as authorityId',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.entered_care_on as enteredCareOn',
      lastReviewOn('c.id', today).as('lastMeetingOn'),
    ])
    .where('ca.user_id', '=', userId)
    .where('ca.capacity', '=', 'social_worker')
    .where(placeIsLive('ca'))
    .where('c.status', '=', 'in_care')
    .orderBy('c.last_name')
    .orderBy('c.first_name')
    .orderBy('c.id')
    .limit(sql.lit(LIMIT))
  return executePrepared(db, query)
}
