import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { isUuid } from '../../domain/ids.ts'
import { schoolsMissingData } from '../../domain/oversight.ts'
import { canAct } from '../../domain/permissions.ts'
import { termKey, termLabel } from '../../domain/terms.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { readTermCohort } from './cohort.query.ts'
import {
  missingDataErrors,
  missingDataTitle,
  missingDataSentText,
  presentMissingData,
} from './missing-data.presenter.ts'
import { sendMissingDataReminders } from './missing-data.service.ts'
import { remindingIn } from './remind-context.ts'
import {
  auditedQuery,
  authoritiesFor,
  queryString,
  readScope,
  termChoices,
  type Query,
} from '../../shared/list-filters.ts'

/*
 * The schools that have not given this term's attendance or attainment, and asking them
 * (issue 19). Read by the Virtual School and its auditors (`oversight.view`); heads and
 * consultants ask (`oversight.remind`).
 */
export const missingDataRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    query: Query,
    problem?: FormErrors,
  ) {
    const user = request.user!
    const today = londonDate(clock.now())
    const authorities = authoritiesFor(user, 'oversight.view')
    const asked = readScope(query, authorities, today)
    if (!asked.scope)
      return reply.code(400).render('oversight/views/missing-data.njk', {
        pageTitle: missingDataTitle(),
        errors: asked.errors,
        values: asked.values,
        authorityItems: [
          { value: '', text: 'Choose an authority' },
          ...authorities.map((a) => ({ value: a.id, text: a.name })),
        ],
        termItems: termChoices(today).map((t) => ({ value: termKey(t), text: termLabel(t) })),
      })
    const { authority, term } = asked.scope
    const cohort = await readTermCohort(db, authority.id, term, today)
    const roles = user.memberships.filter((m) => m.authorityId === authority.id).map((m) => m.role)
    return reply.code(problem ? 400 : 200).render('oversight/views/missing-data.njk', {
      values: asked.values,
      errors: problem,
      authorityItems:
        authorities.length > 1
          ? authorities.map((a) => ({ value: a.id, text: a.name, selected: a.id === authority.id }))
          : null,
      termItems: termChoices(today, term).map((t) => ({
        value: termKey(t),
        text: termLabel(t),
        selected: termKey(t) === termKey(term),
      })),
      ...presentMissingData({
        scope: asked.scope,
        missing: schoolsMissingData(cohort.rows),
        rows: cohort.rows,
        canRemind: canAct(roles, 'oversight.remind'),
      }),
    })
  }

  app.get<{ Querystring: Query }>(
    paths.oversight.missingData(),
    {
      config: {
        access: { action: 'oversight.view' },
        audit: 'oversight.missing-data.view',
        auditDetails: (request) => auditedQuery(request.query),
      },
    },
    async (request, reply) => render(request, reply, request.query),
  )

  app.post<{ Body: Query }>(
    paths.oversight.missingDataRemind(),
    { config: { access: { action: 'oversight.remind' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const body = request.body ?? {}
      const reminding = await remindingIn(request, reply, clock, body)
      if (!reminding) return reply
      const { authority, term, actor } = reminding
      const query: Query = { authority: authority.id, term: termKey(term) }
      const sent = await sendMissingDataReminders(db, actor, {
        authorityId: authority.id,
        term,
        schoolIds: [body.schools ?? []].flat().filter(isUuid),
        baseUrl,
      })
      if (!sent.ok) return render(request, reply, query, missingDataErrors(sent.error.code))
      request.flash('success', missingDataSentText(sent.value))
      return reply.redirect(
        `${paths.oversight.missingData()}${queryString(query as Record<string, string>)}`,
        303,
      )
    },
  )
}
