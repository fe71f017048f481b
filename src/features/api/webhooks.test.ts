import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeChild } from '../../testing/factories.ts'
import { queueWebhookEvent } from '../../shared/webhooks.ts'
import { authorityIds, call, makeClient } from '../../testing/api.ts'
import { deliverDueWebhooks } from './webhooks.service.ts'

/*
 * Webhooks against a real HTTP receiver (node:http on a free port): registered by the
 * authority's administrator (HTTPS only, but http://127.0.0.1 here by configuration; the secret
 * shown once), queued in the change's transaction with ids only, signed (HMAC-SHA256 over the
 * timestamp and body), retried with back-off after a 500, never re-sent once delivered, and not
 * sent at all once turned off or the client revoked; the delivery log; who may not see them.
 */

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

let t: TestContext
let ids: Record<string, string>
let admin: TestAgent
let server: Server
let hookUrl = ''
const received: Received[] = []
const answers: number[] = []

let writer = ''
let clientId = ''
let childId = ''
let caseReference = ''
let signingSecret = ''

const LIST = '/admin/settings/api-clients'

async function agent(email: string) {
  const a = new TestAgent(t.app)
  await a.signIn(email, DEMO_PASSWORD)
  return a
}

// The receiver is on this machine: the test-only switch lets loopback through (off by default).
const deliver = (allowLoopback = true) =>
  deliverDueWebhooks({
    db: t.database.db,
    now: t.clock.now(),
    keyring: t.config.mfaKeys,
    allowLoopback,
  })

const deliveries = () =>
  t.database.db
    .selectFrom('api_webhook_delivery')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute()

const changePlacement = (placement: string) =>
  call(t, 'POST', `/api/v1/children/${caseReference}/placement-changes`, {
    secret: writer,
    body: { placement, changedOn: '2026-11-21' },
  })

beforeAll(async () => {
  t = await createTestApp({ env: { WEBHOOK_LOOPBACK_HTTP: 'allow' }, seed: 'demo' })
  ids = await authorityIds(t)
  admin = await agent('vs.admin@example.org')
  server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      response.statusCode = answers.shift() ?? 200
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openpep/events`
  const client = await makeClient(t, ids.HFD!, ['children:read', 'children:write', 'peps:read'])
  writer = client.secret
  clientId = client.id
  caseReference = `CR-WEBHOOK-${Date.parse('2026-11-23')}`
  childId = await makeChild(t.database.db, {
    authorityId: ids.HFD!,
    firstName: 'Zephyrine',
    lastName: 'Webhookson',
    caseReference,
  })
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await t.close()
})

describe('webhooks', () => {
  it('are registered by the administrator: HTTPS only, events the client may read, secret once', async () => {
    const page = await admin.get(`${LIST}/${clientId}/webhooks?authority=${ids.HFD}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Case management system has no webhooks.')
    const list = await admin.get(LIST)
    expect(list.body).toContain(`href="${LIST}/${clientId}/webhooks?authority=${ids.HFD}"`)

    const form = `${LIST}/${clientId}/webhooks/new?authority=${ids.HFD}`
    await admin.get(form)
    const plain = await admin.post(form, { url: 'http://mosaic.example.org/h', events: [] })
    expect(plain.statusCode).toBe(400)
    expect(plain.body).toContain('href="#url"')
    expect(plain.body).toContain('The address must start with https://')
    expect(plain.body).toContain('Select the events to send')
    expect(plain.body).toContain('value="http://mosaic.example.org/h"')
    // An internal address (here in hex) is refused, the field named and what was typed kept.
    const internal = await admin.post(form, {
      url: 'https://0xa000005/h',
      events: ['child.changed'],
    })
    expect(internal.statusCode).toBe(400)
    expect(internal.body).toContain('href="#url"')
    expect(internal.body).toContain('OpenPEP does not send events to private, local or internal')
    expect(internal.body).toContain('value="https://0xa000005/h"')
    expect(internal.body).toMatch(/value="child.changed"\s+checked/)
    const unknown = await admin.post(form, { url: hookUrl, events: ['child.deleted'] })
    expect(unknown.statusCode).toBe(400)

    const added = await admin.post(form, {
      url: hookUrl,
      events: ['child.changed', 'pep.signed-off'],
    })
    expect(added.statusCode).toBe(200)
    signingSecret = /<code id="secret">(whsec_[\w-]{43})<\/code>/.exec(added.body)![1]!
    const row = await t.database.db.selectFrom('api_webhook').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      client_id: clientId,
      url: hookUrl,
      events: ['pep.signed-off', 'child.changed'],
    })
    expect(row.secret_sealed).not.toContain(signingSecret.slice(6))
    const after = await admin.get(`${LIST}/${clientId}/webhooks?authority=${ids.HFD}`)
    expect(after.body).toContain(hookUrl)
    expect(after.body).not.toContain(signingSecret)
  })

  it('offers only the events the client’s scopes allow', async () => {
    const pepsOnly = await makeClient(t, ids.HFD!, ['peps:read'], 'PEP reader')
    const form = `${LIST}/${pepsOnly.id}/webhooks/new?authority=${ids.HFD}`
    const page = await admin.get(form)
    expect(page.body).toContain('value="pep.signed-off"')
    expect(page.body).not.toContain('value="child.changed"')
    const refused = await admin.post(form, {
      url: 'https://x.example.org/',
      events: ['child.changed'],
    })
    expect(refused.statusCode).toBe(400)
  })

  it('sends a signed event with ids only, and never sends a delivered one again', async () => {
    expect((await changePlacement('Foster care (kinship)')).statusCode).toBe(201)
    const [queued] = await deliveries()
    expect(queued).toMatchObject({ event_type: 'child.changed', status: 'pending', attempts: 0 })
    expect(queued!.payload).toEqual({
      id: queued!.id,
      type: 'child.changed',
      occurredAt: t.clock.now().toISOString(),
      data: { childId },
    })
    expect(JSON.stringify(queued!.payload)).not.toMatch(/Zephyrine|Webhookson|Foster/)

    expect(await deliver()).toEqual({ delivered: 1, failed: 0 })
    expect(received).toHaveLength(1)
    const { headers, body } = received[0]!
    expect(JSON.parse(body)).toEqual(queued!.payload)
    expect(headers['openpep-webhook-id']).toBe(queued!.id)
    const timestamp = headers['openpep-webhook-timestamp'] as string
    expect(Number(timestamp)).toBe(Math.floor(t.clock.now().getTime() / 1000))
    const expected = createHmac('sha256', signingSecret)
      .update(`${timestamp}.${body}`)
      .digest('hex')
    expect(headers['openpep-webhook-signature']).toBe(`v1=${expected}`)
    const wrong = createHmac('sha256', 'whsec_wrong').update(`${timestamp}.${body}`).digest('hex')
    expect(headers['openpep-webhook-signature']).not.toBe(`v1=${wrong}`)

    t.clock.advance(24 * 60 * 60_000)
    expect(await deliver()).toEqual({ delivered: 0, failed: 0 })
    expect(received).toHaveLength(1)
    expect((await deliveries())[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status: 200,
    })
  })

  it('retries a delivery answered 500, with back-off, under the same id', async () => {
    received.length = 0
    answers.push(500)
    await changePlacement('Residential home')
    expect(await deliver()).toEqual({ delivered: 0, failed: 1 })
    const failedOnce = (await deliveries()).at(-1)!
    expect(failedOnce).toMatchObject({ status: 'pending', attempts: 1, last_status: 500 })
    expect(failedOnce.next_attempt_at).toEqual(new Date(t.clock.now().getTime() + 60_000))
    // Not before its time.
    t.clock.advance(59_000)
    expect(await deliver()).toEqual({ delivered: 0, failed: 0 })
    t.clock.advance(1_000)
    expect(await deliver()).toEqual({ delivered: 1, failed: 0 })
    expect(received.map((r) => r.headers['openpep-webhook-id'])).toEqual([
      failedOnce.id,
      failedOnce.id,
    ])
    expect((await deliveries()).at(-1)).toMatchObject({ status: 'delivered', attempts: 2 })
  })

  it('shows the delivery log, to the authority’s administrator only', async () => {
    admin = await agent('vs.admin@example.org') // the clock moved past the session's idle end
    const hook = await t.database.db
      .selectFrom('api_webhook')
      .select('id')
      .executeTakeFirstOrThrow()
    const log = `${LIST}/${clientId}/webhooks/${hook.id}/deliveries?authority=${ids.HFD}`
    const page = await admin.get(log)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('child.changed')
    expect(page.body).toContain('Delivered')
    expect(page.body).toMatch(/<td class="govuk-table__cell govuk-table__cell--numeric">2<\/td>/)
    expect(page.body).not.toContain('Webhookson')
    const eastmere = await agent('eastmere.admin@example.org')
    expect((await eastmere.get(log)).statusCode).toBe(404)
    expect(
      (await eastmere.get(`${LIST}/${clientId}/webhooks?authority=${ids.HFD}`)).statusCode,
    ).toBe(404)
    expect((await eastmere.get(`${LIST}/${clientId}/webhooks`)).statusCode).toBe(404)
    const consultant = await agent('vs.consultant@example.org')
    expect((await consultant.get(log)).statusCode).toBe(403)
  })

  it('sends nothing once the webhook is turned off', async () => {
    admin = await agent('vs.admin@example.org')
    received.length = 0
    answers.push(500)
    await changePlacement('Foster care')
    expect(await deliver()).toEqual({ delivered: 0, failed: 1 })
    const hook = await t.database.db
      .selectFrom('api_webhook')
      .select('id')
      .executeTakeFirstOrThrow()
    const page = `${LIST}/${clientId}/webhooks?authority=${ids.HFD}`
    const remove = `${LIST}/${clientId}/webhooks/${hook.id}/remove?authority=${ids.HFD}`
    // The list links to a page that asks first; that page changes nothing.
    expect((await admin.get(page)).body).toContain(`href="${remove.replace(/&/g, '&amp;')}"`)
    const ask = await admin.get(remove)
    expect(ask.statusCode).toBe(200)
    expect(ask.body).toContain('Are you sure you want to turn off this webhook?')
    expect(ask.body).toContain(hookUrl)
    expect(ask.body).toContain('Yes, turn it off')
    expect(
      await t.database.db
        .selectFrom('api_webhook')
        .select('removed_at')
        .where('id', '=', hook.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ removed_at: null })
    const eastmere = await agent('eastmere.admin@example.org')
    expect((await eastmere.get(remove)).statusCode).toBe(404)
    const consultant = await agent('vs.consultant@example.org')
    expect((await consultant.get(remove)).statusCode).toBe(403)
    const off = await admin.post(remove)
    expect(off.statusCode).toBe(303)
    expect((await admin.get(off.headers.location as string)).body).toContain('is turned off')
    // Turned off, its page is gone.
    expect((await admin.get(remove)).statusCode).toBe(404)
    await changePlacement('Residential home')
    t.clock.advance(60 * 60_000)
    admin = await agent('vs.admin@example.org')
    expect(await deliver()).toEqual({ delivered: 0, failed: 0 })
    expect(received).toHaveLength(1)
    expect((await deliveries()).at(-1)).toMatchObject({ status: 'failed', attempts: 1 })
    expect(
      await t.database.db.selectFrom('api_webhook_delivery').select('id').execute(),
    ).toHaveLength(3)
  })

  it('sends nothing for a revoked client, and a PEP signed off carries its ids by scope', async () => {
    const other = await makeClient(t, ids.HFD!, ['peps:read'], 'PEP reader 2')
    const page = `${LIST}/${other.id}/webhooks/new?authority=${ids.HFD}`
    await admin.get(page)
    const added = await admin.post(page, { url: hookUrl, events: ['pep.signed-off'] })
    expect(added.statusCode).toBe(200)
    const at = t.clock.now()
    const pepId = '00000000-0000-4000-8000-000000000022'
    const queued = await queueWebhookEvent(t.database.db, {
      authorityId: ids.HFD!,
      type: 'pep.signed-off',
      childId,
      pepId,
      at,
    })
    expect(queued).toBe(1)
    const row = (await deliveries()).at(-1)!
    expect(row.payload).toMatchObject({ type: 'pep.signed-off', data: { pepId, childId } })
    // Revoked before it was sent: never sent.
    await t.database.db
      .updateTable('api_client')
      .set({ revoked_at: at })
      .where('id', '=', other.id)
      .execute()
    received.length = 0
    expect(await deliver()).toEqual({ delivered: 0, failed: 0 })
    expect(received).toEqual([])
    expect((await deliveries()).at(-1)).toMatchObject({ status: 'failed', attempts: 0 })
    expect(
      await queueWebhookEvent(t.database.db, {
        authorityId: ids.HFD!,
        type: 'pep.signed-off',
        childId,
        pepId,
        at,
      }),
    ).toBe(0)
  })

  it('sends nothing to a loopback address unless the test switch is on', async () => {
    admin = await agent('vs.admin@example.org')
    const reader = await makeClient(t, ids.HFD!, ['children:read'], 'Child reader')
    const form = `${LIST}/${reader.id}/webhooks/new?authority=${ids.HFD}`
    await admin.get(form)
    expect((await admin.post(form, { url: hookUrl, events: ['child.changed'] })).statusCode).toBe(
      200,
    )
    received.length = 0
    expect((await changePlacement('Foster care (kinship)')).statusCode).toBe(201)
    expect(await deliver(false)).toEqual({ delivered: 0, failed: 1 })
    expect(received).toEqual([])
    const hook = await t.database.db
      .selectFrom('api_webhook')
      .select('id')
      .where('client_id', '=', reader.id)
      .executeTakeFirstOrThrow()
    expect((await deliveries()).filter((d) => d.webhook_id === hook.id)).toMatchObject([
      {
        status: 'pending',
        attempts: 1,
        last_status: null,
        last_error: expect.stringContaining('is not a public internet address'),
      },
    ])
  })
})
