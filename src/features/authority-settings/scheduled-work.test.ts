import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { giveRole } from '../../testing/factories.ts'
import { createTestApp, TEST_NOW, type TestContext } from '../../testing/app.ts'
import { saveAuthoritySettings } from './authority-settings.repository.ts'

/*
 * The scheduled work page through HTTP on a real database: the jobs and their next runs in
 * England's time, the authority's switches, what the jobs did for this authority only (counts,
 * no names), who may see it, and the audit trail.
 */

let t: TestContext
let harrowfield: string
let eastmere: string
let admin: TestAgent

const PAGE = '/admin/settings/scheduled-work'
const url = (authority = harrowfield) => `${PAGE}?authority=${authority}`
/** As a page shows it: Nunjucks escapes apostrophes. */
const html = (text: string) => text.replace(/'/g, '&#39;')

async function agent(email: string): Promise<TestAgent> {
  const a = new TestAgent(t.app)
  await a.signIn(email, DEMO_PASSWORD)
  return a
}

async function notice(authorityId: string, kind: string, at: string, details = {}) {
  await t.database.db
    .insertInto('scheduled_notice')
    .values({
      kind,
      subject_id: randomUUID(),
      for_date: at.slice(0, 10),
      authority_id: authorityId,
      created_at: new Date(at),
      details: JSON.stringify(details),
    })
    .execute()
}

/** The activity table's rows as text: the day, then each count. */
function tableRows(body: string): string[][] {
  const table = /<table[\s\S]*?<\/table>/.exec(body)?.[0] ?? ''
  return [...table.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!.replace(/<[^>]+>/g, '').trim(),
    ),
  )
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const authorities = await t.database.db.selectFrom('authority').select(['id', 'code']).execute()
  harrowfield = authorities.find((a) => a.code === 'HFD')!.id
  eastmere = authorities.find((a) => a.code === 'EMR')!.id
  admin = await agent('vs.admin@example.org')
})
afterAll(() => t.close())
afterEach(() => t.clock.set(TEST_NOW))

describe('the scheduled jobs', () => {
  it('shows a Virtual School administrator each job, when it runs and next runs, linked from the settings', async () => {
    const overview = await admin.get('/admin/settings')
    expect(overview.body).toContain(`href="${url()}"`)
    const page = await admin.get(PAGE)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h1 class="govuk-heading-l">Scheduled work</h1>')
    expect(page.body).toContain('Harrowfield County Council')
    for (const text of [
      'Start of term: move unfinished PEPs and start the term’s PEPs',
      'Check for children with no PEP this term',
      'Reminders to schools and escalations',
      'Every day at 12:30am',
      'Every day at 1am',
      'Every day at 6am',
      '24 November 2026 at 12:30am',
      '24 November 2026 at 1am',
      '24 November 2026 at 6am',
    ])
      expect(page.body, text).toContain(html(text))
    // The switches that decide whether the jobs work here, with a link to change them.
    expect(page.body).toMatch(/Reminders and escalations\s*<\/dt>\s*<dd[^>]*>\s*On/)
    expect(page.body).toMatch(
      /Start next term’s PEPs on the first day of term\s*<\/dt>\s*<dd[^>]*>\s*Off/,
    )
    expect(page.body).toContain(`href="/admin/settings/reminders?authority=${harrowfield}"`)
  })

  it('gives the next run in England’s time in summer, and later the same day before it runs', async () => {
    // 5:30am UTC on 15 June is 6:30am in London: this morning's reminders have gone.
    t.clock.set('2026-06-15T05:30:00Z')
    // A session of its own: one last seen in June would have expired by November.
    const inSummer = await agent('vs.admin@example.org')
    const summer = await inSummer.get(url())
    expect(summer.body).toContain('16 June 2026 at 6am')
    expect(summer.body).toContain('16 June 2026 at 12:30am')
    // 4:30am UTC is 5:30am in London: they run this morning.
    t.clock.set('2026-06-15T04:30:00Z')
    expect((await inSummer.get(url())).body).toContain('15 June 2026 at 6am')
  })

  it('says when the authority’s reminders are off', async () => {
    await saveAuthoritySettings(t.database.db, eastmere, { remindersOn: false }, t.clock.now())
    const other = await agent('eastmere.admin@example.org')
    const page = await other.get(PAGE)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Eastmere Borough Council')
    expect(page.body).toMatch(/Reminders and escalations\s*<\/dt>\s*<dd[^>]*>\s*Off/)
  })
})

describe('what the jobs did', () => {
  it('says nothing yet when nothing was done', async () => {
    const page = await admin.get(url())
    expect(page.body).toContain('Nothing yet')
    expect(page.body).not.toContain('<table')
  })

  it('counts what was done for this authority in the last 30 days, by day and kind, newest first', async () => {
    await notice(harrowfield, 'due-soon', '2026-11-22T06:00:01Z')
    await notice(harrowfield, 'due-soon', '2026-11-22T06:00:02Z')
    await notice(harrowfield, 'meeting-today', '2026-11-22T06:00:03Z')
    await notice(harrowfield, 'escalate-to-social-worker', '2026-11-20T06:00:00Z')
    await notice(harrowfield, 'escalate-to-virtual-school', '2026-11-20T06:00:00Z')
    await notice(harrowfield, 'no-pep', '2026-11-02T01:00:00Z')
    await notice(harrowfield, 'pep-not-moved', '2026-11-02T00:30:00Z')
    await notice(harrowfield, 'bulk-start', '2026-11-02T00:31:00Z', { started: 37 })
    // 11:30pm UTC on 24 October is already 25 October in London (BST), the first day shown.
    await notice(harrowfield, 'due-soon', '2026-10-24T23:30:00Z')
    // 10:30pm UTC on 24 October is still 24 October in London: more than 30 days ago.
    await notice(harrowfield, 'due-soon', '2026-10-24T22:30:00Z')
    // Another authority's work is not counted.
    for (const kind of ['due-soon', 'no-pep', 'bulk-start'])
      await notice(eastmere, kind, '2026-11-22T06:00:00Z', { started: 500 })

    const page = await admin.get(url())
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Nothing yet')
    expect(page.body).toContain('since 25 October 2026')
    expect(tableRows(page.body)).toEqual([
      [
        'Day',
        'Meeting-day reminders',
        'Due-date reminders',
        'Escalations to social workers',
        'Escalations to the Virtual School',
        'No-PEP alerts',
        'PEPs that could not move to the new term',
        'PEPs started in bulk',
      ],
      ['22 November 2026', '1', '2', '0', '0', '0', '0', '0'],
      ['20 November 2026', '0', '0', '1', '1', '0', '0', '0'],
      ['2 November 2026', '0', '0', '0', '0', '1', '1', '37'],
      ['25 October 2026', '0', '1', '0', '0', '0', '0', '0'],
      ['Total', '1', '3', '1', '1', '1', '1', '37'],
    ])
  })

  it('names no child', async () => {
    const page = await admin.get(url())
    const children = await t.database.db
      .selectFrom('child')
      .select(['first_name', 'last_name'])
      .execute()
    expect(children.length).toBeGreaterThan(0)
    for (const child of children)
      expect(page.body).not.toContain(html(`${child.first_name} ${child.last_name}`))
  })
})

describe('who may see it', () => {
  it('refuses every other role', async () => {
    for (const email of [
      'vs.head@example.org',
      'vs.consultant@example.org',
      'business.support@example.org',
      'social.worker@example.org',
      'designated.teacher@example.org',
      'auditor@example.org',
    ]) {
      const other = await agent(email)
      expect((await other.get(PAGE)).statusCode, email).toBe(403)
      expect((await other.get(url())).statusCode, email).toBe(403)
    }
  })

  it('sends someone signed out to sign in', async () => {
    const response = await new TestAgent(t.app).get(PAGE)
    expect(response.statusCode).toBe(302)
    expect(response.headers.location).toMatch(/^\/sign-in/)
  })

  it('hides another authority’s work from its administrator', async () => {
    const other = await agent('eastmere.admin@example.org')
    expect((await other.get(url(harrowfield))).statusCode).toBe(404)
    const own = await other.get(PAGE)
    // Eastmere's own day: the other authority's rows inserted above.
    expect(tableRows(own.body)[1]).toEqual(['22 November 2026', '1', '1', '500'])
  })

  it('records each view in the audit trail, and a refusal', async () => {
    const events = await t.database.db
      .selectFrom('audit_event as e')
      .innerJoin('app_user as u', 'u.id', 'e.user_id')
      .select(['u.email', 'e.outcome', 'e.acting_role', 'e.path'])
      .where('e.action', '=', 'authority.scheduled-work.view')
      .execute()
    expect(events.length).toBeGreaterThan(0)
    expect(events).toContainEqual({
      email: 'vs.admin@example.org',
      outcome: 'success',
      acting_role: 'vs_admin',
      path: PAGE,
    })
    const refused = await t.database.db
      .selectFrom('audit_event as e')
      .innerJoin('app_user as u', 'u.id', 'e.user_id')
      .select(['u.email'])
      .where('e.action', '=', 'access.denied')
      .where('e.path', '=', PAGE)
      .execute()
    expect(refused.map((e) => e.email)).toContain('auditor@example.org')
  })
})

describe('an administrator of two authorities', () => {
  it('chooses the authority on the settings overview first', async () => {
    const user = await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'vs.admin@example.org')
      .executeTakeFirstOrThrow()
    await giveRole(t.database.db, { userId: user.id, authorityId: eastmere, role: 'vs_admin' })
    const both = await agent('vs.admin@example.org')
    const unchosen = await both.get(PAGE)
    expect(unchosen.statusCode).toBe(303)
    expect(unchosen.headers.location).toBe('/admin/settings')
    const chosen = await both.get(url(eastmere))
    expect(chosen.statusCode).toBe(200)
    expect(chosen.body).toContain('Eastmere Borough Council')
    expect((await both.get('/admin/settings')).body).toContain(
      `href="/admin/settings?authority=${eastmere}"`,
    )
  })
})
