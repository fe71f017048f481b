import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import type { TestAgent } from '../../testing/agent.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import { holds } from '../../forms/conditions.ts'
import { sampleAnswers } from '../../forms/sample-answers.ts'
import type { Answers } from '../../forms/types.ts'
import { writePage } from './peps.repository.ts'
import { linkToChild, setAuthoritySettings } from '../../testing/factories.ts'

/*
 * The PEP's rules at their edges, through HTTP on a real database: a meeting is confirmed only
 * once it has happened; the school's due date keeps to the target date; a low-rated PEP is
 * signed off only by a head with a reason; attendance below the line needs a target on it; the
 * next meeting falls after this one and within the longest gap; the start form says which terms
 * already have a PEP. Today is Monday 23 November 2026.
 */

let t: TestContext
let authorityId: string
let schoolId: string
let serial = 0
const ids: Record<string, string> = {}
const agents: Record<string, TestAgent> = {}
const secondary = currentTemplate('secondary')

let world: DemoWorld

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  ;({ authorityId, schoolId } = world)
  Object.assign(ids, world.ids)
  for (const email of [
    'social.worker@example.org',
    'designated.teacher@example.org',
    'vs.consultant@example.org',
    'vs.head@example.org',
  ])
    agents[email] = await world.agent(email)
})
afterAll(() => world.close())

const sw = () => agents['social.worker@example.org']!
const dt = () => agents['designated.teacher@example.org']!
const consultant = () => agents['vs.consultant@example.org']!
const head = () => agents['vs.head@example.org']!

/**
 * Starts the autumn PEP of a new Year 9 child (the social worker and the designated teacher on
 * their list), with its meeting on `meetingOn` ("2026-11-20") if given.
 */
async function newPep(meetingOn?: string): Promise<{ childId: string; pepId: string }> {
  serial += 1
  const childId = await world.newChild({
    firstName: 'Rule',
    lastName: `Edge-${serial}`,
    caseReference: `HFD-RULES-${serial}`,
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
    ],
  })
  return { childId, pepId: await world.startPep(childId, { meetingOn }) }
}

const pepUrl = (p: { childId: string; pepId: string }) => `/children/${p.childId}/peps/${p.pepId}`

async function act(
  agent: TestAgent,
  p: { childId: string; pepId: string },
  transition: string,
  form: Record<string, string> = {},
) {
  t.clock.advance(60_000)
  const page = await agent.get(`${pepUrl(p)}/actions/${transition}`)
  const response = await agent.post(`${pepUrl(p)}/actions/${transition}`, form)
  return { page, response }
}

/** Every page answered, with `changes` by page id over the sample answers. */
async function answerEverything(pepId: string, changes: Record<string, Answers> = {}) {
  const random = (() => {
    let n = 11
    return () => (n = (n * 16807) % 2147483647) / 2147483647
  })()
  for (const section of secondary.sections)
    for (const page of section.pages) {
      if (!holds(page.condition, { yearGroup: 'Y9', answers: {} })) continue
      const answers: Answers = {
        ...sampleAnswers(page, random, randomUUID, '2026-11-20'),
        ...(page.id === 'attendance' ? { 'attendance-percentage': 96 } : {}),
        ...(page.id === 'pep-meeting'
          ? { 'next-meeting-date': '2027-03-04', 'next-meeting-time': '14:30' }
          : {}),
        ...changes[page.id],
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

/** A PEP waiting for quality assurance, its meeting held and confirmed, rated `rating`. */
async function ratedPep(rating: string, confirmed = true) {
  const p = await newPep('2026-11-20')
  await answerEverything(p.pepId, { 'quality-assurance': { 'qa-overall': rating } })
  const db = t.database.db
  await db
    .insertInto('pep_section')
    .values(
      ['A', 'B', 'C', 'D'].map((section_id) => ({
        pep_id: p.pepId,
        section_id,
        completed_at: t.clock.now(),
        completed_by: ids['social.worker@example.org']!,
      })),
    )
    .execute()
  await db
    .updateTable('pep')
    .set({
      status: 'awaiting_qa',
      meeting_confirmed_at: confirmed ? t.clock.now() : null,
      meeting_confirmed_by: confirmed ? ids['social.worker@example.org']! : null,
    })
    .where('id', '=', p.pepId)
    .execute()
  return p
}

async function pepRow(pepId: string) {
  return t.database.db
    .selectFrom('pep')
    .selectAll()
    .where('id', '=', pepId)
    .executeTakeFirstOrThrow()
}

describe('confirming the meeting', () => {
  it('needs a meeting date', async () => {
    const p = await newPep()
    const { page, response } = await act(sw(), p, 'confirm-meeting')
    expect(page.body).toContain('Set the meeting date first')
    expect(response.statusCode).toBe(409)
    expect((await pepRow(p.pepId)).meeting_confirmed_at).toBeNull()
  })

  it('is refused before the meeting day, and taken on it', async () => {
    const tomorrow = await newPep('2026-11-24')
    const early = await act(sw(), tomorrow, 'confirm-meeting')
    expect(early.response.statusCode).toBe(409)
    expect(early.response.body).toContain('The meeting has not happened yet')
    const today = await newPep('2026-11-23')
    expect((await act(dt(), today, 'confirm-meeting')).response.statusCode).toBe(303)
    expect((await pepRow(today.pepId)).meeting_confirmed_by).toBe(
      ids['designated.teacher@example.org'],
    )
  })

  it('must have happened before a PEP is signed off', async () => {
    const p = await ratedPep('good', false)
    const { response } = await act(consultant(), p, 'sign-off')
    expect(response.statusCode).toBe(409)
    expect(response.body).toContain('Confirm that the meeting took place first')
    expect((await pepRow(p.pepId)).status).toBe('awaiting_qa')
  })
})

describe("the school's due date", () => {
  const dueForm = (day: string, month: string, extra: Record<string, string> = {}) => ({
    'dueOn-day': day,
    'dueOn-month': month,
    'dueOn-year': '2026',
    ...extra,
  })

  it('is offered on the target date when the rule falls after it, and a later one needs a reason', async () => {
    // Meeting 20 November: target date 27 November; 14 days after the meeting is 4 December.
    const p = await newPep('2026-11-20')
    const { page } = await act(sw(), p, 'delegate')
    expect(page.body).toMatch(/id="dueOn-day"[^>]*value="27"/)
    expect(page.body).toMatch(/id="dueOn-month"[^>]*value="11"/)
    expect(page.body).toContain('On or before the PEP’s target date, 27 November 2026')
    const late = await sw().post(`${pepUrl(p)}/actions/delegate`, dueForm('28', '11'))
    expect(late.statusCode).toBe(400)
    expect(late.body).toContain(
      'Enter why the school’s part is due after the PEP’s target date, 27 November 2026',
    )
    expect(late.body).toMatch(/id="dueOn-day"[^>]*value="28"/)
    const reason = 'The school’s data manager is away until 27 November 📅'
    const withReason = await sw().post(
      `${pepUrl(p)}/actions/delegate`,
      dueForm('28', '11', { comments: reason }),
    )
    expect(withReason.statusCode).toBe(303)
    const event = await t.database.db
      .selectFrom('pep_event')
      .select(['kind', 'comments'])
      .where('pep_id', '=', p.pepId)
      .where('kind', '=', 'delegated')
      .executeTakeFirstOrThrow()
    expect(event.comments).toBe(reason)
  })

  it('on the target date itself needs no reason', async () => {
    const p = await newPep('2026-11-20')
    const { response } = await act(sw(), p, 'delegate', dueForm('27', '11'))
    expect(response.statusCode).toBe(303)
  })

  it('is today when the meeting was weeks ago, and the form takes what it offers', async () => {
    // Meeting 2 November: target 9 November and the rule's 16 November have both passed.
    const p = await newPep('2026-11-02')
    const { page } = await act(sw(), p, 'delegate')
    expect(page.body).toMatch(/id="dueOn-day"[^>]*value="23"/)
    expect(page.body).toMatch(/id="dueOn-month"[^>]*value="11"/)
    expect(page.body).toContain('The PEP’s target date, 9 November 2026, has passed')
    const offered = await sw().post(`${pepUrl(p)}/actions/delegate`, dueForm('23', '11'))
    expect(offered.statusCode).toBe(303)
  })
})

describe('signing off a PEP rated low', () => {
  it('refuses the consultant for an Inadequate PEP, and takes a head’s sign-off with a reason', async () => {
    const p = await ratedPep('inadequate')
    const refused = await act(consultant(), p, 'sign-off')
    expect(refused.page.body).toContain(
      'This PEP is rated Inadequate: return it for improvement, or ask a Virtual School head to sign it off with a reason',
    )
    expect(refused.response.statusCode).toBe(409)
    // The consultant can still return it for improvement.
    const returnPage = await consultant().get(`${pepUrl(p)}/actions/qa-return`)
    expect(returnPage.statusCode).toBe(200)

    const noReason = await act(head(), p, 'sign-off')
    expect(noReason.page.body).toContain('Why are you signing off this PEP despite its rating?')
    expect(noReason.response.statusCode).toBe(400)
    expect(noReason.response.body).toContain('Enter why you are signing off this PEP')
    expect((await pepRow(p.pepId)).status).toBe('awaiting_qa')

    const reason = 'The school has agreed the missing targets in writing; they follow next term.'
    const signed = await head().post(`${pepUrl(p)}/actions/sign-off`, { comments: reason })
    expect(signed.statusCode).toBe(303)
    expect((await pepRow(p.pepId)).status).toBe('signed_off')
    const event = await t.database.db
      .selectFrom('pep_event')
      .select('comments')
      .where('pep_id', '=', p.pepId)
      .where('kind', '=', 'signed-off')
      .executeTakeFirstOrThrow()
    expect(event.comments).toBe(reason)
    // The next meeting agreed at this one is the next PEP's proposed meeting.
    const next = await t.database.db
      .selectFrom('pep')
      .select(['meeting_on', 'meeting_time', 'term', 'target_on'])
      .where('child_id', '=', p.childId)
      .where('id', '!=', p.pepId)
      .executeTakeFirstOrThrow()
    expect(next).toMatchObject({
      meeting_on: '2027-03-04',
      term: 'spring',
      target_on: '2027-03-11',
    })
    expect(next.meeting_time).toMatch(/^14:30/)
    // The social worker is asked to set it up, until the school's part is delegated.
    const nextPep = await t.database.db
      .selectFrom('pep')
      .select('id')
      .where('child_id', '=', p.childId)
      .where('id', '!=', p.pepId)
      .executeTakeFirstOrThrow()
    const setUp = () =>
      t.database.db
        .selectFrom('task')
        .select(['assigned_to', 'status', 'title'])
        .where('pep_id', '=', nextPep.id)
        .where('kind', '=', 'set-up-next-pep')
        .execute()
    expect(await setUp()).toEqual([
      {
        assigned_to: ids['social.worker@example.org'],
        status: 'open',
        title: 'Set up next term’s PEP: its meeting, invitations and the school’s part',
      },
    ])
    expect((await sw().get('/tray')).body).toContain('Set up next term’s PEP')
    const delegated = await act(sw(), { childId: p.childId, pepId: nextPep.id }, 'delegate', {
      'dueOn-day': '11',
      'dueOn-month': '3',
      'dueOn-year': '2027',
    })
    expect(delegated.response.statusCode).toBe(303)
    expect((await setUp()).map((task) => task.status)).toEqual(['done'])
  })

  it('lets the consultant sign off Requires improvement, unless the authority draws the line there', async () => {
    const signable = await ratedPep('requires_improvement')
    expect((await act(consultant(), signable, 'sign-off')).response.statusCode).toBe(303)
    await setAuthoritySettings(
      t.database.db,
      authorityId,
      { headSignsOffFrom: 'requires_improvement' },
      t.clock.now(),
    )
    try {
      const p = await ratedPep('requires_improvement')
      const { response } = await act(consultant(), p, 'sign-off')
      expect(response.statusCode).toBe(409)
      expect(response.body).toContain('This PEP is rated Requires improvement')
      const good = await ratedPep('good')
      expect((await act(consultant(), good, 'sign-off')).response.statusCode).toBe(303)
    } finally {
      await setAuthoritySettings(
        t.database.db,
        authorityId,
        { headSignsOffFrom: 'inadequate' },
        t.clock.now(),
      )
    }
  })
})

describe('attendance below the line', () => {
  async function delegatedWithAttendance(percentage: number, targetArea: string) {
    const p = await newPep('2026-11-20')
    await answerEverything(p.pepId, {
      attendance: { 'attendance-percentage': percentage },
    })
    const db = t.database.db
    const targets = await db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', p.pepId)
      .where('page_id', '=', 'smart-targets')
      .executeTakeFirstOrThrow()
    const answers = targets.answers as Answers
    const items = (answers['targets'] as readonly Record<string, unknown>[]).map((item) => ({
      ...item,
      area: targetArea,
    }))
    await db
      .updateTable('pep_page')
      .set({ answers: JSON.stringify({ ...answers, targets: items }) })
      .where('pep_id', '=', p.pepId)
      .where('page_id', '=', 'smart-targets')
      .execute()
    expect(
      (
        await act(sw(), p, 'delegate', {
          'dueOn-day': '27',
          'dueOn-month': '11',
          'dueOn-year': '2026',
        })
      ).response.statusCode,
    ).toBe(303)
    return p
  }

  async function completeB(p: { childId: string; pepId: string }) {
    await dt().get(pepUrl(p))
    return dt().post(`${pepUrl(p)}/sections/B/complete`, {})
  }

  it('stops Section B completing without a target on attendance', async () => {
    const p = await delegatedWithAttendance(89, 'english')
    const refused = await completeB(p)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Attendance is 89%, below 90%: add a target on attendance')
  })

  it('completes with a target on attendance, or at the line itself', async () => {
    expect((await completeB(await delegatedWithAttendance(84, 'attendance'))).statusCode).toBe(303)
    expect((await completeB(await delegatedWithAttendance(90, 'english'))).statusCode).toBe(303)
  })

  it('follows the authority’s line', async () => {
    await setAuthoritySettings(
      t.database.db,
      authorityId,
      { attendanceTargetBelowPercent: 80 },
      t.clock.now(),
    )
    try {
      expect((await completeB(await delegatedWithAttendance(84, 'english'))).statusCode).toBe(303)
      expect((await completeB(await delegatedWithAttendance(79, 'english'))).statusCode).toBe(400)
    } finally {
      await setAuthoritySettings(
        t.database.db,
        authorityId,
        { attendanceTargetBelowPercent: 90 },
        t.clock.now(),
      )
    }
  })
})

describe('what the PEP still needs', () => {
  it('shows each step not ready yet with what is missing, linked to where it is done', async () => {
    const p = await newPep('2026-11-20')
    const contents = (await sw().get(pepUrl(p))).body
    expect(contents).toContain('Check and submit the PEP to the Virtual School: not ready yet')
    expect(contents).toContain(`href="${pepUrl(p)}#section-A">Section A marked complete</a>`)
    expect(contents).toContain(
      `href="${pepUrl(p)}/pages/pep-meeting">The next meeting’s date and time</a>`,
    )
    expect(contents).toContain(
      `href="${pepUrl(p)}/actions/confirm-meeting">The meeting confirmed as held</a>`,
    )
    // The designated teacher has no step waiting until the school's part is delegated to them.
    expect((await dt().get(pepUrl(p))).body).not.toContain('not ready yet')
  })

  it('asks before marking a section complete, saying what it locks', async () => {
    const p = await newPep('2026-11-20')
    const confirm = await sw().get(`${pepUrl(p)}/sections/A/complete`)
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('Mark Section A as complete?')
    expect(confirm.body).toContain(
      'Its pages are locked: nobody can change them unless the Virtual School returns Section A for improvement.',
    )
    expect(confirm.body).toContain(`action="${pepUrl(p)}/sections/A/complete"`)
    const contents = (await sw().get(pepUrl(p))).body
    expect(contents).toMatch(
      new RegExp(`<a href="${pepUrl(p)}/sections/A/complete"[^>]*role="button"`),
    )
    // Nothing is marked complete by opening the question.
    const sections = await t.database.db
      .selectFrom('pep_section')
      .select('section_id')
      .where('pep_id', '=', p.pepId)
      .execute()
    expect(sections).toEqual([])
  })
})

describe('submitting to the Virtual School', () => {
  it('takes a comment, kept in the PEP’s history', async () => {
    const p = await newPep('2026-11-20')
    await answerEverything(p.pepId)
    await t.database.db
      .insertInto('pep_section')
      .values(
        ['A', 'B', 'C'].map((section_id) => ({
          pep_id: p.pepId,
          section_id,
          completed_at: t.clock.now(),
          completed_by: ids['social.worker@example.org']!,
        })),
      )
      .execute()
    expect((await act(sw(), p, 'confirm-meeting')).response.statusCode).toBe(303)
    const comment = 'Ffion’s new school starts in January: see the transition plan 🙂'
    const { page, response } = await act(sw(), p, 'submit-to-vs', { comments: comment })
    expect(page.body).toContain('Comments for the Virtual School (optional)')
    expect(response.statusCode).toBe(303)
    const event = await t.database.db
      .selectFrom('pep_event')
      .select('comments')
      .where('pep_id', '=', p.pepId)
      .where('kind', '=', 'submitted-to-vs')
      .executeTakeFirstOrThrow()
    expect(event.comments).toBe(comment)
    expect((await consultant().get(pepUrl(p))).body).toContain(
      'Ffion’s new school starts in January',
    )
    // The consultant's home shows the group tray's work, not only their own tasks.
    const home = (await consultant().get('/')).body
    expect(home).toMatch(
      /Virtual School consultants’ tray<\/a>: [1-9]\d* tasks? waiting to be picked up/,
    )
  })
})

describe('the next meeting date', () => {
  async function saveNextMeeting(p: { childId: string; pepId: string }, date: string) {
    const url = `${pepUrl(p)}/pages/pep-meeting`
    await sw().get(url)
    const [year, month, day] = date.split('-')
    return sw().post(url, {
      version: '0',
      'child-attended': 'yes',
      'meeting-narrative': 'We reviewed the targets.',
      'views-shaped-plan': 'Her views set the reading target.',
      'next-meeting-date-day': day!,
      'next-meeting-date-month': month!,
      'next-meeting-date-year': year!,
      'next-meeting-time': '14:30',
    })
  }

  it('must fall after this meeting and within six months of it', async () => {
    const p = await newPep('2026-11-20')
    for (const [date, message] of [
      ['2020-03-01', 'The date of the next meeting must be after this meeting, 20 November 2026'],
      ['2026-11-20', 'The date of the next meeting must be after this meeting, 20 November 2026'],
      [
        '2027-05-21',
        'The date of the next meeting must be on or before 20 May 2027: reviews are never more than 6 months apart',
      ],
      ['2030-01-01', 'The date of the next meeting must be on or before 20 May 2027'],
    ] as const) {
      const refused = await saveNextMeeting(p, date)
      expect(refused.statusCode, date).toBe(400)
      expect(refused.body).toContain(message)
      // What was typed stays on the page.
      expect(refused.body).toContain('We reviewed the targets.')
    }
    expect((await saveNextMeeting(p, '2027-05-20')).statusCode).toBe(303)
  })
})

/**
 * A second member of the child's school on its list: the demo's designated person, moved to
 * the child's school (so their place holds, ADR 8) and added to the child's list.
 */
async function colleagueOnList(childId: string) {
  const db = t.database.db
  const colleague = await db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('email', '=', 'designated.person@example.org')
    .executeTakeFirstOrThrow()
  await db
    .updateTable('membership')
    .set({ school_id: schoolId })
    .where('user_id', '=', colleague.id)
    .where('role', '=', 'designated_person')
    .execute()
  await linkToChild(db, { childId, userId: colleague.id, capacity: 'designated_person' })
  return colleague
}

describe('delegating to someone at the school', () => {
  it('offers everyone at the school on the child’s list, and the one chosen gets the task', async () => {
    const p = await newPep('2026-11-20')
    const db = t.database.db
    const colleague = await colleagueOnList(p.childId)
    const { page, response } = await act(sw(), p, 'delegate', {
      'dueOn-day': '27',
      'dueOn-month': '11',
      'dueOn-year': '2026',
    })
    expect(page.body).toContain('Who at the school completes the pages?')
    expect(page.body).toContain('Robin Teacher')
    expect(page.body).toContain(colleague.display_name)
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Select who at the school completes the pages')
    // Someone not at the school is refused like no choice at all.
    const outsider = await sw().post(`${pepUrl(p)}/actions/delegate`, {
      'dueOn-day': '27',
      'dueOn-month': '11',
      'dueOn-year': '2026',
      delegateTo: ids['carer@example.org']!,
    })
    expect(outsider.statusCode).toBe(400)
    const chosen = await sw().post(`${pepUrl(p)}/actions/delegate`, {
      'dueOn-day': '27',
      'dueOn-month': '11',
      'dueOn-year': '2026',
      delegateTo: colleague.id,
    })
    expect(chosen.statusCode).toBe(303)
    const task = await db
      .selectFrom('task')
      .select('assigned_to')
      .where('pep_id', '=', p.pepId)
      .where('kind', '=', 'complete-school-sections')
      .executeTakeFirstOrThrow()
    expect(task.assigned_to).toBe(colleague.id)
    expect((await sw().get(pepUrl(p))).body).toContain(
      `The school’s sections are delegated to ${colleague.display_name}`,
    )
  })
})

describe('passing the school’s sections on', () => {
  it('lets the teacher pass them to a colleague at the school, who gets the task', async () => {
    const p = await newPep('2026-11-20')
    const alone = await newPep('2026-11-20')
    const db = t.database.db
    const due = { 'dueOn-day': '27', 'dueOn-month': '11', 'dueOn-year': '2026' }
    const teacher = ids['designated.teacher@example.org']!
    // The colleague works at another school for now (an earlier test moved them here).
    const elsewhere = await db
      .selectFrom('school')
      .select('id')
      .where('id', '!=', schoolId)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('membership')
      .set({ school_id: elsewhere.id })
      .where('user_id', '=', ids['designated.person@example.org']!)
      .where('role', '=', 'designated_person')
      .execute()
    expect((await act(sw(), alone, 'delegate', due)).response.statusCode).toBe(303)
    // With no one else on the staff of the school, there is no one to pass them to.
    const nobody = await act(dt(), alone, 'pass-on')
    expect(nobody.page.statusCode).toBe(409)
    expect(nobody.page.body).toContain(
      'There is no one else on the staff of your school in OpenPEP',
    )

    const colleague = await colleagueOnList(p.childId)
    expect(
      (await act(sw(), p, 'delegate', { ...due, delegateTo: teacher })).response.statusCode,
    ).toBe(303)

    const { page, response } = await act(dt(), p, 'pass-on', {
      comments: 'Over to you for the SEN page 🙏',
    })
    // One colleague: named, not chosen.
    expect(page.body).toContain(`The pages go to ${colleague.display_name}`)
    expect(response.statusCode).toBe(303)
    const tasks = await db
      .selectFrom('task')
      .select(['assigned_to', 'status'])
      .where('pep_id', '=', p.pepId)
      .where('kind', '=', 'complete-school-sections')
      .orderBy('created_at')
      .execute()
    // The teacher keeps the school's part (and its task: they send the contribution); the
    // colleague has every page, and a task of their own.
    expect(tasks).toEqual([
      { assigned_to: teacher, status: 'open' },
      { assigned_to: colleague.id, status: 'open' },
    ])
    const contents = (await sw().get(pepUrl(p))).body
    expect(contents).toContain(
      'The school’s sections are delegated to Robin Teacher, due 27 November 2026',
    )
    expect(contents).toMatch(
      new RegExp(`Robin Teacher passed \\d+ pages on to ${colleague.display_name}`),
    )
    // Every page is with the colleague: nothing is left to pass on.
    expect((await act(dt(), p, 'pass-on')).response.statusCode).toBe(409)
  })
})

describe('a page only the Virtual School can answer', () => {
  it('asks the Virtual School the moment it blocks the social worker, once, and closes when saved', async () => {
    const p = await newPep('2026-11-20')
    const completeA = async () => {
      await sw().get(pepUrl(p))
      return sw().post(`${pepUrl(p)}/sections/A/complete`, {})
    }
    const blocked = await completeA()
    expect(blocked.statusCode).toBe(400)
    expect(blocked.body).toContain(
      'Only the Virtual School can answer ‘Education information’. It has been asked to',
    )
    await completeA()
    const tasks = () =>
      t.database.db
        .selectFrom('task')
        .select(['group_role', 'status', 'title'])
        .where('pep_id', '=', p.pepId)
        .where('kind', '=', 'virtual-school-page')
        .execute()
    expect(await tasks()).toEqual([
      {
        group_role: 'vs_consultant',
        status: 'open',
        title: 'Complete ‘Education information’: it stops a section of the PEP being completed',
      },
    ])
    expect((await consultant().get('/tray/group/vs-consultants')).body).toContain(
      'Complete ‘Education information’',
    )
    const url = `${pepUrl(p)}/pages/education-information`
    // What the record knows is filled in for the consultant to check: the school is an academy.
    const opened = (await consultant().get(url)).body
    expect(opened).toContain("Some answers are filled in from the child's record")
    expect(opened).toMatch(/value="academy"[^>]*checked/)
    const saved = await consultant().post(url, {
      version: '0',
      action: 'later',
      'setting-type': 'academy',
      'setting-start-date-day': '1',
      'setting-start-date-month': '9',
      'setting-start-date-year': '2024',
      'out-of-area': 'no',
    })
    expect(saved.statusCode).toBe(303)
    expect((await tasks()).map((task) => task.status)).toEqual(['done'])
  })
})

describe('a repeating group', () => {
  it('labels its first item as the first, and adds another without JavaScript', async () => {
    const p = await newPep('2026-11-20')
    const url = `${pepUrl(p)}/pages/smart-targets`
    const empty = (await sw().get(url)).body
    expect(empty).toContain('Targets (required)')
    expect(empty).toMatch(/<legend[^>]*>\s*Target 1<\/legend>/)
    expect(empty).not.toContain('(optional)</legend>')
    expect(empty).toContain('value="add-another:targets"')
    const added = await sw().post(url, {
      version: '0',
      action: 'add-another:targets',
      'targets--0--area': 'attendance',
      'targets--0--target': 'Attend every morning registration',
    })
    expect(added.statusCode).toBe(303)
    expect(added.headers.location).toBe(`${url}#targets`)
    const again = (await sw().get(url)).body
    expect(again).toContain('Attend every morning registration')
    expect(again).toMatch(/<legend[^>]*>\s*Add another target \(optional\)<\/legend>/)
    // A made-up group is no group: the save goes on as "Save and continue".
    const odd = await sw().post(url, { version: '1', action: 'add-another:nothing' })
    expect(odd.statusCode).toBe(303)
    expect(odd.headers.location).not.toContain('#')
  })
})

describe('the start form', () => {
  it('says which term already has a PEP, and takes it only for an extra review', async () => {
    const p = await newPep('2026-11-20')
    const url = `/children/${p.childId}/peps/start`
    const form = await sw().get(url)
    expect(form.body).toContain(
      'Already has a PEP: only for an extra review after a change of school',
    )
    expect(form.body).not.toContain('This term and next term already have a PEP')
    const taken = await sw().post(url, { term: '2026-autumn' })
    expect(taken.statusCode).toBe(400)
    expect(taken.body).toContain(
      'There is already a PEP for the Autumn term 2026. Open it from the list of PEPs, or say this is an extra review after a change of school',
    )
    const extra = await sw().post(url, { term: '2026-autumn', changeOfSchool: 'yes' })
    expect(extra.statusCode).toBe(303)
    expect((await sw().post(url, { term: '2027-spring' })).statusCode).toBe(303)
    const full = await sw().get(url)
    expect(full.body).toContain('This term and next term already have a PEP')
  })
})
