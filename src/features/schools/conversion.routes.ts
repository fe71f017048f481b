import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import {
  alreadyConvertedErrors,
  urnTakenErrors,
  emptyConversion,
  readConversionForm,
  type ConversionValues,
} from './conversion.form.ts'
import type { SchoolsRouteOptions } from './routes.ts'
import {
  SCHOOL_CHANGE,
  loadSchool,
  schoolOf,
  schoolPage,
  unlessUniqueViolation,
} from './school-context.ts'
import type { Body } from './school.form.ts'
import { type SchoolRow } from './schools.repository.ts'
import { urnTaken } from '../../shared/uniqueness.ts'
import { convertTitle, convertedMessage } from './schools.presenter.ts'
import { convertToAcademy } from './schools.service.ts'

type Params = { Params: { schoolId: string } }

/** Recording a school's conversion to an academy: a new school, its children moved to it. */
export const conversionRoutes: FastifyPluginAsync<SchoolsRouteOptions> = async (
  app,
  { db, clock },
) => {
  const preHandler = loadSchool(db)

  const renderConvert = (
    reply: FastifyReply,
    school: SchoolRow,
    values: ConversionValues,
    errors?: FormErrors,
    status?: number,
  ) =>
    reply.code(status ?? (errors ? 400 : 200)).render('schools/views/convert.njk', {
      pageTitle: convertTitle(school),
      school: { name: school.name, urn: school.urn, href: paths.schools.show(school.id) },
      action: paths.schools.convert(school.id),
      values,
      errors,
    })

  app.get<Params>(
    paths.schools.convert(':schoolId'),
    { config: schoolPage('school.form.view'), preHandler },
    async (request, reply) =>
      renderConvert(reply, schoolOf(request), emptyConversion(schoolOf(request))),
  )

  app.post<Params & { Body: Body }>(
    paths.schools.convert(':schoolId'),
    { config: SCHOOL_CHANGE, preHandler },
    async (request, reply) => {
      const school = schoolOf(request)
      const form = await readConversionForm(request.body, school, londonDate(clock.now()), (urn) =>
        urnTaken(db, urn),
      )
      if (!form.ok) return renderConvert(reply, school, form.values, form.errors)
      const { values } = form
      const result = await convertToAcademy(db, actorFrom(request, clock), school, {
        convertedOn: form.convertedOn,
        name: values.name,
        urn: values.urn,
        dfeNumber: values.dfeNumber,
      }).catch(unlessUniqueViolation('urn-taken' as const))
      if (result === 'urn-taken')
        return renderConvert(reply, school, values, urnTakenErrors(values.urn))
      if (result === 'already-converted')
        return renderConvert(reply, school, values, alreadyConvertedErrors(school), 409)
      request.flash('success', convertedMessage(school, values.name, result.children))
      return reply.redirect(paths.schools.show(result.schoolId), 303)
    },
  )
}
