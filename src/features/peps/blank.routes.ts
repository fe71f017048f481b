import type { FastifyPluginAsync } from 'fastify'
import type { Clock } from '../../domain/clock.ts'
import { FORM_TYPE_NAMES, type FormType } from '../../domain/year-group.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import { paths } from '../../paths.ts'
import { attachmentDisposition } from '../../shared/download.ts'
import { formatDateTime } from '../../views/format.ts'
import { blankFilename, blankPepModel, blankTitle } from './blank-pep.presenter.ts'
import { renderPepPdf } from './pep.pdf.ts'
import { pepTitles } from './pep.presenter.ts'

/*
 * Blank PEPs (issue 21): the page listing each form type, and each one's blank form as a PDF to
 * print for a meeting. For staff who work on PEPs (`pep.blank`); a carer or a young person gets
 * 403. The form holds nobody's data, so the page needs no audit; each download is audited.
 */

const FORM_TYPES = Object.keys(FORM_TYPE_NAMES) as FormType[]
const isFormType = (value: string): value is FormType => (FORM_TYPES as string[]).includes(value)

export const blankPepRoutes: FastifyPluginAsync<{ clock: Clock }> = async (app, { clock }) => {
  app.get(
    paths.peps.blankForms(),
    { config: { access: { action: 'pep.blank' }, audit: 'none' } },
    async (_request, reply) =>
      reply.render('peps/views/blank-forms.njk', {
        pageTitle: pepTitles.blankForms,
        forms: FORM_TYPES.map((formType) => ({
          text: `${blankTitle(formType)} (PDF, version ${currentTemplate(formType).version})`,
          href: paths.peps.blankPdf(formType),
        })),
      }),
  )

  app.get<{ Params: { formType: string } }>(
    paths.peps.blankPdf(':formType'),
    { config: { access: { action: 'pep.blank' }, audit: 'pep.blank.download' } },
    async (request, reply) => {
      const { formType } = request.params
      if (!isFormType(formType)) return reply.notFound()
      const template = currentTemplate(formType)
      const content = await renderPepPdf(blankPepModel(template, formatDateTime(clock.now())))
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachmentDisposition(blankFilename(template)))
        .header('x-content-type-options', 'nosniff')
        .send(content)
    },
  )
}
