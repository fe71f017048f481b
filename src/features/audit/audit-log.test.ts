import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { recordAuditEvent } from '../../shared/audit-events.ts'
import { makeUser } from '../../testing/factories.ts'
import { londonMidnight, parseAuditLogQuery } from './audit-log.schemas.ts'

let t: TestContext
let admin: TestAgent
let subject: string
let hfdChild: { id: string; name: string }
let emrChild: { id: string; name: string }

const errorSummary = (body: string) =>
  /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? ''
const shown = (body: string) =>
  /Showing (\d+) to (\d+) of (\d+) events\./.exec(body)?.slice(1).map(Number)

async function event(
  at: string,
  action: 'child.view' | 'home.view' | 'sign-in.success',
  childId: string | null = null,
) {
  await recordAuditEvent(t.database.db, {
    occurredAt: new Date(at),
    userId: subject,
    actingRole: 'social_worker',
    authorityId: null,
    action,
    outcome: 'success',
    childId,
    ip: '192.0.2.7',
  })
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const hfd = await t.database.db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const worker = await makeUser(t.database.db, {
    email: 'logged.person@example.org',
    displayName: 'Logged Person',
    role: 'social_worker',
    authorityId: hfd.id,
  })
  subject = worker.id
  const children = await t.database.db
    .selectFrom('child')
    .select(['id', 'first_name', 'last_name', 'case_reference'])
    .where('case_reference', 'in', ['HFD-10000', 'EMR-10028'])
    .execute()
  const pick = (ref: string) => {
    const c = children.find((x) => x.case_reference === ref)!
    return { id: c.id, name: `${c.first_name} ${c.last_name}` }
  }
  hfdChild = pick('HFD-10000')
  emrChild = pick('EMR-10028')
  // Edges in UK time: 1 November 2026 is GMT, so UK midnight is 00:00 UTC.
  await event('2026-10-31T23:59:59Z', 'home.view')
  await event('2026-11-01T00:00:00Z', 'child.view', hfdChild.id)
  await event('2026-11-01T23:59:59Z', 'child.view', emrChild.id)
  await event('2026-11-02T00:00:00Z', 'sign-in.success')
  // 1 July 2026 is BST: 23:30 UTC is already 2 July in the UK.
  await event('2026-07-01T22:59:59Z', 'home.view')
  await event('2026-07-01T23:30:00Z', 'home.view')
  // A long history for paging, in the spring.
  for (let i = 0; i < 120; i++)
    await event(new Date(Date.UTC(2026, 2, 1, 9, i)).toISOString(), 'sign-in.success')
  admin = new TestAgent(t.app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

describe('dates in UK time', () => {
  it('finds UK midnight in winter and in summer', () => {
    expect(londonMidnight(2026, 11, 1).toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(londonMidnight(2026, 7, 2).toISOString()).toBe('2026-07-01T23:00:00.000Z')
    expect(londonMidnight(2026, 3, 29).toISOString()).toBe('2026-03-29T00:00:00.000Z')
    expect(londonMidnight(2026, 3, 30).toISOString()).toBe('2026-03-29T23:00:00.000Z')
  })

  it('validates the date boxes the way the design system says', () => {
    const parse = (q: Record<string, string>) => {
      const r = parseAuditLogQuery(q)
      return r.ok ? 'ok' : r.errors.list.map((e) => `${e.href} ${e.text}`)
    }
    expect(parse({})).toBe('ok')
    expect(parse({ 'from-day': '31', 'from-month': '2', 'from-year': '2026' })).toEqual([
      '#from-day Date from must be a real date',
    ])
    expect(parse({ 'to-day': '1', 'to-year': '2026' })).toEqual([
      '#to-day Date to must include a month',
    ])
    expect(parse({ 'from-day': 'x', 'from-month': '1', 'from-year': '2026' })).toEqual([
      '#from-day Date from must be a real date',
    ])
    expect(
      parse({
        'from-day': '2',
        'from-month': '1',
        'from-year': '2026',
        'to-day': '1',
        'to-month': '1',
        'to-year': '2026',
      }),
    ).toEqual(['#to-day Date to must be the same as or after date from'])
    expect(parse({ action: 'made.up' })).toEqual(['#action Select an action from the list'])
  })
})

describe('a user’s activity log', () => {
  const url = (query = '') => `/admin/users/${subject}/activity${query}`

  it('shows their events newest first, 50 to a page, with the child named only where the admin may see it', async () => {
    const page = await admin.get(url())
    expect(page.statusCode).toBe(200)
    expect(shown(page.body)).toEqual([1, 50, 126])
    const body = page.body
    expect(body.indexOf('2 November 2026 at 12:00am')).toBeLessThan(
      body.indexOf('1 November 2026 at 11:59pm'),
    )
    expect(body).toContain(hfdChild.name)
    expect(body).not.toContain(emrChild.name)
    expect(body).toContain('A child in another authority')
    expect(body).toContain('192.0.2.7')
    expect(body).toContain('Social worker')
    const last = await admin.get(url('?page=3'))
    expect(shown(last.body)).toEqual([101, 126, 126])
  })

  it('filters one day, from its first second to its last, in UK time', async () => {
    const day = await admin.get(
      url('?from-day=1&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026'),
    )
    expect(day.statusCode).toBe(200)
    expect(shown(day.body)).toEqual([1, 2, 2])
    expect(day.body).not.toContain('31 October 2026')
    const summer = await admin.get(
      url('?to-day=1&to-month=7&to-year=2026&from-day=1&from-month=7&from-year=2026'),
    )
    expect(shown(summer.body)).toEqual([1, 1, 1])
    const nextDay = await admin.get(
      url('?from-day=2&from-month=7&from-year=2026&to-day=2&to-month=7&to-year=2026'),
    )
    expect(shown(nextDay.body)).toEqual([1, 1, 1])
  })

  it('filters by action and keeps the filters on the page links', async () => {
    const response = await admin.get(url('?action=sign-in.success'))
    expect(shown(response.body)).toEqual([1, 50, 121])
    expect(response.body).toContain('action=sign-in.success&amp;page=2')
    expect(response.body).toMatch(/<option value="sign-in.success" selected/)
  })

  it('refuses an impossible date or a range the wrong way round, keeping what was typed', async () => {
    const invalid = await admin.get(url('?from-day=31&from-month=02&from-year=2026'))
    expect(invalid.statusCode).toBe(400)
    expect(errorSummary(invalid.body)).toContain('href="#from-day"')
    expect(errorSummary(invalid.body)).toContain('Date from must be a real date')
    expect(invalid.body).toContain('value="31"')
    const reversed = await admin.get(
      url('?from-day=2&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026'),
    )
    expect(reversed.statusCode).toBe(400)
    expect(errorSummary(reversed.body)).toContain('Date to must be the same as or after date from')
  })

  it('is open to an auditor of the authority but not to a social worker, and is itself audited', async () => {
    const auditor = new TestAgent(t.app)
    await auditor.signIn('auditor@example.org', DEMO_PASSWORD)
    expect((await auditor.get(url())).statusCode).toBe(200)
    const worker = new TestAgent(t.app)
    await worker.signIn('social.worker@example.org', DEMO_PASSWORD)
    expect((await worker.get(url())).statusCode).toBe(403)
    const eastmere = new TestAgent(t.app)
    await eastmere.signIn('eastmere.admin@example.org', DEMO_PASSWORD)
    expect((await eastmere.get(url())).statusCode).toBe(404)
    const views = await t.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'admin.audit.view')
      .where('subject_user_id', '=', subject)
      .execute()
    expect(views.length).toBeGreaterThan(0)
  })
})

describe('a child’s access log', () => {
  it('shows everyone who looked at the child, with their name and role, for the administrator only', async () => {
    const worker = new TestAgent(t.app)
    await worker.signIn('social.worker@example.org', DEMO_PASSWORD)
    t.clock.advance(60_000)
    expect((await worker.get(`/children/${hfdChild.id}`)).statusCode).toBe(200)
    const log = await admin.get(`/children/${hfdChild.id}/access-log`)
    expect(log.statusCode).toBe(200)
    expect(log.body).toContain(`<h1 class="govuk-heading-l">${hfdChild.name}</h1>`)
    expect(log.body).toContain('Jordan Social')
    expect(log.body).toContain('Logged Person')
    expect(log.body).toContain('Viewed a child&#39;s record')
    const filtered = await admin.get(
      `/children/${hfdChild.id}/access-log?from-day=1&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026`,
    )
    expect(shown(filtered.body)).toEqual([1, 1, 1])
    expect(
      (await admin.get(`/children/${hfdChild.id}/access-log?to-day=31&to-month=2&to-year=2026`))
        .statusCode,
    ).toBe(400)
    expect((await worker.get(`/children/${hfdChild.id}/access-log`)).statusCode).toBe(404)
    const eastmere = new TestAgent(t.app)
    await eastmere.signIn('eastmere.admin@example.org', DEMO_PASSWORD)
    const hidden = await eastmere.get(`/children/${hfdChild.id}/access-log`)
    expect(hidden.statusCode).toBe(404)
    expect(hidden.body).not.toContain(hfdChild.name)
    const views = await t.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'child.audit.view')
      .where('child_id', '=', hfdChild.id)
      .execute()
    expect(views.length).toBe(3)
  })
})
