import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makePep, sharePepPage } from '../../testing/factories.ts'

/*
 * The young person's own part (issue 20), through HTTP as Charlie Young (the demo's young
 * person, whose account is linked to the child Charlie Young): their home instead of staff's
 * My work, their own words, and only ever their own PEPs and what is theirs to read (ADR 10).
 */

let t: TestContext
let charlieId: string
let otherChildId: string
let pepId: string
const ids: Record<string, string> = {}
const agents: Record<string, TestAgent> = {}

const TARGET = 'Read for 10 minutes every night 📚'
const STAFF_ONLY = 'STAFFONLY the case note about mum'

async function agent(email: string): Promise<TestAgent> {
  if (!agents[email]) {
    agents[email] = new TestAgent(t.app)
    await agents[email].signIn(email, DEMO_PASSWORD)
  }
  return agents[email]
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute())
    ids[u.email] = u.id
  const charlie = await db
    .selectFrom('child')
    .selectAll()
    .where('first_name', '=', 'Charlie')
    .where('last_name', '=', 'Young')
    .executeTakeFirstOrThrow()
  charlieId = charlie.id
  otherChildId = (
    await db
      .selectFrom('child')
      .select('id')
      .where('authority_id', '=', charlie.authority_id)
      .where('id', '<>', charlieId)
      .executeTakeFirstOrThrow()
  ).id
  const sw = ids['social.worker@example.org']!
  const at = t.clock.now()
  pepId = await makePep(db, {
    childId: charlieId,
    term: { academicYear: 2028, name: 'spring' },
    yearGroup: 'Y10',
    startedOn: '2026-11-20',
    meetingOn: '2029-01-22',
    meetingTime: '14:30',
    meetingLocation: 'Kingsmead School, room 4',
    invitees: { userIds: [sw, ids['carer@example.org']!], emails: ['aunt@example.net'] },
    createdBy: sw,
    at,
    pages: {
      'smart-targets': {
        targets: [{ id: 't1', area: 'literacy', target: TARGET, 'by-date': '2029-03-31' }],
      },
      'review-of-targets': {
        'target-reviews': [{ id: 'r1', target: 'Come to school every day', outcome: 'achieved' }],
      },
      'health-and-wellbeing': { 'health-needs': STAFF_ONLY },
    },
  })
  await db
    .insertInto('child_note')
    .values({
      child_id: charlieId,
      kind: 'case_note',
      body: STAFF_ONLY,
      author_id: sw,
      created_at: at,
    })
    .execute()
})
afterAll(() => t.close())

const home = () => `/my-pep/${charlieId}`

describe('the young person’s home', () => {
  it('is where they land: their PEP in their words, not staff’s My work or a tray', async () => {
    const yp = await agent('young.person@example.org')
    const landing = await yp.get('/')
    expect(landing.statusCode).toBe(303)
    expect(landing.headers.location).toBe(home())
    const page = await yp.get(home())
    expect(page.statusCode).toBe(200)
    const body = page.body
    expect(body).toContain('Hello Charlie')
    expect(body).toContain('PEP stands for Personal Education Plan')
    for (const staffWords of ['You work in', 'My tasks', 'My tray', 'Open my tray', 'Tray'])
      expect(body).not.toContain(staffWords)
    expect(body).toContain('govuk-service-navigation__active-fallback">My PEP<')
    // The next meeting, and who will be there (people by name; outside addresses never shown).
    expect(body).toContain('Monday 22 January 2029, at 2:30pm')
    expect(body).toContain('Kingsmead School, room 4')
    expect(body).toContain('Jordan Social')
    expect(body).not.toContain('aunt@example.net')
    // Targets in plain words, saved as typed; how last term's went.
    expect(body).toContain(TARGET)
    expect(body).toContain('Come to school every day')
    expect(body).toContain('You did it')
    // Never what stays with staff.
    expect(body).not.toContain(STAFF_ONLY)
    // What they are asked for: their views, for the PEP in progress.
    expect(body).toContain('Tell us what you think')
    expect(body).toContain(`href="/my-pep/${charlieId}/peps/${pepId}/views"`)
    expect(body).toContain('There are 17 questions')
  })

  it('is audited as a view of the child, in the young person’s role', async () => {
    const yp = await agent('young.person@example.org')
    t.clock.advance(1000)
    await yp.get(home())
    const event = await t.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'young-person.home.view')
      .where('occurred_at', '=', t.clock.now())
      .executeTakeFirstOrThrow()
    expect(event.child_id).toBe(charlieId)
    expect(event.user_id).toBe(ids['young.person@example.org'])
    expect(event.acting_role).toBe('young_person')
  })

  it('lists what staff share with them, and only then', async () => {
    const yp = await agent('young.person@example.org')
    expect((await yp.get(home())).body).not.toContain('Shared with me')
    await sharePepPage(t.database.db, {
      pepId,
      pageId: 'attendance',
      by: ids['social.worker@example.org']!,
      at: t.clock.now(),
    })
    const body = (await yp.get(home())).body
    expect(body).toContain('Shared with me')
    // The link is to their own page of the PEP, at the shared page's part.
    expect(body).toContain(`href="/my-pep/${charlieId}/peps/${pepId}#page-attendance"`)
    const mine = await yp.get(`/my-pep/${charlieId}/peps/${pepId}`)
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('id="page-attendance"')
  })

  it('opens for nobody else: not another child, not staff, not the carer', async () => {
    const yp = await agent('young.person@example.org')
    expect((await yp.get(`/my-pep/${otherChildId}`)).statusCode).toBe(404)
    for (const email of ['social.worker@example.org', 'carer@example.org', 'vs.head@example.org'])
      expect((await (await agent(email)).get(home())).statusCode, email).toBe(404)
    // Staff land on My work as before.
    const staff = await (await agent('social.worker@example.org')).get('/')
    expect(staff.statusCode).toBe(200)
    expect(staff.body).toContain('My work')
  })

  it('has no tray, and never staff-only pages', async () => {
    const yp = await agent('young.person@example.org')
    expect((await yp.get('/tray')).statusCode).toBe(403)
    expect((await yp.get(`/children/${charlieId}/notes`)).statusCode).toBe(404)
    expect(
      (await yp.get(`/children/${charlieId}/peps/${pepId}/pages/health-and-wellbeing`)).statusCode,
    ).toBe(404)
  })
})
