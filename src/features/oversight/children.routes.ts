import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import type { CurrentUser } from '../../shared/users.ts'
import { termKey, termLabel } from '../../domain/terms.ts'
import { paths } from '../../paths.ts'
import { isUuid } from '../../domain/ids.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { sendOverdueReminders } from './reminders.service.ts'
import { remindingIn } from './remind-context.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import { pageNumber, paginate } from '../../views/pagination.ts'
import { cohortChoices, cohortDay, readTermCohort } from './cohort.query.ts'
import {
  childrenExport,
  describeChild,
  filterItems,
  filterWords,
  presentChildrenList,
  reminderErrors,
  childrenTitle,
  remindersSentText,
} from './children.presenter.ts'
import {
  auditedQuery,
  authoritiesFor,
  keptValues,
  pickListQuery,
  queryString,
  readListFilters,
  readScope,
  termChoices,
  type ListValues,
  type Query,
  type Scope,
} from '../../shared/list-filters.ts'

const PAGE_SIZE = 50

type Choices = Awaited<ReturnType<typeof cohortChoices>>

type Loaded =
  | {
      ok: true
      scope: Scope
      values: ListValues
      /** The page's children (every child of the list for an export). */
      children: ReturnType<typeof describeChild>[]
      /** The number of children in the list. */
      total: number
      words: string[]
      choices: Choices
      /** A filter not offered, by field: the list is of the others. */
      errors?: FormErrors
    }
  | {
      ok: false
      errors: FormErrors
      scopeValues: { authority: string; term: string }
      values: ListValues
      choices: Choices
    }

/**
 * The list asked for: the authority and term, then the cohort's children matching the filter
 * (the one rule of src/shared/cohort-filter.ts, in SQL, as the dashboard's figures count),
 * sorted. Every row is one the person may read: a child of an authority where they hold a role
 * allowed `oversight.view`. A filter value not offered is named in `errors` and left out; the
 * others still apply.
 */
async function loadList(
  db: Database,
  user: CurrentUser,
  query: Query,
  today: string,
  /** The page asked for; without it, every child of the list (an export). */
  page?: { offset: number; limit: number },
): Promise<Loaded> {
  const authorities = authoritiesFor(user, 'oversight.view')
  const asked = readScope(query, authorities, today)
  const noChoices = { schools: [], socialWorkers: [], placements: [] }
  if (!asked.scope) {
    const list = readListFilters(query, { schoolIds: new Set(), socialWorkerIds: new Set() })
    return {
      ok: false,
      errors: asked.errors!,
      scopeValues: asked.values,
      values: list.values,
      choices: noChoices,
    }
  }
  const { authority, term } = asked.scope
  const choices = await cohortChoices(db, authority.id, cohortDay(term, today))
  const list = readListFilters(query, {
    schoolIds: new Set(choices.schools.map(([id]) => id)),
    socialWorkerIds: new Set(choices.socialWorkers.map(([id]) => id)),
    placements: new Set(choices.placements),
  })
  const filter = list.filter
  // Sorted and paged by the database: only the page's children are read in full.
  const cohort = await readTermCohort(db, authority.id, term, today, filter, {
    sort: list.sort,
    direction: list.direction,
    ...(page ? { page } : {}),
  })
  return {
    ok: true,
    scope: asked.scope,
    values: list.values,
    children: cohort.rows.map((r) => describeChild(r, cohort.frame, cohort.asOf)),
    total: cohort.total,
    words: filterWords(filter, choices),
    choices,
    errors: list.errors,
  }
}

export const childrenListRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  const config = (audit: 'oversight.children.view' | 'oversight.children.export') => ({
    config: {
      access: { action: 'oversight.view' as const },
      audit,
      auditDetails: (request: { query: unknown }) => auditedQuery(request.query),
    },
  })

  function renderRefused(
    reply: FastifyReply,
    loaded: Extract<Loaded, { ok: false }>,
    today: string,
  ) {
    const user = reply.request.user!
    return reply.code(400).render('oversight/views/children.njk', {
      pageTitle: childrenTitle(),
      errors: loaded.errors,
      scopeValues: loaded.scopeValues,
      values: loaded.values,
      authorityItems: authoritiesFor(user, 'oversight.view').map((a) => ({
        value: a.id,
        text: a.name,
      })),
      termItems: termChoices(today).map((t) => ({ value: termKey(t), text: termLabel(t) })),
      ...filterItems(loaded.values, loaded.choices),
    })
  }

  /** The list asked for in `query`; with `problem`, shown again with it (a refused reminder). */
  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    query: Query,
    problem?: FormErrors,
  ) {
    const user = request.user!
    const today = londonDate(clock.now())
    const page = pageNumber(query.page)
    const loaded = await loadList(db, user, query, today, {
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    })
    if (!loaded.ok) return renderRefused(reply, loaded, today)
    const { scope, values } = loaded
    const errors = problem ?? loaded.errors
    // The links (pages, sorting, exports) carry the filters kept, never one in error.
    const kept = keptValues(values, loaded.errors)
    const scopeValues = { authority: scope.authority.id, term: termKey(scope.term) }
    const href = `${paths.oversight.children()}${queryString({ ...scopeValues, ...kept })}`
    const roles = user.memberships
      .filter((m) => m.authorityId === scope.authority.id)
      .map((m) => m.role)
    const authorities = authoritiesFor(user, 'oversight.view')
    return reply.code(errors ? 400 : 200).render('oversight/views/children.njk', {
      scopeValues,
      values,
      errors,
      authorityItems:
        authorities.length > 1
          ? authorities.map((a) => ({
              value: a.id,
              text: a.name,
              selected: a.id === scope.authority.id,
            }))
          : null,
      termItems: termChoices(today, scope.term).map((t) => ({
        value: termKey(t),
        text: termLabel(t),
        selected: termKey(t) === termKey(scope.term),
      })),
      ...filterItems(values, loaded.choices),
      ...presentChildrenList({
        scope,
        values: kept,
        children: loaded.children,
        total: loaded.total,
        words: loaded.words,
        pagination: paginate(page, PAGE_SIZE, loaded.total, href),
      }),
      canRemind: values.overdue !== '' && canAct(roles, 'oversight.remind'),
    })
  }

  app.get<{ Querystring: Query }>(
    paths.oversight.children(),
    config('oversight.children.view'),
    async (request, reply) => renderList(request, reply, request.query),
  )

  app.get<{ Querystring: Query }>(
    paths.oversight.export(),
    config('oversight.children.export'),
    async (request, reply) => {
      const today = londonDate(clock.now())
      const loaded = await loadList(db, request.user!, request.query, today)
      if (!loaded.ok) return renderRefused(reply, loaded, today)
      // A filter not offered refuses the export rather than widen it: the page says which.
      if (loaded.errors) return renderList(request, reply, request.query)
      return sendExport(
        reply,
        exportFormat(request.query.format),
        childrenExport({ scope: loaded.scope, words: loaded.words, children: loaded.children }),
      )
    },
  )

  app.post<{ Body: Query }>(
    paths.oversight.remind(),
    { config: { access: { action: 'oversight.remind' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const body = request.body ?? {}
      const reminding = await remindingIn(request, reply, clock, body)
      if (!reminding) return reply
      const { authority, term, actor } = reminding
      const query: Query = {
        authority: authority.id,
        term: termKey(term),
        ...pickListQuery(body),
      }
      const chosen = [body.children ?? []].flat().filter(isUuid)
      const sent = await sendOverdueReminders(db, actor, {
        authorityId: authority.id,
        term,
        childIds: chosen,
        baseUrl,
      })
      if (!sent.ok) return renderList(request, reply, query, reminderErrors(sent.error.code))
      request.flash('success', remindersSentText(sent.value))
      return reply.redirect(
        `${paths.oversight.children()}${queryString(query as Record<string, string>)}`,
        303,
      )
    },
  )
}
