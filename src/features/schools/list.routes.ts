import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import {
  SCHOOL_PHASES,
  SCHOOL_TYPES,
  isUrn,
  validateSchool,
  type RawSchool,
} from '../../domain/school.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { paginate, pageNumber } from '../../views/pagination.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import type { SchoolsRouteOptions } from './routes.ts'
import { SCHOOL_CHANGE, schoolPage, schoolScope, unlessUniqueViolation } from './school-context.ts'
import {
  chosenAuthorityOf,
  decorateChosenAuthority,
  loadAuthority,
} from '../../shared/choose-authority.ts'
import { readSchoolForm, schoolFormModel, toErrors, type Body } from './school.form.ts'
import { listSchools } from './schools.repository.ts'
import { urnTaken } from '../../shared/uniqueness.ts'
import { NEW_SCHOOL_TITLE, schoolListModel } from './schools.presenter.ts'
import { addSchool } from './schools.service.ts'
import { urnTakenErrors } from './conversion.form.ts'

const PAGE_SIZE = 25

/** The list of the user's authorities' schools, and adding one. */
export const schoolListRoutes: FastifyPluginAsync<SchoolsRouteOptions> = async (
  app,
  { db, clock },
) => {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.schools.list(),
    { config: schoolPage('schools.view') },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim().slice(0, 100)
      const type =
        request.query.type && request.query.type in SCHOOL_TYPES ? request.query.type : ''
      const phase =
        request.query.phase && request.query.phase in SCHOOL_PHASES ? request.query.phase : ''
      const status =
        request.query.status === 'open' || request.query.status === 'closed'
          ? request.query.status
          : ''
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries({ q, type, phase, status })) if (v) params.set(k, v)
      const href = `${paths.schools.list()}${params.size ? `?${params}` : ''}`
      const number = pageNumber(request.query.page)
      const authorityIds = schoolScope(request)
      const result = await listSchools(
        db,
        authorityIds,
        {
          search: q || undefined,
          type: type || undefined,
          phase: phase || undefined,
          status: status || undefined,
        },
        { offset: (number - 1) * PAGE_SIZE, limit: PAGE_SIZE },
      )
      return reply.render(
        'schools/views/list.njk',
        schoolListModel({
          values: { q, type, phase, status },
          total: result.total,
          rows: result.rows,
          manyAuthorities: authorityIds.length > 1,
          pagination: paginate(number, PAGE_SIZE, result.total, href),
        }),
      )
    },
  )

  const renderNew = (
    reply: FastifyReply,
    authority: AuthorityChoice,
    values: RawSchool,
    errors?: FormErrors,
  ) =>
    reply.code(errors ? 400 : 200).render('schools/views/form.njk', {
      pageTitle: NEW_SCHOOL_TITLE,
      mode: 'new',
      authority,
      action: paths.schools.new(),
      backHref: paths.schools.list(),
      ...schoolFormModel(values, errors),
    })

  const choose = {
    action: 'schools.manage',
    title: NEW_SCHOOL_TITLE,
    href: paths.schools.new(),
  } as const

  decorateChosenAuthority(app)
  app.get<{ Querystring: { authority?: string } }>(
    paths.schools.new(),
    { config: schoolPage('school.form.view'), preHandler: loadAuthority(db, choose, 'query') },
    async (request, reply) =>
      renderNew(reply, chosenAuthorityOf(request), { ...readSchoolForm({}), open: 'yes' }),
  )

  app.post<{ Body: Body }>(
    paths.schools.new(),
    { config: SCHOOL_CHANGE, preHandler: loadAuthority(db, choose, 'form') },
    async (request, reply) => {
      const authority = chosenAuthorityOf(request)
      const raw = readSchoolForm(request.body)
      const taken = isUrn(raw.urn) && (await urnTaken(db, raw.urn))
      const result = validateSchool(raw, () => taken)
      if (!result.ok) return renderNew(reply, authority, raw, toErrors(result.problems))
      const id = await addSchool(db, actorFrom(request, clock), authority.id, result.value).catch(
        unlessUniqueViolation(undefined),
      )
      if (!id) return renderNew(reply, authority, raw, urnTakenErrors(raw.urn))
      request.flash('success', `${result.value.name} added`)
      return reply.redirect(paths.schools.show(id), 303)
    },
  )
}
