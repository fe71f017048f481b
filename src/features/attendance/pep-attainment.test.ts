import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { currentAttainment } from '../../testing/factories.ts'

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

const current = () => currentAttainment(world.t.database.db, childId)

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

describe('the form versions: the table is the one place for the levels from version 2', () => {
  it('starts a PEP on version 2, whose page asks no subject’s levels besides the table', async () => {
    const pep = await world.t.database.db
      .selectFrom('pep')
      .select(['form_type', 'template_version'])
      .where('id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(pep).toEqual({ form_type: 'secondary', template_version: 2 })
    const page = await (await world.agent(SW)).get(pageUrl())
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('they are not asked again here')
    expect(page.body).toContain('data-attainment-history')
    expect(page.body).not.toContain('subject-grades')
    expect(page.body).not.toContain('What grade are they working at now?')
    // What the page asks besides the levels is still asked.
    expect(page.body).toContain('When were these assessments made?')
    expect(page.body).toContain('name="attainment-summary"')
  })

  it('carries the term’s levels from the record in the PEP read whole, its PDF, and the blank form', async () => {
    const sw = await world.agent(SW)
    const read = await sw.get(`/children/${childId}/peps/${pepId}/read`)
    expect(read.statusCode).toBe(200)
    expect(read.body).toContain(
      'Each subject&#39;s attainment this term, on the child&#39;s record (Autumn term 2026)',
    )
    expect(read.body).toContain('English: working at Grade 7, expected Grade 5, target Grade 6')
    const pdf = await sw.get(`/children/${childId}/peps/${pepId}/pep.pdf`)
    expect(pdf.statusCode).toBe(200)
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.rawPayload }).toString()
    expect(text).toContain('attainment this term, on the child')
    expect(text).toContain('English: working at Grade 7, expected Grade 5, target Grade 6')
    // The blank form: a table to write each subject's levels in, on the attainment page.
    const blank = await sw.get('/peps/blank-forms/secondary/pep.pdf')
    const blankText = execFileSync('pdftotext', ['-', '-'], { input: blank.rawPayload }).toString()
    expect(blankText).toContain('attainment this term, on the child')
    expect(blankText).toMatch(/Working at[\s\S]*Target/)
  })

  it('keeps a PEP started on version 1 on its questions, its page still reading and writing the history', async () => {
    const oldChild = await world.newChild({
      firstName: 'Vic',
      lastName: 'Versioned',
      caseReference: 'HFD-ATN-V1',
      access: [[SW, 'social_worker']],
    })
    const oldPep = await world.startPep(oldChild, { meetingOn: '2026-11-20' })
    // As if started before version 2 shipped: a PEP keeps its version for life (ADR 4).
    await world.t.database.db
      .updateTable('pep')
      .set({ template_version: 1 })
      .where('id', '=', oldPep)
      .execute()
    const url = `/children/${oldChild}/peps/${oldPep}/pages/${PAGE}`
    const sw = await world.agent(SW)
    const opened = await sw.get(url)
    expect(opened.statusCode).toBe(200)
    expect(opened.body).toContain('What grade are they working at now?')
    expect(opened.body).toContain('data-attainment-history')
    const saved = await sw.post(url, {
      version: versionOn(opened.body),
      action: 'later',
      'subject-grades--0--subject': 'English',
      'subject-grades--0--current-grade': '5',
      'subject-grades--0--target-grade': '6',
      'attainment-0-subject': 'English',
      'attainment-0-seen': '',
      'attainment-0-workingAt': '5',
      'attainment-0-expected': '5',
      'attainment-0-target': '6',
    })
    expect(saved.statusCode).toBe(303)
    const page = await world.t.database.db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', oldPep)
      .where('page_id', '=', PAGE)
      .executeTakeFirstOrThrow()
    expect(page.answers['subject-grades']).toMatchObject([
      { subject: 'English', 'current-grade': '5', 'target-grade': '6' },
    ])
    const entries = await world.t.database.db
      .selectFrom('attainment_entry')
      .select(['subject', 'working_at', 'expected', 'target'])
      .where('child_id', '=', oldChild)
      .where('superseded_at', 'is', null)
      .execute()
    expect(entries).toEqual([{ subject: 'English', working_at: '5', expected: '5', target: '6' }])
    const again = await sw.get(url)
    expect(again.body).toContain('value="English"')
    expect(again.body).toContain('What grade are they working at now?')
  })
})

describe('a conflict resolved by keeping the other save loses none of the levels typed', () => {
  it('keeps the levels typed in the history as not chosen, and shows them', async () => {
    const child = await world.newChild({
      firstName: 'Mo',
      lastName: 'Conflicted',
      caseReference: 'HFD-ATN-KEEP',
      access: [
        [SW, 'social_worker'],
        ['personal.advisor@example.org', 'personal_advisor'],
      ],
    })
    const pep = await world.startPep(child, { meetingOn: '2026-11-20' })
    const url = `/children/${child}/peps/${pep}/pages/${PAGE}`
    const sw = await world.agent(SW)
    const pa = await world.agent('personal.advisor@example.org')
    // Both open the page at the same version; the personal adviser saves first, English included.
    const mine = await sw.get(url)
    const theirs = await pa.get(url)
    expect(theirs.statusCode).toBe(200)
    const version = versionOn(mine.body)
    const first = await pa.post(url, {
      version,
      action: 'later',
      'attainment-0-subject': 'English',
      'attainment-0-seen': '',
      'attainment-0-workingAt': '5',
      'attainment-0-expected': '5',
      'attainment-0-target': '',
      'attainment-summary': 'The adviser’s words.',
    })
    expect(first.statusCode).toBe(303)
    const typed = {
      version,
      'attainment-0-subject': 'English',
      'attainment-0-seen': '',
      'attainment-0-workingAt': '3',
      'attainment-0-expected': '5',
      'attainment-0-target': '6',
      'attainment-1-subject': 'Mathematics',
      'attainment-1-seen': '',
      'attainment-1-workingAt': '4',
      'attainment-1-expected': '4',
      'attainment-1-target': '',
      'attainment-summary': 'The social worker’s words.',
    }
    const conflict = await sw.post(url, { ...typed, action: 'later' })
    expect(conflict.statusCode).toBe(409)
    expect(conflict.body).toContain('Someone else has changed this page')
    // The levels typed, beside what is on the record now.
    expect(conflict.body).toContain("Attainment that differs from the child's record")
    expect(conflict.body).toMatch(
      /English, Autumn term 2026<\/th>\s*<td class="govuk-table__cell">Grade 5, expected Grade 5<\/td>\s*<td class="govuk-table__cell">Grade 3, expected Grade 5, target Grade 6/,
    )
    expect(conflict.body).toMatch(
      /Mathematics, Autumn term 2026<\/th>\s*<td class="govuk-table__cell">Not recorded<\/td>/,
    )
    const theirVersion = versionOn(conflict.body)
    const kept = await sw.post(url, { ...typed, version: theirVersion, action: 'keep-theirs' })
    expect(kept.statusCode).toBe(303)
    const entries = await world.t.database.db
      .selectFrom('attainment_entry')
      .select(['subject', 'working_at', 'target', 'superseded_at', 'not_chosen', 'pep_id'])
      .where('child_id', '=', child)
      .orderBy('subject')
      .orderBy('not_chosen')
      .execute()
    // Theirs stays current; mine is kept, never current.
    expect(
      entries.map((e) => [e.subject, e.working_at, e.not_chosen, e.superseded_at === null]),
    ).toEqual([
      ['English', '5', false, true],
      ['English', '3', true, false],
      ['Mathematics', '4', true, false],
    ])
    expect(entries.filter((e) => e.not_chosen).every((e) => e.pep_id === pep)).toBe(true)
    const audited = await world.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'child.attainment.not-chosen')
      .where('child_id', '=', child)
      .execute()
    expect(audited).toHaveLength(2)
    // Shown: on the PEP's page under this term, and on the record's attainment tab.
    const page = await sw.get(url)
    expect(page.body).toContain('in the child’s attainment history, as not chosen')
    expect(page.body).toContain(
      'Not chosen when two people saved this page at once: Grade 3, expected Grade 5, target Grade 6',
    )
    expect(page.body).toContain(
      'Not chosen when two people saved this page at once: Grade 4, expected Grade 4',
    )
    const tab = await sw.get(`/children/${child}/attainment`)
    expect(tab.body).toContain('Not chosen: Grade 3, expected Grade 5, target Grade 6')
    expect(tab.body).toContain('Not chosen: Grade 4, expected Grade 4')
    // The page's own answers: theirs kept, mine in the page's history.
    const answers = await world.t.database.db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pep)
      .where('page_id', '=', PAGE)
      .executeTakeFirstOrThrow()
    expect(answers.answers['attainment-summary']).toBe('The adviser’s words.')
  })
})
