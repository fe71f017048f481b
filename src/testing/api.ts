import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'
import type { ApiScope } from '../domain/api-scopes.ts'
import { londonDate } from '../domain/calendar-date.ts'
import type { TestContext } from './app.ts'
import { registerClient } from '../features/api/clients.service.ts'

/*
 * For the API's tests: a client registered as the authority's administrator would, calls with
 * its secret, and the contract check: each real response validated (ajv, JSON Schema 2020-12)
 * against the schema the OpenAPI document gives for its operation and status.
 */

export async function authorityIds(t: TestContext) {
  const rows = await t.database.db.selectFrom('authority').select(['id', 'code']).execute()
  return Object.fromEntries(rows.map((r) => [r.code, r.id])) as Record<string, string>
}

export async function makeClient(
  t: TestContext,
  authorityId: string,
  scopes: ApiScope[],
  name = 'Case management system',
) {
  const admin = await t.database.db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', 'vs.admin@example.org')
    .executeTakeFirstOrThrow()
  const now = t.clock.now()
  return registerClient(
    t.database.db,
    { userId: admin.id, role: 'vs_admin', now, today: londonDate(now) },
    authorityId,
    { name, scopes },
  )
}

export function call(
  t: TestContext,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  url: string,
  options: { secret?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: {
      ...(options.secret ? { authorization: `Bearer ${options.secret}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  })
}

/** Checks real responses against the OpenAPI document the app serves. */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true })
  readonly document: {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
    >
  }
  /** Every operation and status a test has checked, for the coverage assertion. */
  readonly checked = new Set<string>()

  constructor(document: Contract['document']) {
    addFormats.default(this.ajv)
    this.document = document
    this.ajv.addSchema(document as object, 'openapi.json')
  }

  static async load(t: TestContext): Promise<Contract> {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    return new Contract(response.json())
  }

  /** The response's status and body must be the document's for this operation. */
  check(method: string, path: string, response: LightMyRequestResponse): void {
    const operation = this.document.paths[path]?.[method.toLowerCase()]
    expect(operation, `${method} ${path} is in the document`).toBeDefined()
    const status = String(response.statusCode)
    const described = operation!.responses[status]
    expect(described, `${method} ${path} ${status} is in the document`).toBeDefined()
    this.checked.add(`${method} ${path} ${status}`)
    const contentType = String(response.headers['content-type'] ?? '').split(';')[0]!
    if (!described!.content) {
      expect(response.body, `${method} ${path} ${status} has no body`).toBe('')
      return
    }
    expect(Object.keys(described!.content), `${method} ${path} ${status} type`).toContain(
      contentType,
    )
    if (!contentType.includes('json')) return
    const pointer = [
      'paths',
      path,
      method.toLowerCase(),
      'responses',
      status,
      'content',
      contentType,
      'schema',
    ]
      .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/')
    const validate = this.ajv.compile({ $ref: `openapi.json#/${pointer}` })
    const valid = validate(response.json())
    expect(validate.errors ?? [], `${method} ${path} ${status} matches its schema`).toEqual([])
    expect(valid).toBe(true)
  }
}

export interface WebhookReceiver {
  url: string
  /** Each event's JSON body, in the order it came. */
  received: { type: string; data: Record<string, string> }[]
  close(): Promise<void>
}

/** A real node:http receiver on a loopback port, answering every event "ok". */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = []
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      received.push(JSON.parse(body) as WebhookReceiver['received'][number])
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
