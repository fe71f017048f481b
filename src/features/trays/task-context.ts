import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import type { GroupTray } from '../../shared/tasks.ts'
import { groupAuthorities, isGroupTray } from '../../shared/group-trays.ts'
import { findTask, type TaskDetail } from './trays.repository.ts'
import type { TaskInHand } from './trays.service.ts'

/** A group task the user works, with the group tray it is in. */
export interface GroupTask {
  task: TaskDetail
  group: GroupTray
}

declare module 'fastify' {
  interface FastifyRequest {
    /** On a group task's pages (`:taskId`): the task, once proven to be in a tray the user works. */
    groupTask: GroupTask | null
  }
}

export const notFound = (reply: FastifyReply) => reply.notFound()

/** Lets the task routes carry the task their URL names (once, where they are registered). */
export function decorateGroupTask(app: FastifyInstance): void {
  app.decorateRequest('groupTask', null)
}

/**
 * The pre-handler of every page about one group task: the task the URL names, if this user
 * works its group tray in its authority. Anyone else gets "not found", and a refusal is recorded
 * when the task exists.
 */
export const loadGroupTask =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { taskId } = request.params as { taskId: string }
    const task = isUuid(taskId) ? await findTask(db, taskId) : undefined
    const group = task?.groupRole
    if (
      task &&
      !task.isAlert &&
      isGroupTray(group) &&
      groupAuthorities(request.user!, group).includes(task.authorityId)
    ) {
      request.groupTask = { task, group }
      return
    }
    if (task)
      await request.audit({
        action: 'access.denied',
        outcome: 'denied',
        details: { action: 'tray.group', taskId },
      })
    return notFound(reply)
  }

/** The group task the pre-handler loaded. */
export const groupTaskOf = (request: FastifyRequest): GroupTask => request.groupTask!

/** What the service needs of the task the route found. */
export function inHand({ task, group }: GroupTask): TaskInHand {
  return { id: task.id, childId: task.childId, authorityId: task.authorityId, group }
}
