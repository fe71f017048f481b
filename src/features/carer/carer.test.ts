import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { endAccess } from '../../shared/child-access.ts'
import { raiseTask } from '../../shared/tasks.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { linkToChild, makePep } from '../../testing/factories.ts'

/*
 * The carer's own home (issue 20), through HTTP as Taylor Carer (the demo's carer, placed with
 * Charlie Young): the children placed with them while the placement lasts, each child's next
 * meeting, the PEPs they read and what they are asked for, in plain words; never staff's My
 * work, tray or what is restricted (ADR 10).
 */

let t: TestContext
let carer: TestAgent
let charlieId: string
let otherChild: { id: string; name: string }
let pepId: string
const ids: Record<string, string> = {}

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
  const other = await db
    .selectFrom('child')
    .select(['id', 'first_name', 'last_name'])
    .where('authority_id', '=', charlie.authority_id)
    .where('id', '<>', charlieId)
    .where('status', '=', 'in_care')
    .executeTakeFirstOrThrow()
  otherChild = { id: other.id, name: `${other.first_name} ${other.last_name}` }
  const sw = ids['social.worker@example.org']!
  // A second child placed with the carer, whose placement ends in the last test.
  await linkToChild(db, {
    childId: otherChild.id,
    userId: ids['carer@example.org']!,
    capacity: 'carer',
  })
  pepId = await makePep(db, {
    childId: charlieId,
    term: { academicYear: 2028, name: 'spring' },
    yearGroup: 'Y10',
    startedOn: '2026-11-20',
    meetingOn: '2029-01-22',
    meetingTime: '14:30',
    meetingLocation: 'Kingsmead School, room 4',
    invitees: { userIds: [sw, ids['carer@example.org']!], emails: [] },
    createdBy: sw,
    at: t.clock.now(),
  })
  await raiseTask(db, {
    authorityId: charlie.authority_id,
    childId: charlieId,
    pepId,
    at: t.clock.now(),
    kind: 'meeting-today',
    assignee: { userId: ids['carer@example.org']! },
    title: 'Charlie’s PEP meeting is today',
  })
  carer = new TestAgent(t.app)
  await carer.signIn('carer@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

describe('the carer’s home', () => {
  it('is where they land: the children placed with them, not staff’s My work or a tray', async () => {
    const landing = await carer.get('/')
    expect(landing.statusCode).toBe(303)
    expect(landing.headers.location).toBe('/my-children')
    const page = await carer.get('/my-children')
    expect(page.statusCode).toBe(200)
    const body = page.body
    expect(body).toContain('Children in your care')
    expect(body).toContain('Charlie Young')
    expect(body).toContain(otherChild.name)
    expect(body).toContain(`href="/children/${charlieId}"`)
    // The next meeting: date, time, place, in plain words.
    expect(body).toContain('Monday 22 January 2029, at 2:30pm')
    expect(body).toContain('Where: Kingsmead School, room 4')
    // The PEP to read, and what they are asked for (the pages a carer fills in).
    expect(body).toContain(`href="/children/${charlieId}/peps/${pepId}/read"`)
    expect(body).toContain('What you are asked for')
    expect(body).toMatch(new RegExp(`href="/children/${charlieId}/peps/${pepId}/pages/[a-z-]+"`))
    // A task of theirs stays in sight on their home, since they have no tray to go to.
    expect(body).toContain('Things to do')
    expect(body).toContain('Charlie’s PEP meeting is today')
  })

  it('shows nothing of staff: no staff navigation, tray, roles, or restricted parts', async () => {
    const body = (await carer.get('/my-children')).body
    for (const staffWords of [
      'You work in',
      'My tasks',
      'Open my tray',
      'My work',
      '>Tray',
      '>Children<',
      'Date of birth',
      'Year group',
      'Case reference',
      'Find a child',
    ])
      expect(body, staffWords).not.toContain(staffWords)
    expect(body).toContain('govuk-service-navigation__active-fallback">Children in your care<')
  })

  it('is the carer’s alone, and every visit is audited', async () => {
    const staff = new TestAgent(t.app)
    await staff.signIn('social.worker@example.org', DEMO_PASSWORD)
    expect((await staff.get('/my-children')).statusCode).toBe(403)
    expect((await staff.get('/')).statusCode).toBe(200)
    await carer.get('/my-children')
    const events = await t.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'carer.home.view')
      .where('user_id', '=', ids['carer@example.org']!)
      .execute()
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events.every((e) => e.outcome === 'success')).toBe(true)
  })

  it('links the signed-off PEP as a PDF made for the carer, with nothing restricted in it', async () => {
    const body = (await carer.get('/my-children')).body
    const link = new RegExp(`href="(/children/${charlieId}/peps/[0-9a-f-]{36}/pep\\.pdf)"`).exec(
      body,
    )
    expect(link).not.toBeNull()
    const pdf = await carer.get(link![1]!)
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.rawPayload }).toString('utf8')
    expect(text).toContain('Charlie Young')
    for (const restricted of ['Date of birth', 'Legal status', 'Section D', 'UPN'])
      expect(text, restricted).not.toContain(restricted)
  })

  it('no longer shows a child whose placement ended', async () => {
    await endAccess(t.database.db, {
      reason: 'placement_ended',
      childId: otherChild.id,
      at: t.clock.now(),
      by: ids['social.worker@example.org']!,
    })
    const body = (await carer.get('/my-children')).body
    expect(body).not.toContain(otherChild.name)
    expect(body).not.toContain(otherChild.id)
    expect(body).toContain('Charlie Young')
    expect((await carer.get(`/children/${otherChild.id}`)).statusCode).toBe(404)
  })
})
