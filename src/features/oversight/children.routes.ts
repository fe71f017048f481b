import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { matchesFilter } from '../../domain/oversight.ts'
import { canAct } from '../../domain/permissions.ts'
import type { CurrentUser } from '../users/users.repository.ts'
import { termKey, termLabel } from '../../domain/terms.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../plugins/validation.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import { pageNumber, paginate } from '../../views/pagination.ts'
import { readTermCohort } from './cohort.query.ts'
import {
  childrenExport,
  describeChild,
  filterItems,
  filterWords,
  offeredChoices,
  presentChildrenList,
  sortRows,
} from './children.presenter.ts'
import {
  auditedQuery,
  authoritiesFor,
  queryString,
  readListFilters,
  readScope,
  termChoices,
  type ListValues,
  type Query,
  type Scope,
} from './oversight.form.ts'

const PAGE_SIZE = 50

type Loaded =
  | {
      ok: true
      scope: Scope
      values: ListValues
      children: ReturnType<typeof describeChild>[]
      words: string[]
      choices: ReturnType<typeof offeredChoices>
    }
  | {
      ok: false
      errors: FormErrors
      scopeValues: { authority: string; term: string }
      values: ListValues
      choices: ReturnType<typeof offeredChoices>
    }

/**
 * The list asked for: the authority and term, then the cohort's rows filtered and sorted by the
 * same rules as the dashboard's figures (ADR 11). Every row is one the person may read: a child
 * of an authority where they hold a role allowed `oversight.view`.
 */
async function loadList(
  db: Database,
  user: CurrentUser,
  query: Query,
  today: string,
): Promise<Loaded> {
  const authorities = authoritiesFor(user, 'oversight.view')
  const asked = readScope(query, authorities, today)
  const noChoices = { schools: [], socialWorkers: [] }
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
  const cohort = await readTermCohort(db, authority.id, term, today)
  const choices = offeredChoices(cohort.rows)
  const list = readListFilters(query, {
    schoolIds: new Set(choices.schools.map(([id]) => id)),
    socialWorkerIds: new Set(choices.socialWorkers.map(([id]) => id)),
  })
  if (!list.filter)
    return {
      ok: false,
      errors: list.errors!,
      scopeValues: asked.values,
      values: list.values,
      choices,
    }
  const filter = list.filter
  const rows = sortRows(
    cohort.rows.filter((r) => matchesFilter(r, filter, cohort.frame, cohort.asOf)),
    list.sort,
    cohort.asOf,
  )
  return {
    ok: true,
    scope: asked.scope,
    values: list.values,
    children: rows.map((r) => describeChild(r, cohort.frame, cohort.asOf)),
    words: filterWords(filter, choices),
    choices,
  }
}

export const childrenListRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
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
      pageTitle: 'Children',
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

  app.get<{ Querystring: Query }>(
    paths.oversight.children(),
    config('oversight.children.view'),
    async (request, reply) => {
      const user = request.user!
      const today = londonDate(clock.now())
      const loaded = await loadList(db, user, request.query, today)
      if (!loaded.ok) return renderRefused(reply, loaded, today)
      const page = pageNumber(request.query.page)
      const { scope, values } = loaded
      const href = `${paths.oversight.children()}${queryString({
        authority: scope.authority.id,
        term: termKey(scope.term),
        ...values,
      })}`
      const roles = user.memberships
        .filter((m) => m.authorityId === scope.authority.id)
        .map((m) => m.role)
      return reply.render('oversight/views/children.njk', {
        scopeValues: { authority: scope.authority.id, term: termKey(scope.term) },
        values,
        authorityItems:
          authoritiesFor(user, 'oversight.view').length > 1
            ? authoritiesFor(user, 'oversight.view').map((a) => ({
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
          values,
          children: loaded.children.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
          total: loaded.children.length,
          words: loaded.words,
          pagination: paginate(page, PAGE_SIZE, loaded.children.length, href),
        }),
        canRemind: values.overdue !== '' && canAct(roles, 'oversight.remind'),
      })
    },
  )

  app.get<{ Querystring: Query }>(
    paths.oversight.export(),
    config('oversight.children.export'),
    async (request, reply) => {
      const today = londonDate(clock.now())
      const loaded = await loadList(db, request.user!, request.query, today)
      if (!loaded.ok) return renderRefused(reply, loaded, today)
      return sendExport(
        reply,
        exportFormat(request.query.format),
        childrenExport({ scope: loaded.scope, words: loaded.words, children: loaded.children }),
      )
    },
  )
}
