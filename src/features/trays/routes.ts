import fp from 'fastify-plugin'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { isUuid } from '../../domain/ids.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { formatDate } from '../../views/format.ts'
import {
  GROUP_NAMES,
  GROUP_ROLES,
  groupAuthorities,
  groupFromSlug,
  groupSlug,
  isGroupTray,
  wholeAuthorities,
} from './groups.ts'
import type { GroupTray } from '../../shared/tasks.ts'
import { rememberTrayCount } from './tray-count.ts'
import {
  groupTrayLinks,
  holderText,
  movedOnText,
  taskNoteItem,
  trayItem,
} from './trays.presenter.ts'
import {
  countHiddenMine,
  countMyGroupTrays,
  countMyTray,
  findTask,
  listColleagues,
  listGroupTray,
  listMyTray,
  listTaskNotes,
  type TaskDetail,
} from './trays.repository.ts'
import { COMMENT_MAX_LENGTH, readReassignForm, readReleaseForm } from './trays.form.ts'
import {
  dismissMyAlert,
  pickUpGroupTask,
  reassignGroupTask,
  releaseGroupTask,
  type TaskInHand,
} from './trays.service.ts'

/**
 * The header's tray count, read once per request before the handler (pages render
 * synchronously). Registered before the feature routes so that every page has it: Fastify
 * copies hooks into a plugin's scope when the plugin is registered.
 */
export const trayCountPlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    app.addHook('preHandler', async (request) => {
      const user = request.user
      const access = request.routeOptions.config.access
      if (!user || !access || 'public' in access) return
      if (
        !canAct(
          user.memberships.map((m) => m.role),
          'tray.view',
        )
      )
        return
      rememberTrayCount(user, await countMyTray(db, user.id, wholeAuthorities(user)))
    })
  },
  { name: 'tray-count' },
)

type TaskParams = { taskId: string }
type ReleaseBody = { comment?: unknown }
type ReassignBody = { person?: unknown; comment?: unknown }

interface TaskForms {
  release?: { values: { comment: string }; errors?: FormErrors }
  reassign?: { values: { person: string; comment: string }; errors?: FormErrors }
  status?: number
}

/** My tray, and the group trays of business support and the Virtual School consultants. */
export const traysRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const today = () => londonDate(clock.now())

  app.get(
    paths.trays.mine(),
    { config: { access: { action: 'tray.view' }, audit: 'tray.view' } },
    async (request, reply) => {
      const user = request.user!
      const whole = wholeAuthorities(user)
      const [{ tasks, alerts }, hidden] = await Promise.all([
        listMyTray(db, user.id, whole),
        countHiddenMine(db, user.id, whole),
      ])
      const groups = groupTrayLinks(await countMyGroupTrays(db, user))
      const day = today()
      return reply.render('trays/views/my-tray.njk', {
        tasks: tasks.map((row) => ({
          ...trayItem(row, day),
          // A group task I hold can be released or handed on from its page.
          workHref:
            isGroupTray(row.groupRole) &&
            groupAuthorities(user, row.groupRole).includes(row.authorityId)
              ? paths.trays.task(row.id)
              : null,
        })),
        alerts: alerts.map((row) => trayItem(row, day)),
        hidden,
        groups,
      })
    },
  )

  app.post<{ Params: TaskParams }>(
    paths.trays.dismissAlert(':taskId'),
    { config: { access: { action: 'tray.view' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const { taskId } = request.params
      const dismissed =
        isUuid(taskId) && (await dismissMyAlert(db, actorFrom(request, clock), taskId)).ok
      request.flash(
        dismissed ? 'success' : 'info',
        dismissed ? 'Alert dismissed' : 'That alert had already been dismissed',
      )
      return reply.redirect(paths.trays.mine(), 303)
    },
  )

  app.get<{ Params: { group: string } }>(
    paths.trays.group(':group'),
    { config: { access: { action: 'tray.group' }, audit: 'tray.group.view' } },
    async (request, reply) => {
      const user = request.user!
      const group = groupFromSlug(request.params.group)
      if (!group) return reply.code(404).render('pages/404.njk')
      const authorityIds = groupAuthorities(user, group)
      if (authorityIds.length === 0) {
        await request.audit({
          action: 'access.denied',
          outcome: 'denied',
          details: { action: 'tray.group', group },
        })
        return reply.code(404).render('pages/404.njk')
      }
      const rows = await listGroupTray(db, group, authorityIds)
      const day = today()
      return reply.render('trays/views/group-tray.njk', {
        pageTitle: GROUP_NAMES[group],
        authorityNames: [
          ...new Set(
            user.memberships
              .filter((m) => authorityIds.includes(m.authorityId))
              .map((m) => m.authorityName),
          ),
        ],
        tasks: rows.map((row) => ({
          ...trayItem(row, day),
          taskHref: paths.trays.task(row.id),
          pickUpHref: paths.trays.pickUp(row.id),
        })),
      })
    },
  )

  /**
   * The group task the URL names, if this user works its group tray in its authority. Anyone
   * else gets "not found", and a refusal is recorded when the task exists.
   */
  async function groupTask(
    request: FastifyRequest<{ Params: TaskParams }>,
    reply: FastifyReply,
  ): Promise<{ task: TaskDetail; group: GroupTray } | undefined> {
    const { taskId } = request.params
    const task = isUuid(taskId) ? await findTask(db, taskId) : undefined
    const group = task?.groupRole
    if (
      task &&
      !task.isAlert &&
      isGroupTray(group) &&
      groupAuthorities(request.user!, group).includes(task.authorityId)
    )
      return { task, group }
    if (task)
      await request.audit({
        action: 'access.denied',
        outcome: 'denied',
        details: { action: 'tray.group', taskId },
      })
    await reply.code(404).render('pages/404.njk')
    return undefined
  }

  async function colleaguesFor(task: TaskDetail, group: GroupTray, userId: string) {
    return listColleagues(db, {
      authorityId: task.authorityId,
      roles: GROUP_ROLES[group],
      excluding: [userId],
    })
  }

  async function renderTask(
    request: FastifyRequest<{ Params: TaskParams }>,
    reply: FastifyReply,
    found: { task: TaskDetail; group: GroupTray },
    forms: TaskForms = {},
  ) {
    const { task, group } = found
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
        ...trayItem(task, today()),
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
    { config: { access: { action: 'tray.group' }, audit: 'tray.task.view' } },
    async (request, reply) => {
      const found = await groupTask(request, reply)
      if (!found) return reply
      return renderTask(request, reply, found)
    },
  )

  /** When a change finds the task moved on: say who has it, change nothing. */
  async function movedOn(request: FastifyRequest, reply: FastifyReply, taskId: string) {
    const now = await findTask(db, taskId)
    request.flash('info', now ? movedOnText(now, request.user!.id) : 'This task no longer exists.')
    return reply.redirect(paths.trays.task(taskId), 303)
  }

  app.post<{ Params: TaskParams }>(
    paths.trays.pickUp(':taskId'),
    { config: { access: { action: 'tray.group' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const found = await groupTask(request, reply)
      if (!found) return reply
      const { task } = found
      const picked = await pickUpGroupTask(db, actorFrom(request, clock), inHand(found))
      if (!picked.ok) return movedOn(request, reply, task.id)
      // Straight to the work: the task's own page, with its link to the PEP.
      request.flash('success', `You picked up “${task.title}”. It is in your tray.`)
      return reply.redirect(paths.trays.task(task.id), 303)
    },
  )

  app.post<{ Params: TaskParams; Body: ReleaseBody }>(
    paths.trays.release(':taskId'),
    { config: { access: { action: 'tray.group' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const found = await groupTask(request, reply)
      if (!found) return reply
      const { task, group } = found
      const form = readReleaseForm(request.body)
      if (!form.ok)
        return renderTask(request, reply, found, {
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
      request.flash('success', `“${task.title}” is back in the ${GROUP_NAMES[group]}.`)
      return reply.redirect(paths.trays.mine(), 303)
    },
  )

  app.post<{ Params: TaskParams; Body: ReassignBody }>(
    paths.trays.reassign(':taskId'),
    { config: { access: { action: 'tray.group' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const found = await groupTask(request, reply)
      if (!found) return reply
      const { task, group } = found
      const form = readReassignForm(
        request.body,
        await colleaguesFor(task, group, request.user!.id),
      )
      if (!form.ok)
        return renderTask(request, reply, found, {
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
      request.flash('success', `“${task.title}” is reassigned to ${to.name}.`)
      return reply.redirect(
        heldByMe ? paths.trays.mine() : paths.trays.group(groupSlug(group)),
        303,
      )
    },
  )
}

/** What the service needs of the task the route found. */
function inHand({ task, group }: { task: TaskDetail; group: GroupTray }): TaskInHand {
  return { id: task.id, childId: task.childId, authorityId: task.authorityId, group }
}
