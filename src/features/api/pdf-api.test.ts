import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { authorityIds, call, Contract, makeClient } from '../../testing/api.ts'

/*
 * A signed-off PEP's PDF through the API (pdfs:read): the Virtual School's PDF, read back with
 * poppler's pdftotext; a PEP not signed off is 409; another authority's PEP, an unknown id and
 * one that is not a UUID are 404 alike; a client without the scope 403; the read audited as the
 * client; every response checked against the OpenAPI document.
 */

let t: TestContext
let ids: Record<string, string>
let contract: Contract
let pdfs: string
let noScope: string

const PDF = '/api/v1/peps/{pepId}/pdf'

const textOf = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8')

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  ids = await authorityIds(t)
  contract = await Contract.load(t)
  pdfs = (await makeClient(t, ids.HFD!, ['pdfs:read'])).secret
  noScope = (await makeClient(t, ids.HFD!, ['children:read', 'peps:read'])).secret
})
afterAll(() => t.close())

async function aPep(code: string, signedOff: boolean) {
  return t.database.db
    .selectFrom('pep as p')
    .innerJoin('child as c', 'c.id', 'p.child_id')
    .select(['p.id', 'p.child_id', 'c.first_name', 'c.last_name', 'c.case_reference'])
    .where('p.authority_id', '=', ids[code]!)
    .where('p.status', signedOff ? '=' : '<>', 'signed_off')
    .orderBy('p.id')
    .executeTakeFirstOrThrow()
}

describe('a signed-off PEP’s PDF', () => {
  it('is the PDF the Virtual School reads, named as the pages name it, audited as the client', async () => {
    const pep = await aPep('HFD', true)
    const response = await call(t, 'GET', `/api/v1/peps/${pep.id}/pdf`, { secret: pdfs })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/pdf')
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="/)
    expect(response.headers['content-disposition']).toContain(`PEP ${pep.case_reference} `)
    contract.check('GET', PDF, response)
    const pdf = response.rawPayload
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const text = textOf(pdf)
    expect(text).toContain(`${pep.first_name} ${pep.last_name}`)
    expect(text).not.toContain('DRAFT')
    const event = await t.database.db
      .selectFrom('audit_event')
      .select(['user_id', 'acting_role', 'api_client_id', 'authority_id', 'details'])
      .where('action', '=', 'api.pep.pdf')
      .where('child_id', '=', pep.child_id)
      .executeTakeFirstOrThrow()
    expect(event).toMatchObject({
      user_id: null,
      acting_role: 'api-client',
      authority_id: ids.HFD,
      details: { pepId: pep.id },
    })
    expect(event.api_client_id).not.toBeNull()
  })

  it('is the one kept at sign-off when there is one', async () => {
    const pep = await aPep('HFD', true)
    const kept = Buffer.from('%PDF-1.7\n% the one kept at sign-off\n')
    await t.database.db
      .insertInto('pep_pdf')
      .values({ pep_id: pep.id, content: kept, sha256: 'x'.repeat(64), created_at: t.clock.now() })
      .execute()
    const response = await call(t, 'GET', `/api/v1/peps/${pep.id}/pdf`, { secret: pdfs })
    expect(response.statusCode).toBe(200)
    expect(response.rawPayload.equals(kept)).toBe(true)
    await t.database.db.deleteFrom('pep_pdf').where('pep_id', '=', pep.id).execute()
  })

  it('refuses a PEP not signed off yet (409 problem)', async () => {
    const pep = await aPep('HFD', false)
    const response = await call(t, 'GET', `/api/v1/peps/${pep.id}/pdf`, { secret: pdfs })
    expect(response.statusCode).toBe(409)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({
      type: 'urn:openpep:problem:pep.not-signed-off',
      status: 409,
      code: 'pep.not-signed-off',
    })
    contract.check('GET', PDF, response)
  })

  it('never finds another authority’s PEP, an unknown id or one that is not a UUID (404)', async () => {
    const theirs = await aPep('EMR', true)
    const other = await call(t, 'GET', `/api/v1/peps/${theirs.id}/pdf`, { secret: pdfs })
    expect(other.statusCode).toBe(404)
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(other.body).not.toContain(theirs.last_name)
    expect(other.body).not.toContain(theirs.case_reference)
    contract.check('GET', PDF, other)
    const unknown = await call(t, 'GET', `/api/v1/peps/00000000-0000-4000-8000-000000000000/pdf`, {
      secret: pdfs,
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual(other.json())
    const notUuid = await call(t, 'GET', `/api/v1/peps/not-a-uuid/pdf`, { secret: pdfs })
    expect(notUuid.statusCode).toBe(404)
    expect(notUuid.json()).toEqual(other.json())
    contract.check('GET', PDF, notUuid)
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'api.pep.pdf')
      .where('child_id', '=', theirs.child_id)
      .execute()
    expect(audited).toEqual([])
  })

  it('refuses a client without the pdfs:read scope (403)', async () => {
    const pep = await aPep('HFD', true)
    const response = await call(t, 'GET', `/api/v1/peps/${pep.id}/pdf`, { secret: noScope })
    expect(response.statusCode).toBe(403)
    expect(response.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="pdfs:read"',
    )
    expect(response.body).not.toContain('%PDF')
    contract.check('GET', PDF, response)
  })

  it('is described in the OpenAPI document as a binary PDF, with its refusals', async () => {
    const operation = contract.document.paths[PDF]?.get as unknown as {
      operationId: string
      security: unknown
      parameters: { name: string; in: string; required: boolean }[]
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>
    }
    expect(operation.operationId).toBe('getPepPdf')
    expect(operation.security).toEqual([{ bearer: ['pdfs:read'] }])
    expect(operation.parameters).toMatchObject([{ name: 'pepId', in: 'path', required: true }])
    expect(operation.responses['200']!.content).toEqual({
      'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
    })
    for (const status of ['401', '403', '404', '409', '429'])
      expect(Object.keys(operation.responses[status]!.content!)).toEqual([
        'application/problem+json',
      ])
    const page = await call(t, 'GET', '/api/v1/docs')
    expect(page.body).toContain('GET /api/v1/peps/{pepId}/pdf')
  })
})
