import { z } from 'zod'
import type { Database } from '../../db/connection.ts'
import { audit } from '../../shared/actor.ts'
import { attachmentDisposition } from '../../shared/download.ts'
import { signedOffPdfOfAuthority } from '../peps/pep-pdf.service.ts'
import type { ApiOperations } from '../../shared/api/operation.ts'
import { httpProblem, ruleProblem, sendProblem } from '../../shared/api/problem.ts'

/*
 * A signed-off PEP's PDF, as the Virtual School reads it: the one kept at sign-off (ADR 10),
 * named as the pages name it. Another authority's PEP, an unknown id and one that is not a UUID
 * are all 404 alike; a PEP not yet signed off is 409 (its PDF would be a draft).
 */

const Params = z.object({
  pepId: z.string().describe('The PEP’s id (a UUID), as `GET /peps` lists it'),
})

export function pdfApiRoutes(operations: ApiOperations, { db }: { db: Database }) {
  operations.register(
    {
      method: 'GET',
      path: '/peps/:pepId/pdf',
      operationId: 'getPepPdf',
      summary: "A signed-off PEP's PDF",
      description:
        'The PDF kept when the PEP was signed off, as the Virtual School reads it: every section, the quality assurance, and who completed what and when. `Content-Disposition` names the file as the pages do.',
      tag: 'PEPs',
      scope: 'pdfs:read',
      audit: 'api.pep.pdf',
      params: Params,
      responses: {
        200: { description: 'The PDF', contentType: 'application/pdf' },
        404: { description: 'No PEP with that id in this authority' },
        409: { description: 'The PEP is not signed off yet (`pep.not-signed-off`)' },
      },
    },
    async ({ params, client, actor, reply }) => {
      const found = await signedOffPdfOfAuthority(db, client.authorityId, params.pepId, actor.now)
      if (!found.ok)
        return found.error.code === 'pep.not-found'
          ? sendProblem(reply, httpProblem(404, 'There is no PEP with that id'))
          : sendProblem(
              reply,
              ruleProblem(
                409,
                'pep.not-signed-off',
                'The PEP is not signed off yet: it has no PDF',
              ),
            )
      const { content, filename, childId } = found.value
      await audit(db, actor, {
        action: 'api.pep.pdf',
        childId,
        details: { pepId: params.pepId },
      })
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachmentDisposition(filename))
        .header('x-content-type-options', 'nosniff')
        .send(content)
    },
  )
}
