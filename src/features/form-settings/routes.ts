import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { FORM_TYPE_NAMES, type FormType } from '../../domain/year-group.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { pickAuthority } from '../../shared/authority-scope.ts'
import type { CurrentUser } from '../../shared/users.ts'
import { mandatoryOverrides } from '../../shared/settings.ts'
import { saveMandatoryQuestions } from './form-settings.service.ts'
import { actorFrom } from '../../shared/actor.ts'
import { changesFromTicked } from './form-settings.form.ts'
import { formSettingsTitles, mandatoryChoices } from './form-settings.presenter.ts'

const FORM_TYPES = Object.keys(FORM_TYPE_NAMES) as FormType[]
const isFormType = (value: string): value is FormType => (FORM_TYPES as string[]).includes(value)

type Query = { authority?: string }

/** VS administrators choose which questions of each form their authority makes mandatory. */
export const formSettingsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    paths.formSettings.list(),
    { config: { access: { action: 'forms.manage' }, audit: 'forms.settings.view' } },
    async (request, reply) => {
      const pick = await pickAuthority(db, request.user!, 'forms.manage', undefined)
      const authorities =
        pick.kind === 'one' ? [pick.authority] : pick.kind === 'choose' ? pick.authorities : []
      return reply.render('form-settings/views/list.njk', {
        pageTitle: formSettingsTitles.list,
        blankFormsHref: paths.peps.blankForms(),
        authorities: authorities.map((authority) => ({
          name: authority.name,
          forms: FORM_TYPES.map((formType) => ({
            text: `${FORM_TYPE_NAMES[formType]} PEP`,
            href: `${paths.formSettings.formType(formType)}?authority=${encodeURIComponent(authority.id)}`,
          })),
        })),
      })
    },
  )

  async function load(formType: string, authority: unknown, user: CurrentUser) {
    if (!isFormType(formType)) return undefined
    const pick = await pickAuthority(db, user, 'forms.manage', authority)
    if (pick.kind !== 'one') return undefined
    return { formType, authority: pick.authority, template: currentTemplate(formType) }
  }

  app.get<{ Params: { formType: string }; Querystring: Query }>(
    paths.formSettings.formType(':formType'),
    { config: { access: { action: 'forms.manage' }, audit: 'forms.settings.view' } },
    async (request, reply) => {
      const found = await load(request.params.formType, request.query.authority, request.user!)
      if (!found) return reply.notFound()
      const overrides = await mandatoryOverrides(db, found.authority.id, found.formType)
      return reply.render('form-settings/views/form-type.njk', {
        pageTitle: formSettingsTitles.formType(found.formType),
        authority: found.authority,
        formName: `${FORM_TYPE_NAMES[found.formType]} PEP`,
        version: found.template.version,
        action: `${paths.formSettings.formType(found.formType)}?authority=${encodeURIComponent(found.authority.id)}`,
        sections: mandatoryChoices(found.template, overrides),
      })
    },
  )

  app.post<{
    Params: { formType: string }
    Querystring: Query
    Body: Record<string, unknown> | undefined
  }>(
    paths.formSettings.formType(':formType'),
    { config: { access: { action: 'forms.manage' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const found = await load(request.params.formType, request.query.authority, request.user!)
      if (!found) return reply.notFound()
      const posted = request.body?.['mandatory']
      const ticked = new Set(
        (Array.isArray(posted) ? posted : [posted]).filter(
          (v): v is string => typeof v === 'string',
        ),
      )
      const changes = changesFromTicked(found.template, ticked)
      await saveMandatoryQuestions(db, actorFrom(request, clock), {
        authorityId: found.authority.id,
        formType: found.formType,
        changes,
      })
      request.flash(
        'success',
        `Mandatory questions saved for the ${FORM_TYPE_NAMES[found.formType]} PEP`,
      )
      return reply.redirect(
        `${paths.formSettings.formType(found.formType)}?authority=${encodeURIComponent(found.authority.id)}`,
        303,
      )
    },
  )
}
