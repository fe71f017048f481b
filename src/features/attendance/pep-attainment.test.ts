import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/*
 * The PEP's attainment page reads and writes the child's termly attainment (issue 19), through
 * HTTP: the last terms beside the PEP's, the statutory results read-only, what is entered saved
 * to the record's history with the page (nothing typed twice), refusals naming the field with
 * what was typed kept, and a save that met someone else's never written over theirs.
 */

let world: DemoWorld
let childId: string
let pepId: string
const SW = 'social.worker@example.org'
const PAGE = 'attainment-and-progress'

const pageUrl = () => `/children/${childId}/peps/${pepId}/pages/${PAGE}`
const onRecord = (term: string, subject: string, workingAt: string, expected: string) => ({
  subject,
  otherSubject: '',
  term,
  workingAt,
  expected,
  target: '',
})

/** The page's current version, as its form carries it. */
const versionOn = (body: string) => /name="version" value="(\d+)"/.exec(body)![1]!
/** The entry the page showed for a subject (its hidden `seen`), by the row's index. */
const seenOn = (body: string, i: number) =>
  new RegExp(`name="attainment-${i}-seen" value="([^"]*)"`).exec(body)![1]!

const current = () =>
  world.t.database.db
    .selectFrom('attainment_entry')
    .select(['subject', 'academic_year', 'term', 'working_at', 'expected', 'target', 'scale'])
    .where('child_id', '=', childId)
    .where('superseded_at', 'is', null)
    .orderBy('academic_year')
    .orderBy('term')
    .orderBy('subject')
    .execute()

beforeAll(async () => {
  world = await demoWorld()
  // Born 15 October 2012: Year 9 in 2026/27, a secondary PEP on GCSE grades.
  childId = await world.newChild({
    firstName: 'Kit',
    lastName: 'Termly',
    caseReference: 'HFD-ATN-PEP',
    access: [
      [SW, 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
      ['carer@example.org', 'carer'],
    ],
  })
  pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
  // The school gave the last two terms on the record: Mathematics behind both times.
  const sw = await world.agent(SW)
  await sw.get(`/children/${childId}/attainment/new`)
  for (const term of ['2026-spring', '2026-summer'])
    expect(
      (
        await sw.post(
          `/children/${childId}/attainment/new`,
          onRecord(term, 'Mathematics', '3', '5'),
        )
      ).statusCode,
    ).toBe(303)
  await sw.get(`/children/${childId}/attainment/statutory/gcse`)
  expect(
    (
      await sw.post(`/children/${childId}/attainment/statutory/gcse`, {
        academicYear: '2026',
        subject: 'Statistics',
        grade: '7',
      })
    ).statusCode,
  ).toBe(303)
})
afterAll(() => world.close())

describe("the PEP's attainment page and the termly history", () => {
  it('shows the last terms beside the PEP’s, the flag, and the statutory results read-only', async () => {
    const sw = await world.agent(SW)
    const page = await sw.get(pageUrl())
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Attainment this term: Autumn term 2026')
    expect(page.body).toContain('GCSE grades 9 to 1')
    // The three terms before the PEP's, oldest first, and this one.
    expect(page.body).toMatch(/Autumn term 2025[\s\S]*Spring term 2026[\s\S]*Summer term 2026/)
    expect(page.body).toMatch(/Spring term 2026<\/th>\s*<td class="govuk-table__cell">Grade 3/)
    expect(page.body).toContain('Not making expected progress')
    // English, Mathematics and Science offered; nothing recorded yet this term.
    for (const subject of ['English', 'Mathematics', 'Science'])
      expect(page.body).toContain(`value="${subject}"`)
    expect(seenOn(page.body, 1)).toBe('')
    // Statutory results, read: no link to record one from the PEP.
    expect(page.body).toContain('GCSE: Statistics')
    expect(page.body).toContain('Grade 7')
    expect(page.body).not.toContain('Record a GCSE grade')
  })

  it('saves this term’s attainment to the record with the page, and opens with it after', async () => {
    const sw = await world.agent(SW)
    const opened = await sw.get(pageUrl())
    const saved = await sw.post(pageUrl(), {
      version: versionOn(opened.body),
      action: 'later',
      'attainment-0-subject': 'English',
      'attainment-0-seen': '',
      'attainment-0-workingAt': '5',
      'attainment-0-expected': '5',
      'attainment-0-target': '6',
      'attainment-1-subject': 'Mathematics',
      'attainment-1-seen': '',
      'attainment-1-workingAt': '4',
      'attainment-1-expected': '5',
      'attainment-1-target': '',
      'attainment-2-subject': 'Science',
      'attainment-2-seen': '',
      'attainment-2-workingAt': '',
      'attainment-2-expected': '',
      'attainment-2-target': '',
      'attainment-3-subject': 'Computer science',
      'attainment-3-workingAt': '6',
      'attainment-3-expected': '6',
      'attainment-3-target': '',
      'attainment-summary': 'Steady in English; Mathematics still behind.',
    })
    expect(saved.statusCode).toBe(303)
    expect(
      (await current()).filter((r) => r.academic_year === 2026 && r.term === 'autumn'),
    ).toEqual([
      {
        subject: 'Computer science',
        academic_year: 2026,
        term: 'autumn',
        working_at: '6',
        expected: '6',
        target: null,
        scale: 'gcse',
      },
      {
        subject: 'English',
        academic_year: 2026,
        term: 'autumn',
        working_at: '5',
        expected: '5',
        target: '6',
        scale: 'gcse',
      },
      {
        subject: 'Mathematics',
        academic_year: 2026,
        term: 'autumn',
        working_at: '4',
        expected: '5',
        target: null,
        scale: 'gcse',
      },
    ])
    const audited = await world.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'child.attainment.record')
      .where('child_id', '=', childId)
      .execute()
    expect(audited.filter((a) => a.details?.['pepId'] === pepId)).toHaveLength(3)
    const answers = await world.t.database.db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pepId)
      .where('page_id', '=', PAGE)
      .executeTakeFirstOrThrow()
    expect(answers.answers).toEqual({
      'attainment-summary': 'Steady in English; Mathematics still behind.',
    })
    // The record's tab shows what the PEP wrote; the PEP page opens with it chosen.
    const tab = await sw.get(`/children/${childId}/attainment`)
    expect(tab.body).toContain('Computer science')
    expect(tab.body).toMatch(/Autumn term 2026[\s\S]*Grade 4/)
    const again = await sw.get(pageUrl())
    expect(again.body).toContain('Autumn term 2026 (now on the record)')
    expect(again.body).toMatch(
      /name="attainment-1-workingAt"[^>]*>[\s\S]*?<option value="4" selected>/,
    )
    expect(seenOn(again.body, 1)).not.toBe('')
    // Saving it again unchanged records nothing new.
    const unchanged = await sw.post(pageUrl(), {
      version: versionOn(again.body),
      action: 'later',
      'attainment-1-subject': 'Mathematics',
      'attainment-1-seen': seenOn(again.body, 1),
      'attainment-1-workingAt': '4',
      'attainment-1-expected': '5',
      'attainment-1-target': '',
      'attainment-summary': 'Steady in English; Mathematics still behind.',
    })
    expect(unchanged.statusCode).toBe(303)
    const all = await world.t.database.db
      .selectFrom('attainment_entry')
      .select('id')
      .where('child_id', '=', childId)
      .execute()
    expect(all).toHaveLength(5)
  })

  it('refuses a level without what is expected, naming the field, keeping what was typed and saving nothing', async () => {
    const sw = await world.agent(SW)
    const opened = await sw.get(pageUrl())
    const before = await current()
    const refused = await sw.post(pageUrl(), {
      version: versionOn(opened.body),
      action: 'later',
      'attainment-0-subject': 'English',
      'attainment-0-seen': seenOn(opened.body, 0),
      'attainment-0-workingAt': '5',
      'attainment-0-expected': '5',
      'attainment-0-target': '6',
      'attainment-2-subject': 'Science',
      'attainment-2-seen': '',
      'attainment-2-workingAt': '7',
      'attainment-2-expected': '',
      'attainment-2-target': '',
      'attainment-summary': 'Changed words that must not be saved.',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('There is a problem')
    expect(refused.body).toContain(
      'href="#attainment-2-expected">Science: Select where they are expected to be by the end of the year',
    )
    expect(refused.body).toMatch(
      /name="attainment-2-workingAt"[^>]*>[\s\S]*?<option value="7" selected>/,
    )
    expect(refused.body).toContain('Changed words that must not be saved.')
    expect(await current()).toEqual(before)
  })

  it('catches a conflict on concurrent saves: the second is refused and writes no attainment', async () => {
    const sw = await world.agent(SW)
    // The same social worker in another browser: a second session, saving first.
    const vs = new TestAgent(world.t.app)
    await vs.signIn(SW, DEMO_PASSWORD)
    const mine = await sw.get(pageUrl())
    const theirs = await vs.get(pageUrl())
    expect(theirs.statusCode).toBe(200)
    const version = versionOn(mine.body)
    const first = await vs.post(pageUrl(), {
      version,
      action: 'later',
      'attainment-2-subject': 'Science',
      'attainment-2-seen': '',
      'attainment-2-workingAt': '6',
      'attainment-2-expected': '6',
      'attainment-2-target': '',
      'attainment-summary': 'The Virtual School’s words.',
    })
    expect(first.statusCode).toBe(303)
    const second = await sw.post(pageUrl(), {
      version,
      action: 'later',
      'attainment-2-subject': 'Science',
      'attainment-2-seen': '',
      'attainment-2-workingAt': '2',
      'attainment-2-expected': '6',
      'attainment-2-target': '',
      'attainment-summary': 'The social worker’s words.',
    })
    expect(second.statusCode).toBe(409)
    expect(second.body).toContain('You saved this page in another window or tab')
    const science = (await current()).filter((r) => r.subject === 'Science')
    expect(science.map((r) => r.working_at)).toEqual(['6'])
  })

  it('refuses a save over attainment recorded on the record since the page was opened, then takes it once seen', async () => {
    const sw = await world.agent(SW)
    const dt = await world.agent('designated.teacher@example.org')
    const opened = await sw.get(pageUrl())
    const seen = seenOn(opened.body, 0)
    // Meanwhile the school corrects English this term on the record.
    await dt.get(`/children/${childId}/attainment/new`)
    expect(
      (
        await dt.post(
          `/children/${childId}/attainment/new`,
          onRecord('2026-autumn', 'English', '4', '5'),
        )
      ).statusCode,
    ).toBe(303)
    const form = {
      version: versionOn(opened.body),
      action: 'later',
      'attainment-0-subject': 'English',
      'attainment-0-seen': seen,
      'attainment-0-workingAt': '7',
      'attainment-0-expected': '5',
      'attainment-0-target': '6',
      'attainment-summary': 'The Virtual School’s words.',
    }
    const refused = await sw.post(pageUrl(), form)
    expect(refused.statusCode).toBe(409)
    expect(refused.body).toContain(
      'English for this term was recorded by someone else since you opened this page',
    )
    // Theirs is shown as now on the record, mine kept in the fields.
    expect(refused.body).toMatch(
      /\(now on the record\)<\/th>\s*<td class="govuk-table__cell">Grade 4/,
    )
    expect(refused.body).toMatch(
      /name="attainment-0-workingAt"[^>]*>[\s\S]*?<option value="7" selected>/,
    )
    const english = () =>
      current().then((rows) =>
        rows.filter((r) => r.subject === 'English' && r.term === 'autumn').map((r) => r.working_at),
      )
    expect(await english()).toEqual(['4'])
    // Saved again from the refusal (which now carries theirs as seen), mine is recorded over it.
    const taken = await sw.post(pageUrl(), {
      ...form,
      'attainment-0-seen': seenOn(refused.body, 0),
    })
    expect(taken.statusCode).toBe(303)
    expect(await english()).toEqual(['7'])
  })

  it('shows the carer no attainment history on the PEP', async () => {
    const carer = await world.agent('carer@example.org')
    const page = await carer.get(pageUrl())
    expect([200, 404]).toContain(page.statusCode)
    expect(page.body).not.toContain('data-attainment-history')
    expect(page.body).not.toContain('Computer science')
    expect(page.body).not.toContain('Statistics')
  })
})
