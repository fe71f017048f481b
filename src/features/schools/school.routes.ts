import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { isUrn, validateSchool, type RawSchool } from '../../domain/school.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { changedMeanwhileErrors, urnTakenErrors } from './conversion.form.ts'
import type { SchoolsRouteOptions } from './routes.ts'
import {
  SCHOOL_CHANGE,
  loadSchool,
  notFound,
  schoolOf,
  schoolPage,
  schoolScope,
  unlessUniqueViolation,
} from './school-context.ts'
import { readSchoolForm, schoolFormModel, text, toErrors, type Body } from './school.form.ts'
import {
  countChildrenAt,
  findLineage,
  findSchool,
  schoolVersion,
  type SchoolRow,
} from './schools.repository.ts'
import { urnTaken } from '../../shared/uniqueness.ts'
import { editTitle, schoolPageModel } from './schools.presenter.ts'
import { updateSchool } from './schools.service.ts'

type Params = { Params: { schoolId: string } }

/** A school's page, with its lineage, and changing its details. */
export const schoolRoutes: FastifyPluginAsync<SchoolsRouteOptions> = async (app, { db, clock }) => {
  const preHandler = loadSchool(db)

  app.get<Params>(
    paths.schools.show(':schoolId'),
    { config: schoolPage('school.view'), preHandler },
    async (request, reply) => {
      const school = schoolOf(request)
      const [lineage, children] = await Promise.all([
        findLineage(db, school),
        countChildrenAt(db, school.id),
      ])
      return reply.render('schools/views/show.njk', schoolPageModel(school, lineage, children))
    },
  )

  const renderEdit = (
    reply: FastifyReply,
    school: SchoolRow,
    values: RawSchool,
    version: string,
    errors?: FormErrors,
    status?: number,
  ) =>
    reply.code(status ?? (errors ? 400 : 200)).render('schools/views/form.njk', {
      pageTitle: editTitle(school),
      mode: 'edit',
      action: paths.schools.edit(school.id),
      backHref: paths.schools.show(school.id),
      version,
      ...schoolFormModel(values, errors),
    })

  app.get<Params>(
    paths.schools.edit(':schoolId'),
    { config: schoolPage('school.form.view'), preHandler },
    async (request, reply) => {
      const school = schoolOf(request)
      return renderEdit(
        reply,
        school,
        {
          name: school.name,
          urn: school.urn ?? '',
          dfeNumber: school.dfeNumber ?? '',
          type: school.type,
          phase: school.phase,
          open: school.open ? 'yes' : 'no',
        },
        schoolVersion(school),
      )
    },
  )

  app.post<Params & { Body: Body }>(
    paths.schools.edit(':schoolId'),
    { config: SCHOOL_CHANGE, preHandler },
    async (request, reply) => {
      const school = schoolOf(request)
      const raw = readSchoolForm(request.body)
      const version = text(request.body, 'version')
      const taken = isUrn(raw.urn) && (await urnTaken(db, raw.urn, school.id))
      const result = validateSchool(raw, () => taken)
      if (!result.ok) return renderEdit(reply, school, raw, version, toErrors(result.problems))
      const outcome = await updateSchool(
        db,
        actorFrom(request, clock),
        schoolScope(request),
        school.id,
        version,
        result.value,
      ).catch(unlessUniqueViolation('urn-taken' as const))
      if (outcome === 'urn-taken')
        return renderEdit(reply, school, raw, version, urnTakenErrors(raw.urn))
      if (outcome === 'gone') return notFound(reply)
      if (outcome === 'conflict') {
        const fresh = (await findSchool(db, schoolScope(request), school.id))!
        return renderEdit(reply, fresh, raw, schoolVersion(fresh), changedMeanwhileErrors(), 409)
      }
      request.flash('success', `${result.value.name} saved`)
      return reply.redirect(paths.schools.show(school.id), 303)
    },
  )
}
