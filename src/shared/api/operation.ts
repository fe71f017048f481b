import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { ApiScope } from '../../domain/api-scopes.ts'
import type { AuditAction } from '../../domain/audit.ts'
import type { Clock } from '../../domain/clock.ts'
import type { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { clientActor, originOf, type Actor } from '../actor.ts'
import {
  fieldProblems,
  httpProblem,
  ProblemSchema,
  sendProblem,
  validationProblem,
  type FieldProblem,
} from './problem.ts'

/*
 * One description of each API operation (ADR 12): its path, scope, and the zod schemas of its
 * path, query, body and responses. The same schemas validate each request (`register`) and make
 * the OpenAPI 3.1 document (`openApiDocument`), so the document cannot say one thing while the
 * route accepts another; a contract test checks the responses against it too.
 */

export const API_PREFIX = '/api/v1'

type AnyObject = z.ZodObject<z.ZodRawShape>

export interface ResponseSpec {
  description: string
  /** The JSON body; absent for a response with no JSON body (a PDF, 204). */
  schema?: z.ZodType
  /** Defaults to application/json when there is a schema. */
  contentType?: string
}

export interface OperationSpec<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Fastify's pattern under /api/v1, like `/children/:caseReference`. */
  path: string
  operationId: string
  summary: string
  description?: string
  tag: string
  scope: ApiScope
  /** Reads name their audit action (written by the handler once it knows the child); changes are audited by their service. */
  audit: AuditAction | typeof RECORDED_IN_TRANSACTION
  params?: P
  query?: Q
  body?: B
  /** Success responses, and any refusal particular to the operation (409, 422). */
  responses: Record<number, ResponseSpec>
}

/** The client a call is made as, once its secret is proven (`features/api/clients.service.ts`). */
export interface ApiClient {
  id: string
  authorityId: string
  name: string
  scopes: ApiScope[]
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined

export interface OperationInput<P, Q, B> {
  params: Infer<P>
  query: Infer<Q>
  body: Infer<B>
  client: ApiClient
  /** The client as the actor: every change and audit event it causes is recorded as it. */
  actor: Actor & { clientId: string; authorityId: string }
  request: FastifyRequest
  reply: FastifyReply
}

declare module 'fastify' {
  interface FastifyRequest {
    /** On API routes, the client whose bearer secret came with the call. */
    apiClient: ApiClient | null
  }
}

/** Registers operations on the API's Fastify scope and remembers them for the document. */
export class ApiOperations {
  readonly specs: OperationSpec[] = []
  /** The API's Fastify scope, for its few routes that are not operations (the document). */
  readonly app: FastifyInstance
  private readonly clock: Clock
  private readonly refuse: (
    request: FastifyRequest,
    reason: string,
    scope: ApiScope,
  ) => Promise<void>

  constructor(
    app: FastifyInstance,
    clock: Clock,
    refuse: (request: FastifyRequest, reason: string, scope: ApiScope) => Promise<void>,
  ) {
    this.app = app
    this.clock = clock
    this.refuse = refuse
  }

  register<
    P extends AnyObject | undefined,
    Q extends AnyObject | undefined,
    B extends z.ZodType | undefined,
  >(
    spec: OperationSpec<P, Q, B>,
    handler: (input: OperationInput<P, Q, B>) => Promise<unknown>,
  ): void {
    this.specs.push(spec as unknown as OperationSpec)
    this.app.route({
      method: spec.method,
      url: spec.path,
      config: { access: { api: spec.scope }, audit: spec.audit },
      handler: async (request, reply) => {
        const client = request.apiClient!
        if (!client.scopes.includes(spec.scope)) {
          await this.refuse(request, 'scope-missing', spec.scope)
          reply.header(
            'www-authenticate',
            `Bearer error="insufficient_scope", scope="${spec.scope}"`,
          )
          return sendProblem(
            reply,
            httpProblem(403, `This client may not do this: it needs the scope ${spec.scope}`),
          )
        }
        const problems: FieldProblem[] = []
        const read = <S extends z.ZodType | undefined>(
          schema: S,
          value: unknown,
          where: FieldProblem['in'],
        ) => {
          if (!schema) return undefined
          const parsed = schema.safeParse(value ?? {})
          if (parsed.success) return parsed.data
          problems.push(...fieldProblems(parsed.error.issues, where))
          return undefined
        }
        if (spec.body && !(request.headers['content-type'] ?? '').startsWith('application/json'))
          return sendProblem(reply, httpProblem(415, 'Send the body as application/json'))
        const params = read(spec.params, request.params, 'path')
        const query = read(spec.query, request.query, 'query')
        const body = read(spec.body, request.body, 'body')
        if (problems.length > 0) return sendProblem(reply, validationProblem(problems))
        return handler({
          params: params as Infer<P>,
          query: query as Infer<Q>,
          body: body as Infer<B>,
          client,
          actor: clientActor(client, this.clock.now(), originOf(request)),
          request,
          reply,
        })
      },
    })
  }
}

/** Fastify's `:name` to OpenAPI's `{name}`. */
export const openApiPath = (path: string) => `${API_PREFIX}${path.replace(/:(\w+)/g, '{$1}')}`

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>
  // The document names its dialect once (jsonSchemaDialect), not in every schema.
  delete generated.$schema
  return generated
}

function parameters(shape: AnyObject | undefined, where: 'path' | 'query') {
  if (!shape) return []
  return Object.entries(shape.shape).map(([name, field]) => {
    const schema = jsonSchema(field as z.ZodType, 'input')
    const description = (field as z.ZodType).description
    return {
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema,
    }
  })
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})

/** The OpenAPI 3.1 document of every operation registered. */
export function openApiDocument(specs: OperationSpec[], serverUrl: string) {
  const schemas: Record<string, unknown> = {
    Problem: jsonSchema(ProblemSchema, 'output'),
  }
  const paths: Record<string, Record<string, unknown>> = {}
  for (const spec of specs) {
    const responses: Record<string, unknown> = {}
    for (const [status, response] of Object.entries(spec.responses)) {
      const type = response.contentType ?? 'application/json'
      // A refusal particular to the operation is problem details, like every other.
      if (Number(status) >= 400 && !response.schema) {
        responses[status] = problemResponse(response.description)
        continue
      }
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { [type]: { schema: jsonSchema(response.schema, 'output') } } }
          : response.contentType
            ? { content: { [type]: { schema: { type: 'string', contentMediaType: type } } } }
            : {}),
      }
    }
    if (spec.params || spec.query || spec.body)
      responses['400'] ??= problemResponse('A field is not valid: each is named in `errors`')
    responses['401'] = problemResponse('No secret, or a secret that is unknown or revoked')
    responses['403'] = problemResponse(`The client lacks the scope ${spec.scope}`)
    if (spec.path.includes(':'))
      responses['404'] ??= problemResponse('Not found for this authority')
    if (spec.body) responses['415'] = problemResponse('The body was not application/json')
    responses['429'] = problemResponse("Over the client's rate limit: wait for Retry-After")
    paths[openApiPath(spec.path)] ??= {}
    paths[openApiPath(spec.path)]![spec.method.toLowerCase()] = {
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [spec.tag],
      security: [{ bearer: [spec.scope] }],
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'OpenPEP API',
      version: '1.0.0',
      description:
        "For a local authority's case management system: its children, their changes of circumstance, their PEPs and the signed-off PDFs, and webhooks. Each client is registered by a Virtual School administrator for one authority, with scopes; it sends its secret as a bearer token (RFC 6750). Errors are problem details (RFC 9457).",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The client secret shown once when the client was added (Settings, API clients), sent as `Authorization: Bearer <secret>`.',
        },
      },
      schemas,
    },
    paths,
  }
}
