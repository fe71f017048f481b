import type { ApiOperations } from '../../shared/api/operation.ts'
import { openApiDocument, openApiPath } from '../../shared/api/operation.ts'
import { API_DOCS_TITLE, scopeRows } from './docs.presenter.ts'

/*
 * The API's description: the OpenAPI 3.1 document made from the operations' own schemas, and a
 * readable page of the same (server-rendered, no script, nothing from another site).
 */
export function docsRoutes(operations: ApiOperations, { baseUrl }: { baseUrl: string }) {
  const app = operations.app
  const PUBLIC = { access: { public: true }, audit: 'none' } as const
  let document: ReturnType<typeof openApiDocument> | undefined
  const doc = () => (document ??= openApiDocument(operations.specs, `${baseUrl}/api/v1`))

  app.get('/openapi.json', { config: PUBLIC }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').send(doc()),
  )

  app.get('/docs', { config: PUBLIC }, async (_request, reply) =>
    reply.render('api/views/docs.njk', {
      pageTitle: API_DOCS_TITLE,
      openapiHref: '/api/v1/openapi.json',
      scopes: scopeRows(),
      operations: operations.specs.map((spec) => {
        const path = openApiPath(spec.path)
        const described = doc().paths[path]?.[spec.method.toLowerCase()] as
          { responses: Record<string, { description: string }> } | undefined
        return {
          method: spec.method,
          path,
          summary: spec.summary,
          description: spec.description ?? '',
          scope: spec.scope,
          tag: spec.tag,
          responses: Object.entries(described?.responses ?? {}).map(([status, r]) => ({
            status,
            description: r.description,
          })),
        }
      }),
    }),
  )
}
