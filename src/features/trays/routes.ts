import fp from 'fastify-plugin'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { isUuid } from '../../domain/ids.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, type FormErrors } from '../../plugins/validation.ts'
import { formatDate } from '../../views/format.ts'
import {
  GROUP_NAMES,
  GROUP_ROLES,
  groupAuthorities,
  groupFromSlug,
  groupSlug,
  groupsOf,
  isGroupTray,
  wholeAuthorities,
} from './groups.ts'
import type { GroupTray } from './tasks.repository.ts'
import { rememberTrayCount } from './tray-count.ts'
import { holderText, movedOnText, taskNoteItem, trayItem } from './trays.presenter.ts'
import {
  addTaskNote,
  countHiddenMine,
  countGroupTray,
  countMyTray,
  dismissAlert,
  findTask,
  listColleagues,
  listGroupTray,
  listMyTray,
  listTaskNotes,
  pickUpTask,
  reassignTask,
  releaseTask,
  type TaskDetail,
} from './trays.repository.ts'

export const COMMENT_MAX_LENGTH = 2000

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

const text = (value: unknown) => (typeof value === 'string' ? value : '')

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
      const groups = await Promise.all(
        groupsOf(user).map(async (group) => ({
          name: GROUP_NAMES[group],
          href: paths.trays.group(groupSlug(group)),
          count: await countGroupTray(db, group, groupAuthorities(user, group)),
        })),
      )
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
      const user = request.user!
      const { taskId } = request.params
      const dismissed = isUuid(taskId)
        ? await db.transaction().execute(async (trx) => {
            const alert = await dismissAlert(trx, { taskId, userId: user.id, at: clock.now() })
            if (alert)
              await request.audit(
                {
                  action: 'tray.alert.dismiss',
                  outcome: 'success',
                  childId: alert.childId,
                  authorityId: alert.authorityId,
                  details: { taskId },
                },
                trx,
              )
            return alert !== undefined
          })
        : false
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
      const { task, group } = found
      const user = request.user!
      const at = clock.now()
      const picked = await db.transaction().execute(async (trx) => {
        if (!(await pickUpTask(trx, { taskId: task.id, userId: user.id }))) return false
        await addTaskNote(trx, { taskId: task.id, kind: 'picked_up', byUserId: user.id, at })
        await request.audit(
          {
            action: 'tray.task.pick-up',
            outcome: 'success',
            childId: task.childId,
            authorityId: task.authorityId,
            details: { taskId: task.id, group },
          },
          trx,
        )
        return true
      })
      if (!picked) return movedOn(request, reply, task.id)
      request.flash('success', `You picked up “${task.title}”. It is in your tray.`)
      return reply.redirect(paths.trays.group(groupSlug(group)), 303)
    },
  )

  app.post<{ Params: TaskParams; Body: ReleaseBody }>(
    paths.trays.release(':taskId'),
    { config: { access: { action: 'tray.group' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const found = await groupTask(request, reply)
      if (!found) return reply
      const { task, group } = found
      const user = request.user!
      const values = { comment: text(request.body?.comment) }
      const problems = new FormProblems()
      if (values.comment.length > COMMENT_MAX_LENGTH)
        problems.add(
          'comment',
          `The comment must be ${COMMENT_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
          'release-comment',
        )
      if (problems.any)
        return renderTask(request, reply, found, {
          release: { values, errors: problems.errors },
          status: 400,
        })
      const comment = values.comment.trim() || null
      const at = clock.now()
      const released = await db.transaction().execute(async (trx) => {
        if (!(await releaseTask(trx, { taskId: task.id, userId: user.id }))) return false
        await addTaskNote(trx, {
          taskId: task.id,
          kind: 'released',
          byUserId: user.id,
          comment,
          at,
        })
        await request.audit(
          {
            action: 'tray.task.release',
            outcome: 'success',
            childId: task.childId,
            authorityId: task.authorityId,
            details: { taskId: task.id, group, withComment: comment !== null },
          },
          trx,
        )
        return true
      })
      if (!released) return movedOn(request, reply, task.id)
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
      const user = request.user!
      const values = { person: text(request.body?.person), comment: text(request.body?.comment) }
      const colleagues = await colleaguesFor(task, group, user.id)
      const to = colleagues.find((c) => c.id === values.person)
      const problems = new FormProblems()
      if (!to) problems.add('person', 'Select the person to reassign the task to')
      if (values.comment.trim() === '')
        problems.add(
          'comment',
          'Enter a comment for the person you reassign it to',
          'reassign-comment',
        )
      else if (values.comment.length > COMMENT_MAX_LENGTH)
        problems.add(
          'comment',
          `The comment must be ${COMMENT_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
          'reassign-comment',
        )
      if (!to || problems.any)
        return renderTask(request, reply, found, {
          reassign: { values, errors: problems.errors },
          status: 400,
        })
      const heldByMe = task.assignedTo === user.id
      const at = clock.now()
      const reassigned = await db.transaction().execute(async (trx) => {
        const done = await reassignTask(trx, {
          taskId: task.id,
          byUserId: user.id,
          toUserId: to.id,
        })
        if (!done) return false
        await addTaskNote(trx, {
          taskId: task.id,
          kind: 'reassigned',
          byUserId: user.id,
          toUserId: to.id,
          comment: values.comment.trim(),
          at,
        })
        await request.audit(
          {
            action: 'tray.task.reassign',
            outcome: 'success',
            childId: task.childId,
            authorityId: task.authorityId,
            subjectUserId: to.id,
            details: { taskId: task.id, group },
          },
          trx,
        )
        return true
      })
      if (!reassigned) return movedOn(request, reply, task.id)
      request.flash('success', `“${task.title}” is reassigned to ${to.name}.`)
      return reply.redirect(
        heldByMe ? paths.trays.mine() : paths.trays.group(groupSlug(group)),
        303,
      )
    },
  )
}
