import type { Database } from '../../db/connection.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import type { GroupTray } from '../../shared/tasks.ts'
import {
  addTaskNote,
  dismissAlert,
  pickUpTask,
  reassignTask,
  releaseTask,
} from './trays.repository.ts'

/*
 * Working the trays: each change is one transaction with its task note and its audit event
 * (ADR 7). The routes check who may work the task and read the form; these say what happened.
 * A change that finds the task moved on (someone else picked it up, it was done) changes
 * nothing and answers `tray.moved-on`, so the page can say who has it now.
 */

/** The task being worked, as the route found it (its group tray is the user's). */
export interface TaskInHand {
  id: string
  childId: string
  authorityId: string
  group: GroupTray
}

export type TrayRefusal = 'tray.moved-on' | 'tray.alert-gone'

/** Marks one of my alerts read. */
export async function dismissMyAlert(
  db: Database,
  actor: PersonActor,
  taskId: string,
): Promise<Result<void, TrayRefusal>> {
  return db.transaction().execute(async (trx) => {
    const alert = await dismissAlert(trx, { taskId, userId: actor.userId, at: actor.now })
    if (!alert) return refuse('tray.alert-gone')
    await audit(trx, actor, {
      action: 'tray.alert.dismiss',
      childId: alert.childId,
      authorityId: alert.authorityId,
      details: { taskId },
    })
    return ok(undefined)
  })
}

/** Takes a task from the group tray into my own, if nobody has it yet. */
export async function pickUpGroupTask(
  db: Database,
  actor: PersonActor,
  task: TaskInHand,
): Promise<Result<void, TrayRefusal>> {
  return db.transaction().execute(async (trx) => {
    if (!(await pickUpTask(trx, { taskId: task.id, userId: actor.userId })))
      return refuse('tray.moved-on')
    await addTaskNote(trx, {
      taskId: task.id,
      kind: 'picked_up',
      byUserId: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'tray.task.pick-up',
      childId: task.childId,
      authorityId: task.authorityId,
      details: { taskId: task.id, group: task.group },
    })
    return ok(undefined)
  })
}

/** Gives a task I hold back to its group tray, with an optional comment. */
export async function releaseGroupTask(
  db: Database,
  actor: PersonActor,
  task: TaskInHand,
  comment: string | null,
): Promise<Result<void, TrayRefusal>> {
  return db.transaction().execute(async (trx) => {
    if (!(await releaseTask(trx, { taskId: task.id, userId: actor.userId })))
      return refuse('tray.moved-on')
    await addTaskNote(trx, {
      taskId: task.id,
      kind: 'released',
      byUserId: actor.userId,
      comment,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'tray.task.release',
      childId: task.childId,
      authorityId: task.authorityId,
      details: { taskId: task.id, group: task.group, withComment: comment !== null },
    })
    return ok(undefined)
  })
}

/** Hands a task (free, or held by me) to a colleague, with a comment for them. */
export async function reassignGroupTask(
  db: Database,
  actor: PersonActor,
  task: TaskInHand,
  to: { userId: string; comment: string },
): Promise<Result<void, TrayRefusal>> {
  return db.transaction().execute(async (trx) => {
    const done = await reassignTask(trx, {
      taskId: task.id,
      byUserId: actor.userId,
      toUserId: to.userId,
    })
    if (!done) return refuse('tray.moved-on')
    await addTaskNote(trx, {
      taskId: task.id,
      kind: 'reassigned',
      byUserId: actor.userId,
      toUserId: to.userId,
      comment: to.comment,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'tray.task.reassign',
      childId: task.childId,
      authorityId: task.authorityId,
      subjectUserId: to.userId,
      details: { taskId: task.id, group: task.group },
    })
    return ok(undefined)
  })
}

/*
 * What other features read of the trays (My work, on the home page): the service is the trays
 * feature's face to them; its repository stays its own (ADR 7).
 */
export { countMyGroupTrays, listMyTray } from './trays.repository.ts'
