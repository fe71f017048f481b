import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestContext } from '../../testing/app.ts'
import type { TestAgent } from '../../testing/agent.ts'
import { demoWorld } from '../../testing/demo-world.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import { findPage } from '../../forms/completion.ts'
import type { Page } from '../../forms/types.ts'
import { makeChild, setAuthoritySettings, type ChildOverrides } from '../../testing/factories.ts'

/*
 * The PEP form through HTTP on a real database: starting, saving, validation, history,
 * conflicts, completion, carry forward, and who may do what.
 */

let t: TestContext
let childId: string
let otherChildId: string
let authorityId: string
let sw: TestAgent
let dt: TestAgent
let iro: TestAgent
let outsider: TestAgent
let admin: TestAgent

const secondary = currentTemplate('secondary')
/** As the page shows it: Nunjucks escapes apostrophes and quotes. */
const html = (text: string) => text.replace(/'/g, '&#39;').replace(/"/g, '&quot;')
const pageOf = (id: string): Page => findPage(secondary, id)!.page
/** The first free-text question of a page, whatever the template calls it. */
const textQuestionOf = (pageId: string) =>
  pageOf(pageId).questions.find((q) => q.type === 'longText' || q.type === 'text')!

beforeAll(async () => {
  const world = await demoWorld()
  t = world.t
  const db = t.database.db
  const { ids, schoolId } = world
  authorityId = world.authorityId
  // Born October 2012: 13 on 31 August 2026, so Year 9 in 2026/27 and Year 10 from September 2027.
  const testPepChild = (firstName: string, i: number, access: ChildOverrides['access']) =>
    makeChild(db, {
      authorityId,
      schoolId,
      firstName,
      lastName: 'Test-Pep',
      dateOfBirth: '2012-10-15',
      caseReference: `HFD-PEP-${i}`,
      access,
    })
  const swId = ids['social.worker@example.org']!
  childId = await testPepChild('Ffion', 0, [
    { userId: swId, capacity: 'social_worker' },
    { userId: ids['designated.teacher@example.org']!, capacity: 'designated_teacher' },
    { userId: ids['iro@example.org']!, capacity: 'iro' },
  ])
  otherChildId = await testPepChild('Other', 1, [{ userId: swId, capacity: 'social_worker' }])
  sw = await world.agent('social.worker@example.org')
  dt = await world.agent('designated.teacher@example.org')
  iro = await world.agent('iro@example.org')
  outsider = await world.agent('carer@example.org')
  admin = await world.agent('vs.admin@example.org')
})
afterAll(() => t.close())

const pepsUrl = (child = childId) => `/children/${child}/peps`

async function startPep(agent: TestAgent, form: Record<string, string>, child = childId) {
  await agent.get(`${pepsUrl(child)}/start`)
  return agent.post(`${pepsUrl(child)}/start`, form)
}

async function pepIds(child = childId) {
  const rows = await t.database.db
    .selectFrom('pep')
    .select(['id', 'academic_year', 'term', 'change_of_school'])
    .where('child_id', '=', child)
    .orderBy('created_at')
    // PEPs started at the clock's one instant: by term ('autumn' < 'spring' < 'summer'), and a
    // change of school's extra review after the term's PEP, not in the heap's order.
    .orderBy('academic_year')
    .orderBy('term')
    .orderBy('change_of_school')
    .execute()
  return rows
}

let pepId: string
const pageUrl = (pageId: string, pep = pepId) => `${pepsUrl()}/${pep}/pages/${pageId}`

async function versionOf(pageId: string, pep = pepId) {
  const row = await t.database.db
    .selectFrom('pep_page')
    .select('version')
    .where('pep_id', '=', pep)
    .where('page_id', '=', pageId)
    .executeTakeFirst()
  return row?.version ?? 0
}

/** A page of the PEP as stored: its answers and version. */
function storedPage(pageId: string, pep = pepId) {
  return t.database.db
    .selectFrom('pep_page')
    .select(['answers', 'version'])
    .where('pep_id', '=', pep)
    .where('page_id', '=', pageId)
    .executeTakeFirstOrThrow()
}

/** The attendance page's revisions, oldest first. */
function attendanceRevisions() {
  return t.database.db
    .selectFrom('pep_page_revision')
    .select(['answers', 'version', 'kind'])
    .where('pep_id', '=', pepId)
    .where('page_id', '=', 'attendance')
    .orderBy('version')
    .execute()
}

/** The attendance page posted as `agent`, from a form opened at `version`. */
function postAttendance(
  agent: TestAgent,
  version: number | string,
  percentage: string,
  action?: 'later' | 'continue' | 'keep-theirs',
) {
  return agent.post(pageUrl('attendance'), {
    version: String(version),
    ...(action ? { action } : {}),
    'attendance-percentage': percentage,
  })
}

/** The details of the audit event of this action (of this child, if one is named). */
async function auditDetails(action: string, child?: string) {
  let query = t.database.db.selectFrom('audit_event').select('details').where('action', '=', action)
  if (child) query = query.where('child_id', '=', child)
  return (await query.executeTakeFirstOrThrow()).details
}

describe('starting a PEP', () => {
  it('refuses a start with no term and a meeting date outside the term, keeping what was typed', async () => {
    const none = await startPep(sw, {})
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('Select the term the PEP is for')
    const outside = await startPep(sw, {
      term: '2026-autumn',
      'meetingOn-day': '5',
      'meetingOn-month': '1',
      'meetingOn-year': '2027',
      meetingTime: '10am',
    })
    expect(outside.statusCode).toBe(400)
    expect(outside.body).toContain('The meeting date must be in the Autumn term 2026')
    expect(outside.body).toContain('value="2027"')
    expect(await pepIds()).toEqual([])
  })

  it('starts a Secondary PEP for Year 9 on the current template, audited', async () => {
    const response = await startPep(sw, {
      term: '2026-autumn',
      'meetingOn-day': '4',
      'meetingOn-month': '12',
      'meetingOn-year': '2026',
      meetingTime: '10am',
    })
    expect(response.statusCode).toBe(303)
    const [pep] = await pepIds()
    pepId = pep!.id
    expect(response.headers.location).toBe(`${pepsUrl()}/${pepId}`)
    const stored = await t.database.db
      .selectFrom('pep')
      .selectAll()
      .where('id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      form_type: 'secondary',
      template_version: secondary.version,
      year_group: 'Y9',
      academic_year: 2026,
      term: 'autumn',
      started_on: '2026-11-23',
      meeting_on: '2026-12-04',
    })
    const contents = await sw.get(`${pepsUrl()}/${pepId}`)
    expect(contents.statusCode).toBe(200)
    expect(contents.body).toContain('Secondary PEP, Autumn term 2026')
    expect(contents.body).toContain('Year 9')
    for (const section of secondary.sections) expect(contents.body).toContain(html(section.title))
    expect(contents.body).toContain('Not started')
    const record = await sw.get(`/children/${childId}`)
    expect(record.body).toContain(`href="${pepsUrl()}/${pepId}">Secondary PEP, Autumn term 2026`)
    // The 14-19 plan is for Years 10 and 11 only.
    expect(contents.body).not.toContain(pageOf('plan-14-19').title)
    const details = await auditDetails('pep.start', childId)
    expect(details).toMatchObject({ pepId, formType: 'secondary' })
  })

  it('allows one PEP a term, plus an extra review after a change of school', async () => {
    const again = await startPep(sw, { term: '2026-autumn' })
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('There is already a PEP for the Autumn term 2026')
    const extra = await startPep(sw, { term: '2026-autumn', changeOfSchool: 'yes' })
    expect(extra.statusCode).toBe(303)
    expect((await pepIds()).map((p) => p.change_of_school)).toEqual([false, true])
  })

  it('is refused to those who may not start PEPs, and hidden from those without access', async () => {
    expect((await startPep(dt, { term: '2026-autumn' })).statusCode).toBe(404)
    const hidden = await outsider.get(pepsUrl())
    expect(hidden.statusCode).toBe(404)
    expect(hidden.body).not.toContain('Ffion')
  })
})

describe('saving a page', () => {
  it('saves what was typed exactly, keeps a revision and an audit event', async () => {
    const question = textQuestionOf('pep-meeting')
    const typed = 'Ffion said: "maths + art 😀" – Gŵyl Dewi\r\nNext line <b>'
    const response = await sw.post(pageUrl('pep-meeting'), {
      version: '0',
      action: 'later',
      [question.id]: typed,
    })
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`${pepsUrl()}/${pepId}`)
    const page = await storedPage('pep-meeting')
    expect(page).toEqual({ answers: { [question.id]: typed }, version: 1 })
    const shown = await sw.get(pageUrl('pep-meeting'))
    expect(shown.body).toContain('Ffion said: &quot;maths + art 😀&quot; – Gŵyl Dewi')
    expect(shown.body).toContain('&lt;b&gt;')
    const details = await auditDetails('pep.page.save')
    expect(details).toMatchObject({ pepId, pageId: 'pep-meeting', version: 1 })
  })

  it('refuses a bad answer with a message naming the field, keeps the input and stores nothing', async () => {
    const before = await versionOf('attendance')
    const response = await postAttendance(sw, before, '101', 'continue')
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is a problem')
    expect(response.body).toContain('href="#attendance-percentage"')
    expect(response.body).toContain('must be between 0 and 100')
    expect(response.body).toContain('value="101"')
    expect(await versionOf('attendance')).toBe(before)
  })

  it('moves on to the next page of the section on "Save and continue"', async () => {
    const response = await postAttendance(sw, 0, '85', 'continue')
    expect(response.statusCode).toBe(303)
    const pages = findPage(secondary, 'attendance')!.section.pages.map((p) => p.id)
    const next = pages[pages.indexOf('attendance') + 1]
    expect(response.headers.location).toBe(pageUrl(next!))
    // Below 90%, the page prompts a target on attendance.
    const shown = await sw.get(pageUrl('attendance'))
    expect(shown.body).toContain('govuk-warning-text')
  })

  it("lets the designated teacher change the school's sections only once delegated", async () => {
    const before = await postAttendance(dt, await versionOf('attendance'), '40')
    expect(before.statusCode).toBe(403)
    expect(before.body).toContain('once the social worker delegates')
    await sw.get(`${pepsUrl()}/${pepId}/actions/delegate`)
    const delegated = await sw.post(`${pepsUrl()}/${pepId}/actions/delegate`, {
      'dueOn-day': '18',
      'dueOn-month': '12',
      'dueOn-year': '2026',
      // After the target date (11 December): a reason is asked for.
      comments: 'The school’s data manager returns on 14 December',
    })
    expect(delegated.statusCode).toBe(303)
    const contents = await sw.get(`${pepsUrl()}/${pepId}`)
    expect(contents.body).toContain('Delegated to Robin Teacher')
  })

  it('shows a conflict, never overwriting, when someone else saved the page meanwhile', async () => {
    const opened = await versionOf('attendance')
    await dt.get(pageUrl('attendance'))
    const theirs = await postAttendance(dt, opened, '92', 'later')
    expect(theirs.statusCode).toBe(303)
    const mine = await postAttendance(sw, opened, '88.5', 'later')
    expect(mine.statusCode).toBe(409)
    expect(mine.body).toContain('Someone else has changed this page')
    expect(mine.body).toContain('Robin Teacher')
    expect(mine.body).toContain('92%')
    expect(mine.body).toContain('88.5%')
    const stored = await storedPage('attendance')
    expect(stored).toEqual({ answers: { 'attendance-percentage': 92 }, version: opened + 1 })
    // Choosing mine saves it on top of theirs; theirs stays in the history.
    const resolved = await postAttendance(sw, opened + 1, '88.5', 'continue')
    expect(resolved.statusCode).toBe(303)
    const history = await sw.get(`${pageUrl('attendance')}/history`)
    expect(history.statusCode).toBe(200)
    expect(history.body).toContain('Saved by Robin Teacher')
    expect(history.body).toContain('Saved by Jordan Social')
    expect(history.body).toMatch(/92%[\s\S]*88.5%|88.5%[\s\S]*92%/)
    const revisions = await attendanceRevisions()
    expect(revisions.map((r) => r.answers['attendance-percentage'])).toEqual([85, 92, 88.5])
  })

  it('keeps both versions in history when the other save is chosen, and names your own other window', async () => {
    // Another person's save: keeping theirs records mine as not chosen.
    const opened = await versionOf('attendance')
    const theirs = await postAttendance(dt, opened, '93', 'later')
    expect(theirs.statusCode).toBe(303)
    const mine = await postAttendance(sw, opened, '77', 'later')
    expect(mine.statusCode).toBe(409)
    expect(mine.body).toContain('Keep Robin Teacher’s answers')
    expect(mine.body).toContain('value="keep-theirs" name="action"')
    const kept = await postAttendance(sw, opened + 1, '77', 'keep-theirs')
    expect(kept.statusCode).toBe(303)
    expect(kept.headers.location).toBe(pageUrl('attendance'))
    const stored = await storedPage('attendance')
    expect(stored).toEqual({ answers: { 'attendance-percentage': 93 }, version: opened + 1 })
    const revisions = (await attendanceRevisions()).filter((r) => r.version > opened)
    expect(revisions).toEqual(
      expect.arrayContaining([
        { answers: { 'attendance-percentage': 93 }, version: opened + 1, kind: 'saved' },
        { answers: { 'attendance-percentage': 77 }, version: opened + 1, kind: 'not-chosen' },
      ]),
    )
    const history = await sw.get(`${pageUrl('attendance')}/history`)
    expect(history.body).toContain(
      `Sent by Jordan Social but not chosen: the answers saved as version ${opened + 1} were kept instead`,
    )
    expect(history.body).toMatch(/Kept[\s\S]*Not chosen[\s\S]*93%[\s\S]*77%/)
    const details = await auditDetails('pep.page.not-chosen')
    expect(details).toMatchObject({ pepId, pageId: 'attendance', version: opened + 1 })

    // My own save in another window or tab is named as mine, not someone else's.
    const again = await versionOf('attendance')
    const otherTab = await postAttendance(sw, again, '94', 'later')
    expect(otherTab.statusCode).toBe(303)
    const thisTab = await postAttendance(sw, again, '95', 'later')
    expect(thisTab.statusCode).toBe(409)
    expect(thisTab.body).toContain('You saved this page in another window or tab')
    expect(thisTab.body).not.toContain('Someone else has changed this page')
    // Put back what the later tests expect.
    const back = await postAttendance(sw, again + 1, '88.5', 'continue')
    expect(back.statusCode).toBe(303)
  })

  it('does not call it a conflict when a stale form carries the same answers', async () => {
    const response = await postAttendance(dt, 1, '88.5', 'later')
    expect(response.statusCode).toBe(303)
  })

  it('keeps repeating items by id, adds from the blank item and removes ticked ones', async () => {
    const targets = await sw.post(pageUrl('smart-targets'), {
      version: '0',
      action: 'later',
      'targets--0--id': 'x',
      'targets--0--area': 'attendance',
      'targets--0--target': 'Attend every day',
      'targets--1--id': 'y',
      'targets--1--target': 'Read for 20 minutes a day',
    })
    expect(targets.statusCode).toBe(303)
    const stored = await storedPage('smart-targets')
    const items = stored.answers['targets'] as { id: string; target: string }[]
    expect(items.map((i) => i.target)).toEqual(['Attend every day', 'Read for 20 minutes a day'])
    const removed = await sw.post(pageUrl('smart-targets'), {
      version: '1',
      action: 'later',
      'targets--0--id': items[0]!.id,
      'targets--0--area': 'attendance',
      'targets--0--target': 'Attend every day',
      'targets--0--remove': 'yes',
      'targets--1--id': items[1]!.id,
      'targets--1--target': 'Read for 20 minutes a day',
    })
    expect(removed.statusCode).toBe(303)
    const after = await storedPage('smart-targets')
    expect(after.answers['targets']).toEqual([
      { id: items[1]!.id, target: 'Read for 20 minutes a day' },
    ])
  })
})

describe('who may change what', () => {
  it('lets a designated teacher read Section A but not change it', async () => {
    const pageId = secondary.sections[0]!.pages[0]!.id
    const read = await dt.get(pageUrl(pageId))
    expect(read.statusCode).toBe(200)
    expect(read.body).toContain('You can read this page but not change it')
    const question = textQuestionOf(pageId)
    const refused = await dt.post(pageUrl(pageId), { version: '0', [question.id]: 'Not mine' })
    expect(refused.statusCode).toBe(403)
    expect(await versionOf(pageId)).toBe(0)
  })

  it('lets an IRO read the PEP and nothing more', async () => {
    expect((await iro.get(`${pepsUrl()}/${pepId}/read`)).statusCode).toBe(200)
    const refused = await postAttendance(iro, 2, '50')
    expect(refused.statusCode).toBe(404)
  })

  it("never opens a PEP through another child's URL, or for someone without access", async () => {
    const [other] = await pepIds(childId)
    expect((await sw.get(`${pepsUrl(otherChildId)}/${other!.id}`)).statusCode).toBe(404)
    expect((await sw.get(`${pepsUrl()}/not-a-uuid`)).statusCode).toBe(404)
    for (const url of [
      `${pepsUrl()}/${pepId}`,
      `${pepsUrl()}/${pepId}/read`,
      pageUrl('attendance'),
    ]) {
      const response = await outsider.get(url)
      expect(response.statusCode).toBe(404)
      expect(response.body).not.toContain('Ffion')
    }
    expect((await sw.get(pageUrl('no-such-page'))).statusCode).toBe(404)
    expect((await sw.get(pageUrl('plan-14-19'))).statusCode).toBe(404)
  })
})

describe('marking a section complete', () => {
  it('lists every missing mandatory answer with a link to it', async () => {
    const response = await dt.post(`${pepsUrl()}/${pepId}/sections/B/complete`, {})
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('cannot be marked complete yet')
    expect(response.body).toMatch(new RegExp(`href="${pageUrl('[a-z0-9-]+')}#[a-z0-9-]+"`))
    const sections = await t.database.db
      .selectFrom('pep_section')
      .selectAll()
      .where('pep_id', '=', pepId)
      .execute()
    expect(sections).toEqual([])
  })

  it("follows the authority's mandatory questions, then locks the section", async () => {
    await admin.get('/admin/form-settings')
    const settings = `/admin/form-settings/secondary?authority=${authorityId}`
    expect((await admin.get(settings)).statusCode).toBe(200)
    // Only the attendance percentage stays mandatory in this authority's Secondary PEP.
    const saved = await admin.post(settings, { mandatory: ['attendance-percentage'] })
    expect(saved.statusCode).toBe(303)
    expect((await sw.post(`${pepsUrl()}/${pepId}/sections/B/complete`, {})).statusCode).toBe(403)
    // Without the next meeting's date and time, no section completes.
    const noMeeting = await dt.post(`${pepsUrl()}/${pepId}/sections/B/complete`, {})
    expect(noMeeting.statusCode).toBe(400)
    expect(noMeeting.body).toContain('Set the next meeting')
    expect(noMeeting.body).toContain(`${pageUrl('pep-meeting')}#next-meeting-date-day`)
    const meeting = await dt.post(pageUrl('pep-meeting'), {
      version: String(await versionOf('pep-meeting')),
      action: 'later',
      [textQuestionOf('pep-meeting').id]:
        'Ffion said: "maths + art 😀" – Gŵyl Dewi\r\nNext line <b>',
      'next-meeting-date-day': '4',
      'next-meeting-date-month': '3',
      'next-meeting-date-year': '2027',
      'next-meeting-time': '2:30pm',
    })
    expect(meeting.statusCode).toBe(303)
    // Attendance is 88.5%, below the authority's 90%: Section B needs a target on attendance.
    const noTarget = await dt.post(`${pepsUrl()}/${pepId}/sections/B/complete`, {})
    expect(noTarget.statusCode).toBe(400)
    expect(noTarget.body).toContain('Attendance is 88.5%, below 90%: add a target on attendance')
    // This authority draws its line at 85% instead (rules.test.ts covers a target on attendance).
    await setAuthoritySettings(
      t.database.db,
      authorityId,
      { attendanceTargetBelowPercent: 85 },
      t.clock.now(),
    )
    const done = await dt.post(`${pepsUrl()}/${pepId}/sections/B/complete`, {})
    expect(done.statusCode).toBe(303)
    const contents = await dt.get(`${pepsUrl()}/${pepId}`)
    expect(contents.body).toContain('Marked complete by Robin Teacher')
    const locked = await postAttendance(sw, 3, '10')
    expect([403, 409]).toContain(locked.statusCode)
    // What they typed is shown back, not lost with the refusal.
    expect(locked.body).toContain('What you typed (not saved)')
    expect(locked.body).toContain('10%')
    const stored = await storedPage('attendance')
    expect(stored.answers).toEqual({ 'attendance-percentage': 88.5 })
    // The settings apply only to their authority and form: putting them back restores defaults.
    await admin.post(settings, {
      mandatory: secondary.sections
        .flatMap((s) => s.pages)
        .flatMap((p) => p.questions)
        .filter((q) => q.mandatory)
        .map((q) => q.id),
    })
  })
})

describe('the read view', () => {
  it('shows every section and the answers as typed, for printing', async () => {
    const response = await sw.get(`${pepsUrl()}/${pepId}/read`)
    expect(response.statusCode).toBe(200)
    for (const section of secondary.sections) expect(response.body).toContain(html(section.title))
    expect(response.body).toContain('88.5%')
    expect(response.body).toContain('Read for 20 minutes a day')
    expect(response.body).toContain('Not answered')
  })
})

describe('carrying forward', () => {
  it("copies personal information and last term's targets into the next PEP, and keeps its template", async () => {
    const personal = textQuestionOf('personal-information')
    await sw.post(pageUrl('personal-information'), {
      version: String(await versionOf('personal-information')),
      action: 'later',
      [personal.id]: 'Likes to be called Ffi',
    })
    const started = await startPep(sw, { term: '2027-spring' })
    expect(started.body.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0] ?? '').toBe('')
    // Spring 2027 is only offered from the autumn term; the clock says 23 November 2026.
    expect(started.statusCode).toBe(303)
    const next = (await pepIds()).find((p) => p.term === 'spring')!
    const carried = await t.database.db
      .selectFrom('pep_page')
      .select(['page_id', 'answers'])
      .where('pep_id', '=', next.id)
      .execute()
    const byPage = new Map(carried.map((c) => [c.page_id, c.answers]))
    // Each page comes from the newest PEP that has it: the empty change-of-school review is skipped.
    expect(byPage.get('personal-information')).toEqual({ [personal.id]: 'Likes to be called Ffi' })
    const reviews = byPage.get('review-of-targets')!['target-reviews'] as Record<string, unknown>[]
    expect(reviews.map((r) => r['target'])).toEqual(['Read for 20 minutes a day'])
    expect(byPage.has('attendance')).toBe(false)
    const stored = await t.database.db
      .selectFrom('pep')
      .select(['template_version', 'carried_from_id'])
      .where('id', '=', next.id)
      .executeTakeFirstOrThrow()
    expect(stored.template_version).toBe(secondary.version)
    const revisions = await t.database.db
      .selectFrom('pep_page_revision')
      .select('kind')
      .where('pep_id', '=', next.id)
      .execute()
    expect(revisions.every((r) => r.kind === 'carried-forward')).toBe(true)
  })
})
