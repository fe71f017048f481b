import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import { holds } from '../../forms/conditions.ts'
import { sampleAnswers } from '../../forms/sample-answers.ts'
import { demoHarrowfield } from '../../testing/demo-world.ts'
import { makeCarer, makeChild, setAuthoritySettings } from '../../testing/factories.ts'
import { writePage } from './peps.repository.ts'

const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8')

/*
 * The life of a PEP through HTTP on a real database: delegate, retract, contribute, return,
 * complete, submit, quality-assure, return for improvement, sign off; with the tasks, emails,
 * PDF and next term's PEP each step makes, and the people each step refuses.
 */

let t: TestContext
let childId: string
let pepId: string
const agents: Record<string, TestAgent> = {}
const ids: Record<string, string> = {}
const secondary = currentTemplate('secondary')

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  const { authorityId, schoolId } = await demoHarrowfield(db)
  for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute())
    ids[u.email] = u.id
  const sw = ids['social.worker@example.org']!
  childId = await makeChild(db, {
    authorityId,
    schoolId,
    firstName: 'Wren',
    lastName: 'Lifecycle',
    dateOfBirth: '2012-10-15',
    caseReference: 'HFD-LIFE-1',
    recordOwnerId: sw,
    access: [
      { userId: sw, capacity: 'social_worker' },
      { userId: ids['designated.teacher@example.org']!, capacity: 'designated_teacher' },
      { userId: ids['iro@example.org']!, capacity: 'iro' },
    ],
  })
  // Two carers of the authority: one with access to Wren now, one whose place ended.
  for (const [email, ended] of [
    ['wren.carer@example.org', null],
    ['wren.former.carer@example.org', t.clock.now()],
  ] as const) {
    await makeCarer(db, { childId, email, displayName: email, removedAt: ended })
  }
  for (const email of [
    'social.worker@example.org',
    'designated.teacher@example.org',
    'vs.consultant@example.org',
    'business.support@example.org',
  ]) {
    agents[email] = new TestAgent(t.app)
    await agents[email].signIn(email, DEMO_PASSWORD)
  }
})
afterAll(() => t.close())

const sw = () => agents['social.worker@example.org']!
const dt = () => agents['designated.teacher@example.org']!
const vs = () => agents['vs.consultant@example.org']!
const bso = () => agents['business.support@example.org']!
const base = () => `/children/${childId}/peps/${pepId}`

/** Each step a minute after the last, so the PEP's history has an order. */
async function act(
  agent: TestAgent,
  transition: string,
  form: Record<string, string | string[]> = {},
) {
  t.clock.advance(60_000)
  await agent.get(`${base()}/actions/${transition}`)
  return agent.post(`${base()}/actions/${transition}`, form)
}

async function complete(agent: TestAgent, section: string) {
  t.clock.advance(60_000)
  await agent.get(base())
  return agent.post(`${base()}/sections/${section}/complete`, {})
}

async function state() {
  const db = t.database.db
  const pep = await db
    .selectFrom('pep')
    .select(['status', 'meeting_confirmed_by', 'signed_off_at'])
    .where('id', '=', pepId)
    .executeTakeFirstOrThrow()
  const sections = await db
    .selectFrom('pep_section')
    .select('section_id')
    .where('pep_id', '=', pepId)
    .orderBy('section_id')
    .execute()
  const delegation = await db
    .selectFrom('pep_delegation')
    .select('status')
    .where('pep_id', '=', pepId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
  return {
    status: pep.status,
    complete: sections.map((s) => s.section_id).join(''),
    delegation: delegation?.status ?? 'none',
  }
}

async function openTasks(email: string) {
  return t.database.db
    .selectFrom('task')
    .select(['kind', 'is_alert'])
    .where('assigned_to', '=', ids[email]!)
    .where('pep_id', '=', pepId)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .execute()
}

async function groupTasks(group: string) {
  return t.database.db
    .selectFrom('task')
    .select('kind')
    .where('group_role', '=', group)
    .where('pep_id', '=', pepId)
    .where('status', '=', 'open')
    .execute()
}

async function emailsTo(email: string) {
  return t.database.db
    .selectFrom('outbox_email')
    .select(['subject', 'text_body'])
    .where('to_address', '=', email)
    .execute()
}

/** Every page of the PEP answered, as the social worker, teacher and consultant would have. */
async function answerEverything() {
  const random = (() => {
    let n = 7
    return () => (n = (n * 16807) % 2147483647) / 2147483647
  })()
  for (const section of secondary.sections)
    for (const page of section.pages) {
      if (!holds(page.condition, { yearGroup: 'Y9', answers: {} })) continue
      const answers = { ...sampleAnswers(page, random, randomUUID, '2026-11-20') }
      // Attendance at or above the line: a target on attendance is tested in rules.test.ts.
      if (page.id === 'attendance') answers['attendance-percentage'] = 96
      // A rating the consultant may sign off (a head's sign-off is tested in pep-steps.test.ts),
      // whatever the random answers draw.
      if ('qa-overall' in answers) answers['qa-overall'] = 'good'
      if (page.id === 'pep-meeting') {
        answers['next-meeting-date'] = '2027-03-04'
        answers['next-meeting-time'] = '14:30'
      }
      await writePage(t.database.db, {
        pepId,
        pageId: page.id,
        answers,
        version: 1,
        savedBy: ids['social.worker@example.org']!,
        at: t.clock.now(),
        kind: 'saved',
      })
    }
}

describe('the life of a PEP', () => {
  it('starts, and the school cannot touch its sections until they are delegated', async () => {
    await sw().get(`/children/${childId}/peps/start`)
    // The meeting was held on 20 November: it can be confirmed, and the PEP is due on the 27th.
    const started = await sw().post(`/children/${childId}/peps/start`, {
      term: '2026-autumn',
      'meetingOn-day': '20',
      'meetingOn-month': '11',
      'meetingOn-year': '2026',
      meetingTime: '10:00',
    })
    expect(started.statusCode).toBe(303)
    pepId = started.headers.location!.split('/').at(-1)!
    await answerEverything()
    expect(await state()).toEqual({ status: 'in_progress', complete: '', delegation: 'none' })
    expect((await complete(dt(), 'B')).statusCode).toBe(409)
  })

  it('delegates with a due date, tasks and emails the teacher; retract keeps their work', async () => {
    const past = await act(sw(), 'delegate', {
      'dueOn-day': '1',
      'dueOn-month': '1',
      'dueOn-year': '2020',
    })
    expect(past.statusCode).toBe(400)
    expect(past.body).toContain('The due date must be today or in the future')
    const delegated = await act(sw(), 'delegate', {
      'dueOn-day': '18',
      'dueOn-month': '12',
      'dueOn-year': '2026',
      comments: 'The school’s data manager is away until 14 December',
    })
    expect(delegated.statusCode).toBe(303)
    expect((await state()).delegation).toBe('delegated')
    expect(await openTasks('designated.teacher@example.org')).toEqual([
      { kind: 'complete-school-sections', is_alert: false },
    ])
    const emails = await emailsTo('designated.teacher@example.org')
    const delegation = emails.find(
      (e) => e.subject === 'A Personal Education Plan needs your contribution',
    )
    expect(delegation?.text_body).toContain('Please complete them by 18 December 2026.')
    expect(delegation?.text_body).toContain('http://localhost:3000/tray')
    // Emails never name the child, nor carry anything about them in a link.
    for (const e of emails) {
      expect(e.text_body).not.toContain('Wren')
      expect(e.text_body).not.toMatch(/children\/|peps\//)
    }
    expect(
      (
        await act(sw(), 'delegate', {
          'dueOn-day': '18',
          'dueOn-month': '12',
          'dueOn-year': '2026',
          comments: 'The school’s data manager is away until 14 December',
        })
      ).statusCode,
    ).toBe(409)

    const retracted = await act(sw(), 'retract', { comments: 'Wrong school: sorry' })
    expect(retracted.statusCode).toBe(303)
    expect((await state()).delegation).toBe('retracted')
    expect(await openTasks('designated.teacher@example.org')).toEqual([
      { kind: 'delegation-retracted', is_alert: true },
    ])
    const contents = await sw().get(base())
    expect(contents.body).toContain('Retracted the delegation')
    expect(contents.body).toContain('Wrong school: sorry')
    expect(
      (
        await act(sw(), 'delegate', {
          'dueOn-day': '18',
          'dueOn-month': '12',
          'dueOn-year': '2026',
          comments: 'The school’s data manager is away until 14 December',
        })
      ).statusCode,
    ).toBe(303)
  })

  it("takes the school's contribution, returns it with comments, reopening without losing a word", async () => {
    expect((await act(dt(), 'submit-contribution')).statusCode).toBe(409)
    expect((await complete(dt(), 'B')).statusCode).toBe(303)
    expect((await complete(dt(), 'C')).statusCode).toBe(303)
    expect((await act(dt(), 'submit-contribution')).statusCode).toBe(303)
    expect(await state()).toEqual({
      status: 'in_progress',
      complete: 'BC',
      delegation: 'submitted',
    })
    expect((await openTasks('social.worker@example.org')).map((t) => t.kind).sort()).toEqual([
      'check-contribution',
      'contribution-returned',
    ])
    const before = await t.database.db
      .selectFrom('pep_page')
      .select(['page_id', 'answers', 'version'])
      .where('pep_id', '=', pepId)
      .orderBy('page_id')
      .execute()
    const noComment = await act(sw(), 'return-contribution', { comments: ' ' })
    expect(noComment.statusCode).toBe(400)
    expect(noComment.body).toContain('Enter your comments')
    const returned = await act(sw(), 'return-contribution', {
      comments: 'Please add the reading age: "Year 5+" 📚',
    })
    expect(returned.statusCode).toBe(303)
    expect(await state()).toEqual({ status: 'in_progress', complete: '', delegation: 'delegated' })
    const after = await t.database.db
      .selectFrom('pep_page')
      .select(['page_id', 'answers', 'version'])
      .where('pep_id', '=', pepId)
      .orderBy('page_id')
      .execute()
    expect(after).toEqual(before)
    expect((await openTasks('designated.teacher@example.org')).map((t) => t.kind)).toContain(
      'amendments-requested',
    )
    expect((await dt().get(base())).body).toContain(
      'Please add the reading age: &quot;Year 5+&quot; 📚',
    )
  })

  it('is submitted to the Virtual School once complete, with the meeting confirmed', async () => {
    expect((await complete(dt(), 'B')).statusCode).toBe(303)
    expect((await complete(dt(), 'C')).statusCode).toBe(303)
    const again = await act(dt(), 'submit-contribution')
    expect(again.statusCode).toBe(303)
    expect((await complete(sw(), 'A')).statusCode).toBe(303)
    const early = await act(sw(), 'submit-to-vs')
    expect(early.statusCode).toBe(409)
    expect(early.body).toContain('Confirm that the meeting took place first')
    // The refusal is audited with its code and parameters, beside the words shown.
    const refusals = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'pep.transition.refused')
      .where('child_id', '=', childId)
      .execute()
    expect(refusals.map((r) => r.details)).toContainEqual(
      expect.objectContaining({
        transition: 'submit-to-vs',
        code: 'pep.still-needed',
        params: { need: 'confirm-meeting' },
        reason: 'Confirm that the meeting took place first',
      }),
    )
    expect((await act(dt(), 'confirm-meeting')).statusCode).toBe(303)
    expect((await sw().get(base())).body).toContain(
      'Robin Teacher confirmed the meeting took place',
    )
    expect((await act(sw(), 'submit-to-vs')).statusCode).toBe(303)
    expect(await state()).toEqual({ status: 'awaiting_qa', complete: 'ABC', delegation: 'done' })
    expect(await groupTasks('vs_consultant')).toEqual([{ kind: 'quality-assure' }])
    expect(await openTasks('social.worker@example.org')).toEqual([
      { kind: 'contribution-returned', is_alert: true },
      { kind: 'contribution-returned', is_alert: true },
    ])
    // Locked for everyone but the Virtual School's quality assurance.
    const locked = await sw().post(`${base()}/pages/attendance`, {
      version: '1',
      'attendance-percentage': '12',
    })
    expect(locked.statusCode).toBe(403)
    expect((await sw().get(`${base()}/pages/quality-assurance`)).statusCode).toBe(404)
  })

  it('is returned for improvement to the right people, with comments, and comes back', async () => {
    expect((await act(dt(), 'qa-return', { comments: 'x', reopen: ['B'] })).statusCode).toBe(409)
    const noSections = await act(vs(), 'qa-return', { comments: 'Targets need dates' })
    expect(noSections.statusCode).toBe(400)
    expect(noSections.body).toContain('Select the sections to reopen')
    const returned = await act(vs(), 'qa-return', {
      comments: 'Targets need dates',
      reopen: ['B'],
    })
    expect(returned.statusCode).toBe(303)
    expect(await state()).toEqual({
      status: 'in_progress',
      complete: 'AC',
      delegation: 'delegated',
    })
    expect(await groupTasks('vs_consultant')).toEqual([])
    expect((await openTasks('designated.teacher@example.org')).map((t) => t.kind)).toContain(
      'amendments-requested',
    )
    expect((await emailsTo('social.worker@example.org')).map((e) => e.subject)).toContain(
      'A Personal Education Plan needs improvement',
    )
    await complete(dt(), 'B')
    expect((await act(dt(), 'submit-contribution')).statusCode).toBe(303)
    expect((await act(sw(), 'submit-to-vs')).statusCode).toBe(303)
    expect((await state()).status).toBe('awaiting_qa')
  })

  it('goes through business support first where the authority asks for it', async () => {
    const { authorityId } = await demoHarrowfield(t.database.db)
    await setAuthoritySettings(t.database.db, authorityId, { bsoCheck: true }, t.clock.now())
    expect(
      (await act(vs(), 'qa-return', { comments: 'Once more', reopen: ['A'] })).statusCode,
    ).toBe(303)
    expect((await complete(sw(), 'A')).statusCode).toBe(303)
    expect((await act(sw(), 'submit-to-vs')).statusCode).toBe(303)
    expect((await state()).status).toBe('awaiting_bso_check')
    expect(await groupTasks('business_support')).toEqual([{ kind: 'bso-check' }])
    expect((await act(bso(), 'bso-pass')).statusCode).toBe(303)
    expect((await state()).status).toBe('awaiting_qa')
    expect(await groupTasks('business_support')).toEqual([])
  })

  it('is signed off after quality assurance: locked, PDF kept, people told, next term started', async () => {
    // Before sign-off the PDF is the PEP as it stands, marked DRAFT on every page.
    const draft = await sw().get(`${base()}/pep.pdf`)
    expect(draft.statusCode).toBe(200)
    const draftPages = pdfText(draft.rawPayload).split('\f').slice(0, -1)
    for (const page of draftPages) expect(page).toContain('DRAFT')
    expect(
      await t.database.db
        .selectFrom('pep_pdf')
        .select('pep_id')
        .where('pep_id', '=', pepId)
        .execute(),
    ).toEqual([])
    expect((await act(vs(), 'sign-off')).statusCode).toBe(409)
    expect((await complete(vs(), 'D')).statusCode).toBe(303)
    expect((await act(dt(), 'sign-off')).statusCode).toBe(409)
    expect((await act(vs(), 'sign-off')).statusCode).toBe(303)
    expect((await state()).status).toBe('signed_off')
    for (const email of ['social.worker@example.org', 'designated.teacher@example.org']) {
      expect((await openTasks(email)).map((t) => t.kind)).toContain('signed-off')
      expect((await emailsTo(email)).map((e) => e.subject)).toContain(
        'A Personal Education Plan has been signed off',
      )
    }
    // The carer with access now is emailed a link to sign in, naming no child; nobody else.
    const toCarer = await emailsTo('wren.carer@example.org')
    expect(toCarer.map((e) => e.subject)).toEqual(['A Personal Education Plan has been signed off'])
    expect(toCarer[0]!.text_body).toContain('/sign-in')
    expect(toCarer[0]!.text_body).not.toContain('Wren')
    expect(toCarer[0]!.text_body).not.toContain('Lifecycle')
    expect(await emailsTo('wren.former.carer@example.org')).toEqual([])
    expect(await emailsTo('carer@example.org')).toEqual([])
    const pdf = await dt().get(`${base()}/pep.pdf`)
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.headers['content-disposition']).toMatch(/^attachment/)
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.headers['content-disposition']).toContain(
      'filename="PEP HFD-LIFE-1 Autumn term 2026 (2026-27).pdf"',
    )
    // Its cover: the child, the school, the state, the overall rating, who signed it off.
    const [cover, ...rest] = pdfText(pdf.rawPayload).split('\f')
    expect(cover).toContain('Wren Lifecycle')
    expect(cover).toContain('15 October 2012')
    expect(cover).toContain('Autumn term 2026 (2026/27)')
    expect(cover).toMatch(/State\s+Signed off/)
    expect(cover).toMatch(/Overall rating\s+\S/)
    expect(cover).toMatch(/Signed off\s+.* by /)
    expect(rest.join('')).not.toContain('DRAFT')
    // The QA can be read by the social worker now.
    expect((await sw().get(`${base()}/pages/quality-assurance`)).statusCode).toBe(200)
    const next = await t.database.db
      .selectFrom('pep')
      .select(['id', 'term', 'academic_year', 'carried_from_id'])
      .where('child_id', '=', childId)
      .where('id', '!=', pepId)
      .executeTakeFirstOrThrow()
    expect(next).toMatchObject({ term: 'spring', academic_year: 2026, carried_from_id: pepId })
    const carried = await t.database.db
      .selectFrom('pep_page')
      .select('page_id')
      .where('pep_id', '=', next.id)
      .execute()
    expect(carried.map((c) => c.page_id)).toEqual(
      expect.arrayContaining(['personal-information', 'review-of-targets']),
    )
    const nothing = await sw().post(`${base()}/pages/attendance`, { version: '1' })
    expect(nothing.statusCode).toBe(403)
    expect((await act(sw(), 'return-contribution', { comments: 'late' })).statusCode).toBe(409)
  })

  it('refuses every step to those without the right, and hides the child from outsiders', async () => {
    // Fresh sessions: the steps above took the clock past the idle timeout.
    const iro = new TestAgent(t.app)
    await iro.signIn('iro@example.org', DEMO_PASSWORD)
    expect((await act(iro, 'delegate')).statusCode).toBe(404)
    const outsider = new TestAgent(t.app)
    await outsider.signIn('carer@example.org', DEMO_PASSWORD)
    for (const url of [`${base()}/actions/sign-off`, `${base()}/pep.pdf`]) {
      const response = await outsider.get(url)
      expect(response.statusCode).toBe(404)
      expect(response.body).not.toContain('Wren')
    }
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['details'])
      .where('action', '=', 'pep.transition')
      .where('child_id', '=', childId)
      .execute()
    expect(audit.length).toBeGreaterThanOrEqual(10)
  })
})
