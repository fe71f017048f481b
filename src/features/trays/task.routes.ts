import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import type { GroupTray } from '../../shared/tasks.ts'
import { formatDate } from '../../views/format.ts'
import { findChildForUser } from '../../shared/child-access.ts'
import type { Database } from '../../db/connection.ts'
import type { CurrentUser } from '../../shared/users.ts'
import { GROUP_NAMES, GROUP_ROLES, groupSlug } from '../../shared/group-trays.ts'
import type { TraysRouteOptions } from './routes.ts'
import { groupTaskOf, inHand, loadGroupTask, type GroupTask } from './task-context.ts'
import { COMMENT_MAX_LENGTH, readReassignForm, readReleaseForm } from './trays.form.ts'
import {
  TASK_GONE,
  holderText,
  movedOnText,
  pickedUpText,
  reassignedText,
  releasedText,
  taskNoteItem,
  trayItem,
} from './trays.presenter.ts'
import { findTask, listColleagues, listTaskNotes, type TaskDetail } from './trays.repository.ts'
import { pickUpGroupTask, reassignGroupTask, releaseGroupTask } from './trays.service.ts'

type TaskParams = { taskId: string }
type ReleaseBody = { comment?: unknown }
type ReassignBody = { person?: unknown; comment?: unknown }

interface TaskForms {
  release?: { values: { comment: string }; errors?: FormErrors }
  reassign?: { values: { person: string; comment: string }; errors?: FormErrors }
  status?: number
}

/** Whether this person opens the child's record, not only a PEP delegated to them. */
async function opensRecord(db: Database, childId: string, user: CurrentUser) {
  const grant = await findChildForUser(db, childId, user)
  return grant !== undefined && grant.delegatedPeps === undefined
}

/** A group task's page, and picking it up, releasing it and handing it on. */
export const taskRoutes: FastifyPluginAsync<TraysRouteOptions> = async (app, { db, clock }) => {
  const preHandler = loadGroupTask(db)

  async function colleaguesFor(task: TaskDetail, group: GroupTray, userId: string) {
    return listColleagues(db, {
      authorityId: task.authorityId,
      roles: GROUP_ROLES[group],
      excluding: [userId],
    })
  }

  async function renderTask(request: FastifyRequest, reply: FastifyReply, forms: TaskForms = {}) {
    const { task, group } = groupTaskOf(request)
    const user = request.user!
    const [notes, colleagues] = await Promise.all([
      listTaskNotes(db, task.id),
      colleaguesFor(task, group, user.id),
    ])
    const open = task.status === 'open'
    const mine = open && task.assignedTo === user.id
    const free = open && task.assignedTo === null
    const person = forms.reassign?.values.person ?? ''
    return reply.code(forms.status ?? 200).render('trays/views/task.njk', {
      pageTitle: task.title,
      errors: forms.release?.errors ?? forms.reassign?.errors,
      task: {
        // The child's name links to the record only for one who can open it (issue 15).
        ...trayItem(
          { ...task, recordReachable: await opensRecord(db, task.childId, user) },
          londonDate(clock.now()),
        ),
        holder: holderText(task, user.id),
        closed: task.closedAt ? formatDate(task.closedAt) : null,
      },
      groupName: GROUP_NAMES[group],
      groupHref: paths.trays.group(groupSlug(group)),
      can: { pickUp: free, release: mine, reassign: (free || mine) && colleagues.length > 0 },
      release: { values: forms.release?.values ?? { comment: '' }, errors: forms.release?.errors },
      reassign: {
        values: forms.reassign?.values ?? { person: '', comment: '' },
        errors: forms.reassign?.errors,
        people: [
          { value: '', text: 'Choose a person', selected: person === '' },
          ...colleagues.map((c) => ({ value: c.id, text: c.name, selected: c.id === person })),
        ],
      },
      notes: notes.map(taskNoteItem),
      maxLength: COMMENT_MAX_LENGTH,
    })
  }

  app.get<{ Params: TaskParams }>(
    paths.trays.task(':taskId'),
    { config: { access: { action: 'tray.group' }, audit: 'tray.task.view' }, preHandler },
    async (request, reply) => renderTask(request, reply),
  )

  /** When a change finds the task moved on: say who has it, change nothing. */
  async function movedOn(request: FastifyRequest, reply: FastifyReply, taskId: string) {
    const now = await findTask(db, taskId)
    request.flash('info', now ? movedOnText(now, request.user!.id) : TASK_GONE)
    return reply.redirect(paths.trays.task(taskId), 303)
  }

  const change = { access: { action: 'tray.group' }, audit: RECORDED_IN_TRANSACTION } as const

  app.post<{ Params: TaskParams }>(
    paths.trays.pickUp(':taskId'),
    { config: change, preHandler },
    async (request, reply) => {
      const found: GroupTask = groupTaskOf(request)
      const { task } = found
      const picked = await pickUpGroupTask(db, actorFrom(request, clock), inHand(found))
      if (!picked.ok) return movedOn(request, reply, task.id)
      // Straight to the work: the task's own page, with its link to the PEP.
      request.flash('success', pickedUpText(task.title))
      return reply.redirect(paths.trays.task(task.id), 303)
    },
  )

  app.post<{ Params: TaskParams; Body: ReleaseBody }>(
    paths.trays.release(':taskId'),
    { config: change, preHandler },
    async (request, reply) => {
      const found = groupTaskOf(request)
      const { task, group } = found
      const form = readReleaseForm(request.body)
      if (!form.ok)
        return renderTask(request, reply, {
          release: { values: form.values, errors: form.errors },
          status: 400,
        })
      const released = await releaseGroupTask(
        db,
        actorFrom(request, clock),
        inHand(found),
        form.value.comment,
      )
      if (!released.ok) return movedOn(request, reply, task.id)
      request.flash('success', releasedText(task.title, group))
      return reply.redirect(paths.trays.mine(), 303)
    },
  )

  app.post<{ Params: TaskParams; Body: ReassignBody }>(
    paths.trays.reassign(':taskId'),
    { config: change, preHandler },
    async (request, reply) => {
      const found = groupTaskOf(request)
      const { task, group } = found
      const form = readReassignForm(
        request.body,
        await colleaguesFor(task, group, request.user!.id),
      )
      if (!form.ok)
        return renderTask(request, reply, {
          reassign: { values: form.values, errors: form.errors },
          status: 400,
        })
      const { to, comment } = form.value
      const heldByMe = task.assignedTo === request.user!.id
      const reassigned = await reassignGroupTask(db, actorFrom(request, clock), inHand(found), {
        userId: to.id,
        comment,
      })
      if (!reassigned.ok) return movedOn(request, reply, task.id)
      request.flash('success', reassignedText(task.title, to.name))
      return reply.redirect(
        heldByMe ? paths.trays.mine() : paths.trays.group(groupSlug(group)),
        303,
      )
    },
  )
}
