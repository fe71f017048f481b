import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { authorityIds, call, Contract, makeClient } from '../../testing/api.ts'

/*
 * The API's children through HTTP on a real database: bearer secrets (none, unknown, revoked),
 * scopes, reading and writing a child by case reference with the pages' own rules, another
 * authority's child never found, problem details naming each field, the audit trail recording
 * the client, and every response checked against the OpenAPI document.
 */

let t: TestContext
let ids: Record<string, string>
let contract: Contract
let full: string
let readOnly: string
let eastmere: string

const CHILD = '/api/v1/children/{caseReference}'

const newChild = {
  firstName: 'Robin',
  lastName: 'Fairweather',
  dateOfBirth: '2015-03-14',
  gender: 'female',
  enteredCareOn: '2024-09-01',
  schoolUrn: '990001',
  placement: 'Foster care with Pat Example',
  socialWorkerEmail: 'social.worker@example.org',
  legalStatus: 'Section 31 care order',
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  ids = await authorityIds(t)
  contract = await Contract.load(t)
  full = (await makeClient(t, ids.HFD!, ['children:read', 'children:write', 'peps:read'])).secret
  readOnly = (await makeClient(t, ids.HFD!, ['peps:read'])).secret
  eastmere = (await makeClient(t, ids.EMR!, ['children:read', 'children:write'])).secret
})
afterAll(() => t.close())

async function aCaseReference(code: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('child')
    .select('case_reference')
    .where('authority_id', '=', ids[code]!)
    .where('status', '=', 'in_care')
    .orderBy('case_reference')
    .executeTakeFirstOrThrow()
  return row.case_reference
}

describe('signing API calls', () => {
  it('refuses a call without a secret, with an unknown one, or with a person’s session (401)', async () => {
    const reference = await aCaseReference('HFD')
    const none = await call(t, 'GET', `/api/v1/children/${reference}`)
    expect(none.statusCode).toBe(401)
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(none.headers['www-authenticate']).toBe('Bearer realm="OpenPEP"')
    expect(none.json()).toMatchObject({ type: 'about:blank', status: 401, title: 'Unauthorized' })
    contract.check('GET', CHILD, none)
    const unknown = await call(t, 'GET', `/api/v1/children/${reference}`, {
      secret: 'opep_' + 'x'.repeat(43),
    })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.body).not.toContain(reference)
    // A signed-in administrator's cookie is no key to the API.
    const admin = new TestAgent(t.app)
    await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const withCookie = await admin.get(`/api/v1/children/${reference}`)
    expect(withCookie.statusCode).toBe(401)
    const refused = await t.database.db
      .selectFrom('audit_event')
      .select(['outcome', 'details'])
      .where('action', '=', 'api.refused')
      .execute()
    expect(refused.length).toBeGreaterThanOrEqual(3)
    expect(refused.every((r) => r.outcome === 'denied')).toBe(true)
  })

  it('refuses a revoked client (401) and records the refusal as that client', async () => {
    const { id, secret } = await makeClient(t, ids.HFD!, ['children:read'], 'Old system')
    const reference = await aCaseReference('HFD')
    expect((await call(t, 'GET', `/api/v1/children/${reference}`, { secret })).statusCode).toBe(200)
    await t.database.db
      .updateTable('api_client')
      .set({ revoked_at: t.clock.now() })
      .where('id', '=', id)
      .execute()
    const revoked = await call(t, 'GET', `/api/v1/children/${reference}`, { secret })
    expect(revoked.statusCode).toBe(401)
    expect(revoked.headers['www-authenticate']).toContain('invalid_token')
    expect(revoked.body).not.toContain(reference)
    const event = await t.database.db
      .selectFrom('audit_event')
      .select(['api_client_id', 'acting_role', 'details'])
      .where('action', '=', 'api.refused')
      .where('api_client_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(event).toMatchObject({ acting_role: 'api-client', details: { reason: 'revoked' } })
  })

  it('refuses a scope the client lacks (403), naming the scope', async () => {
    const reference = await aCaseReference('HFD')
    const response = await call(t, 'GET', `/api/v1/children/${reference}`, { secret: readOnly })
    expect(response.statusCode).toBe(403)
    expect(response.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="children:read"',
    )
    expect(response.body).not.toContain(reference)
    contract.check('GET', CHILD, response)
    const write = await call(t, 'PUT', `/api/v1/children/NEW-1`, {
      secret: readOnly,
      body: newChild,
    })
    expect(write.statusCode).toBe(403)
    contract.check('PUT', CHILD, write)
  })
})

describe('reading a child', () => {
  it('reads a child of the client’s authority by case reference, audited as the client', async () => {
    const reference = await aCaseReference('HFD')
    const response = await call(t, 'GET', `/api/v1/children/${encodeURIComponent(reference)}`, {
      secret: full,
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ caseReference: reference, status: 'in_care' })
    contract.check('GET', CHILD, response)
    const child = await t.database.db
      .selectFrom('child')
      .select('id')
      .where('case_reference', '=', reference)
      .executeTakeFirstOrThrow()
    const event = await t.database.db
      .selectFrom('audit_event')
      .select(['user_id', 'acting_role', 'api_client_id', 'authority_id'])
      .where('action', '=', 'api.child.read')
      .where('child_id', '=', child.id)
      .executeTakeFirstOrThrow()
    expect(event.user_id).toBeNull()
    expect(event.acting_role).toBe('api-client')
    expect(event.api_client_id).not.toBeNull()
    expect(event.authority_id).toBe(ids.HFD)
  })

  it('answers 404 for another authority’s child, as for one that does not exist', async () => {
    const theirs = await aCaseReference('EMR')
    const other = await call(t, 'GET', `/api/v1/children/${theirs}`, { secret: full })
    const missing = await call(t, 'GET', '/api/v1/children/NO-SUCH-CHILD', { secret: full })
    expect(other.statusCode).toBe(404)
    expect(missing.statusCode).toBe(404)
    expect(other.json()).toEqual(missing.json())
    contract.check('GET', CHILD, other)
    // And Eastmere's own client reads it.
    expect(
      (await call(t, 'GET', `/api/v1/children/${theirs}`, { secret: eastmere })).statusCode,
    ).toBe(200)
  })

  it('answers problem details for a path that is no operation', async () => {
    const response = await call(t, 'GET', '/api/v1/nothing-here', { secret: full })
    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})

describe('creating and updating a child', () => {
  it('creates a child with its school, placement and social worker, as the add page does', async () => {
    const response = await call(t, 'PUT', '/api/v1/children/HFD-API-1', {
      secret: full,
      body: newChild,
    })
    expect(response.statusCode).toBe(201)
    contract.check('PUT', CHILD, response)
    const body = response.json()
    expect(body.created).toBe(true)
    expect(body.child).toMatchObject({
      caseReference: 'HFD-API-1',
      school: { urn: '990001', name: 'Oakbridge Primary School' },
      socialWorker: { email: 'social.worker@example.org' },
      placement: 'Foster care with Pat Example',
      version: 1,
    })
    const child = await t.database.db
      .selectFrom('child')
      .select('id')
      .where('case_reference', '=', 'HFD-API-1')
      .executeTakeFirstOrThrow()
    // The same things follow as from the page: the school history, the access list, the audit.
    const access = await t.database.db
      .selectFrom('child_access')
      .select('capacity')
      .where('child_id', '=', child.id)
      .execute()
    expect(access.map((a) => a.capacity)).toContain('social_worker')
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['acting_role', 'api_client_id', 'user_id'])
      .where('action', '=', 'child.create')
      .where('child_id', '=', child.id)
      .executeTakeFirstOrThrow()
    expect(audit.acting_role).toBe('api-client')
    expect(audit.api_client_id).not.toBeNull()
    expect(audit.user_id).toBeNull()
  })

  it('updates the core data and says what changed; sending it again changes nothing', async () => {
    const changed = { ...newChild, preferredName: 'Bobbi', legalStatus: 'Section 20' }
    const first = await call(t, 'PUT', '/api/v1/children/HFD-API-1', {
      secret: full,
      body: changed,
    })
    expect(first.statusCode).toBe(200)
    contract.check('PUT', CHILD, first)
    expect(first.json()).toMatchObject({
      created: false,
      changed: ['preferredName', 'legalStatus'],
      child: { preferredName: 'Bobbi', version: 2 },
    })
    const again = await call(t, 'PUT', '/api/v1/children/HFD-API-1', {
      secret: full,
      body: changed,
    })
    expect(again.json()).toMatchObject({ changed: [], child: { version: 2 } })
  })

  it('refuses a new school, placement or social worker on an update: those are events', async () => {
    const response = await call(t, 'PUT', '/api/v1/children/HFD-API-1', {
      secret: full,
      body: { ...newChild, schoolUrn: '990002', placement: 'Residential' },
    })
    expect(response.statusCode).toBe(400)
    contract.check('PUT', CHILD, response)
    expect(response.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/schoolUrn',
      '/placement',
    ])
  })

  it('names every field a request gets wrong, by the schema and by the pages’ rule', async () => {
    const bad = await call(t, 'PUT', '/api/v1/children/HFD-API-2', {
      secret: full,
      body: { ...newChild, dateOfBirth: '2015-02-30', gender: 'robot', colour: 'blue' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/)
    contract.check('PUT', CHILD, bad)
    const problem = bad.json()
    expect(problem).toMatchObject({
      type: 'urn:openpep:problem:api.validation',
      code: 'api.validation',
    })
    expect(problem.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/colour',
      '/dateOfBirth',
      '/gender',
    ])
    // The pages' rule: a date of birth to come, a school and a social worker not of Harrowfield.
    const rule = await call(t, 'PUT', '/api/v1/children/HFD-API-2', {
      secret: full,
      body: {
        ...newChild,
        dateOfBirth: '2030-01-01',
        schoolUrn: '990006',
        socialWorkerEmail: 'eastmere.admin@example.org',
      },
    })
    expect(rule.statusCode).toBe(400)
    contract.check('PUT', CHILD, rule)
    expect(rule.json().errors).toEqual([
      {
        pointer: '/dateOfBirth',
        in: 'body',
        code: 'child.invalid',
        detail: 'Date of birth must be today or in the past',
      },
      {
        pointer: '/schoolUrn',
        in: 'body',
        code: 'child.invalid',
        detail: 'No open school of the authority has URN 990006',
      },
      {
        pointer: '/socialWorkerEmail',
        in: 'body',
        code: 'child.invalid',
        detail: 'eastmere.admin@example.org is not a social worker of the authority',
      },
    ])
    const notJson = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/children/HFD-API-2',
      headers: { authorization: `Bearer ${full}`, 'content-type': 'application/json' },
      payload: '{"firstName": ',
    })
    expect(notJson.statusCode).toBe(400)
    expect(notJson.headers['content-type']).toMatch(/^application\/problem\+json/)
    const form = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/children/HFD-API-2',
      headers: {
        authorization: `Bearer ${full}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'firstName=Robin',
    })
    expect(form.statusCode).toBe(415)
    contract.check('PUT', CHILD, form)
    expect(
      await t.database.db
        .selectFrom('child')
        .select('id')
        .where('case_reference', '=', 'HFD-API-2')
        .executeTakeFirst(),
    ).toBeUndefined()
  })

  it('refuses a UPN another child has, in any authority, without saying whose', async () => {
    const taken = await t.database.db
      .selectFrom('child')
      .select(['upn', 'first_name'])
      .where('authority_id', '=', ids.EMR!)
      .where('upn', 'is not', null)
      .executeTakeFirstOrThrow()
    const response = await call(t, 'PUT', '/api/v1/children/HFD-API-3', {
      secret: full,
      body: { ...newChild, upn: taken.upn },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual([
      expect.objectContaining({
        pointer: '/upn',
        detail: `UPN ${taken.upn} is already used by another child`,
      }),
    ])
    expect(response.body).not.toContain(taken.first_name)
  })

  it('gives another authority a child of its own under the same case reference, never ours', async () => {
    const response = await call(t, 'PUT', '/api/v1/children/HFD-API-1', {
      secret: eastmere,
      body: { ...newChild, schoolUrn: '990006', socialWorkerEmail: null },
    })
    expect(response.statusCode).toBe(201)
    expect(response.json().child.school.name).toBe('Fenside Primary School')
    const ours = await call(t, 'GET', '/api/v1/children/HFD-API-1', { secret: full })
    expect(ours.json().preferredName).toBe('Bobbi')
  })
})

describe('the description', () => {
  it('serves the OpenAPI 3.1 document and a readable page, without a secret', async () => {
    const document = await call(t, 'GET', '/api/v1/openapi.json')
    expect(document.statusCode).toBe(200)
    expect(document.json()).toMatchObject({ openapi: '3.1.0' })
    expect(Object.keys(document.json().paths)).toContain(CHILD)
    const page = await call(t, 'GET', '/api/v1/docs')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('PUT /api/v1/children/{caseReference}')
    expect(page.body).not.toMatch(/<script[^>]+src="https?:/)
  })
})

describe('reading PEPs', () => {
  it('pages the authority’s PEPs in a fixed order, never another authority’s, by scope', async () => {
    const all = await t.database.db
      .selectFrom('pep')
      .select('id')
      .where('authority_id', '=', ids.HFD!)
      .orderBy('updated_at')
      .orderBy('id')
      .execute()
    expect(all.length).toBeGreaterThan(2)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/api/v1/peps?limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const page = await call(t, 'GET', url, { secret: full })
      expect(page.statusCode).toBe(200)
      contract.check('GET', '/api/v1/peps', page)
      seen.push(...page.json().peps.map((p: { id: string }) => p.id))
      cursor = page.json().nextCursor
    } while (cursor)
    expect(seen).toEqual(all.map((p) => p.id))
    const later = await call(t, 'GET', '/api/v1/peps?changedSince=2100-01-01T00:00:00Z', {
      secret: full,
    })
    expect(later.json().peps).toEqual([])
    const bad = await call(t, 'GET', '/api/v1/peps?limit=0&cursor=nonsense', { secret: full })
    expect(bad.statusCode).toBe(400)
    contract.check('GET', '/api/v1/peps', bad)
    const theirs = await aCaseReference('EMR')
    const other = await call(t, 'GET', `/api/v1/peps?caseReference=${theirs}`, { secret: full })
    expect(other.statusCode).toBe(404)
    contract.check('GET', '/api/v1/peps', other)
    expect((await call(t, 'GET', '/api/v1/peps', { secret: eastmere })).statusCode).toBe(403)
  })
})
