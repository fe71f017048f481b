import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { authorityIds, call } from '../../testing/api.ts'

/*
 * The API clients' pages through HTTP: a Virtual School administrator adds a client for their
 * authority (the form's errors; the secret shown once and stored only as a hash), sees when each
 * was last used, and revokes one; another authority's administrator and other roles cannot; the
 * API's rate limit counts per client.
 */

let t: TestContext
let ids: Record<string, string>
let admin: TestAgent
let quietSecret = ''

const LIST = '/admin/settings/api-clients'

async function agent(email: string) {
  const a = new TestAgent(t.app)
  await a.signIn(email, DEMO_PASSWORD)
  return a
}

beforeAll(async () => {
  t = await createTestApp({ apiRateLimit: { max: 3, timeWindowMs: 60_000 }, seed: 'demo' })
  ids = await authorityIds(t)
  admin = await agent('vs.admin@example.org')
})
afterAll(() => t.close())

describe('API clients', () => {
  it('are linked from the settings and listed for the administrator’s authority', async () => {
    const overview = await admin.get('/admin/settings')
    expect(overview.body).toContain(`href="${LIST}?authority=${ids.HFD}"`)
    const list = await admin.get(LIST)
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('Harrowfield County Council has no API clients.')
  })

  it('refuses a client without a name or a scope, keeping what was typed', async () => {
    await admin.get(`${LIST}/new`)
    const response = await admin.post(`${LIST}/new`, { name: 'Mosaic', scopes: [] })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is a problem')
    expect(response.body).toContain('href="#scopes"')
    expect(response.body).toContain('Select what the system may do')
    expect(response.body).toContain('value="Mosaic"')
    const noName = await admin.post(`${LIST}/new`, { name: ' ', scopes: ['peps:read', 'root'] })
    expect(noName.statusCode).toBe(400)
    expect(noName.body).toContain('Enter a name for the system')
    expect(await t.database.db.selectFrom('api_client').select('id').execute()).toEqual([])
  })

  it('shows the secret once, stores only its hash, and the secret works', async () => {
    await admin.get(`${LIST}/new`)
    const response = await admin.post(`${LIST}/new`, {
      name: 'Mosaic (live)',
      scopes: ['children:read', 'peps:read'],
    })
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('API client added')
    const secret = /<code id="secret">(opep_[\w-]{43})<\/code>/.exec(response.body)?.[1]
    expect(secret).toBeDefined()
    const row = await t.database.db.selectFrom('api_client').selectAll().executeTakeFirstOrThrow()
    expect(row.secret_hash).toBe(createHash('sha256').update(secret!).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(secret!.slice(5))
    expect(row).toMatchObject({ authority_id: ids.HFD, scopes: ['children:read', 'peps:read'] })
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['details', 'authority_id'])
      .where('action', '=', 'api.client.create')
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(audit.details)).not.toContain(secret!.slice(5))
    // Never shown again: the list has only its last characters, and when it was last used.
    let list = await admin.get(LIST)
    expect(list.body).not.toContain(secret!)
    expect(list.body).toContain(`…${secret!.slice(-4)}`)
    expect(list.body).toContain('Never')
    const child = await t.database.db
      .selectFrom('child')
      .select('case_reference')
      .where('authority_id', '=', ids.HFD!)
      .orderBy('case_reference')
      .executeTakeFirstOrThrow()
    const read = await call(t, 'GET', `/api/v1/children/${child.case_reference}`, { secret })
    expect(read.statusCode).toBe(200)
    list = await admin.get(LIST)
    expect(list.body).not.toContain('>Never<')
  })

  it('limits each client’s calls, per client (429 as problem details)', async () => {
    const row = await t.database.db
      .selectFrom('child')
      .select('case_reference')
      .where('authority_id', '=', ids.HFD!)
      .orderBy('case_reference')
      .executeTakeFirstOrThrow()
    const url = `/api/v1/children/${row.case_reference}`
    await admin.get(`${LIST}/new`)
    const page = await admin.post(`${LIST}/new`, { name: 'Busy', scopes: ['children:read'] })
    const busy = /<code id="secret">([^<]+)<\/code>/.exec(page.body)![1]!
    await admin.get(`${LIST}/new`)
    const page2 = await admin.post(`${LIST}/new`, { name: 'Quiet', scopes: ['children:read'] })
    const quiet = /<code id="secret">([^<]+)<\/code>/.exec(page2.body)![1]!
    const statuses = []
    for (let i = 0; i < 4; i++)
      statuses.push((await call(t, 'GET', url, { secret: busy })).statusCode)
    expect(statuses).toEqual([200, 200, 200, 429])
    const limited = await call(t, 'GET', url, { secret: busy })
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(limited.headers['retry-after']).toBeDefined()
    expect((await call(t, 'GET', url, { secret: quiet })).statusCode).toBe(200)
    quietSecret = quiet
  })

  it('revokes a client: its secret stops working, and the list says so', async () => {
    const client = await t.database.db
      .selectFrom('api_client')
      .select(['id'])
      .where('name', '=', 'Quiet')
      .executeTakeFirstOrThrow()
    // Another authority's administrator cannot see or revoke it.
    const eastmere = await agent('eastmere.admin@example.org')
    await eastmere.get(LIST)
    expect(
      (await eastmere.get(`${LIST}/${client.id}/revoke?authority=${ids.HFD}`)).statusCode,
    ).toBe(404)
    const theirs = await eastmere.post(`${LIST}/${client.id}/revoke?authority=${ids.HFD}`)
    expect(theirs.statusCode).toBe(404)
    const own = await eastmere.post(`${LIST}/${client.id}/revoke`)
    expect(own.statusCode).toBe(404)
    // Nor can a consultant open the page.
    const consultant = await agent('vs.consultant@example.org')
    expect((await consultant.get(LIST)).statusCode).toBe(403)

    // The list links to an "Are you sure" page (a link, not a form: nothing happens yet).
    const before = await admin.get(LIST)
    const confirmHref = `${LIST}/${client.id}/revoke?authority=${ids.HFD}`
    expect(before.body).toContain(`href="${confirmHref}"`)
    const confirm = await admin.get(confirmHref)
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('Are you sure you want to revoke Quiet?')
    expect(confirm.body).toContain(`action="${confirmHref}"`)
    expect(confirm.body).toContain('No, keep it')
    expect((await admin.get(`${LIST}/not-a-uuid/revoke`)).statusCode).toBe(404)
    expect(
      await t.database.db
        .selectFrom('api_client')
        .select('revoked_at')
        .where('id', '=', client.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ revoked_at: null })
    const revoke = await admin.post(confirmHref)
    expect(revoke.statusCode).toBe(303)
    const list = await admin.get(revoke.headers.location as string)
    expect(list.body).toContain('Quiet is revoked: its secret no longer works')
    expect(list.body).toContain('Revoked')
    const child = await t.database.db
      .selectFrom('child')
      .select('case_reference')
      .where('authority_id', '=', ids.HFD!)
      .executeTakeFirstOrThrow()
    const refused = await call(t, 'GET', `/api/v1/children/${child.case_reference}`, {
      secret: quietSecret,
    })
    expect(refused.statusCode).toBe(401)
    const again = await admin.post(`${LIST}/${client.id}/revoke`)
    expect(again.statusCode).toBe(404)
    expect((await admin.get(confirmHref)).statusCode).toBe(404)
    expect(
      await t.database.db
        .selectFrom('audit_event')
        .select('id')
        .where('action', '=', 'api.client.revoke')
        .execute(),
    ).toHaveLength(1)
  })
})
