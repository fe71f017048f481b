import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { makeChild, makeClosureDay, setAuthoritySettings } from '../../testing/factories.ts'

/*
 * Starting a PEP with its meeting, through HTTP on a real database: date and time, place,
 * reasons, invitees, contact, the target date and the initial PEP flag. Today is Monday
 * 23 November 2026 (autumn term); the spring term is offered too.
 */

let t: TestContext
let sw: TestAgent
let authorityId: string
let schoolId: string
let userId: (email: string) => string
let serial = 0

/** As the page shows it: Nunjucks escapes apostrophes and quotes. */
const html = (text: string) => text.replace(/'/g, '&#39;').replace(/"/g, '&quot;')

beforeAll(async () => {
  t = await createTestApp({ demo: true, seed: 'demo' })
  const db = t.database.db
  authorityId = (
    await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
  ).id
  schoolId = (
    await db.selectFrom('school').select('id').where('urn', '=', '990002').executeTakeFirstOrThrow()
  ).id
  const users = await db.selectFrom('app_user').select(['id', 'email']).execute()
  userId = (email: string) => users.find((u) => u.email === email)!.id
  sw = new TestAgent(t.app)
  await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

/**
 * A Year 9 child (born October 2012) with the social worker and the designated teacher on their
 * access list, and the carer once on it but since removed.
 */
async function newChild(enteredCareOn = '2020-01-01'): Promise<string> {
  return makeChild(t.database.db, {
    authorityId,
    schoolId,
    firstName: 'Start',
    lastName: 'Test-Meeting',
    dateOfBirth: '2012-10-15',
    caseReference: `HFD-START-${++serial}`,
    enteredCareOn,
    access: [
      { userId: userId('social.worker@example.org'), capacity: 'social_worker' },
      { userId: userId('designated.teacher@example.org'), capacity: 'designated_teacher' },
      {
        userId: userId('carer@example.org'),
        capacity: 'carer',
        removedAt: new Date('2026-11-01T00:00:00Z'),
      },
    ],
  })
}

const startUrl = (childId: string) => `/children/${childId}/peps/start`

async function start(childId: string, form: Record<string, string | string[]>) {
  await sw.get(startUrl(childId))
  return sw.post(startUrl(childId), form)
}

/** Two PEPs started at the clock's one instant come by term ('autumn' < 'spring' < 'summer'). */
async function pepsOf(childId: string) {
  return t.database.db
    .selectFrom('pep')
    .selectAll()
    .where('child_id', '=', childId)
    .orderBy('created_at')
    .orderBy('academic_year')
    .orderBy('term')
    .execute()
}

/** A start with every field filled in, right. */
function fullForm(): Record<string, string | string[]> {
  return {
    term: '2026-autumn',
    'meetingOn-day': '2',
    'meetingOn-month': '12',
    'meetingOn-year': '2026',
    meetingTime: '2:30pm',
    meetingLocation: 'Kingsmead Academy, room 4',
    meetingReasons: ['review', 'other'],
    meetingOtherReason: 'Exclusion risk',
    invitees: [userId('designated.teacher@example.org'), userId('social.worker@example.org')],
    inviteeEmails: 'head@kingsmead.example.org\r\n\r\nFoster.Agency@example.com\r\n',
    contactName: 'Jordan Social',
    contactPhone: '+44 (0)1632 960 001',
  }
}

describe('the start form', () => {
  it('offers the people on the child’s access list now, with their roles', async () => {
    const childId = await newChild()
    const page = await sw.get(startUrl(childId))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Jordan Social')
    expect(page.body).toContain('Social worker')
    expect(page.body).toContain('Robin Teacher')
    expect(page.body).toContain('Designated teacher')
    expect(page.body).not.toContain('Taylor Carer')
    for (const reason of [
      'New admission to care',
      'Review',
      'Change of care placement',
      'Change of school placement',
      'Other',
    ])
      expect(page.body).toContain(reason)
  })
})

describe('starting a PEP with its meeting', () => {
  it('stores every field and the invitees, and shows the meeting and target date', async () => {
    const childId = await newChild()
    const response = await start(childId, fullForm())
    expect(response.statusCode).toBe(303)
    const [pep] = await pepsOf(childId)
    expect(pep).toMatchObject({
      academic_year: 2026,
      term: 'autumn',
      meeting_on: '2026-12-02',
      meeting_time: '14:30',
      meeting_location: 'Kingsmead Academy, room 4',
      meeting_reasons: ['review', 'other'],
      meeting_other_reason: 'Exclusion risk',
      contact_name: 'Jordan Social',
      contact_phone: '+44 (0)1632 960 001',
      target_on: '2026-12-09',
      is_initial: false,
    })
    const invitees = await t.database.db
      .selectFrom('pep_invitee')
      .select(['user_id', 'email'])
      .where('pep_id', '=', pep!.id)
      .execute()
    expect(invitees).toHaveLength(4)
    expect(invitees).toEqual(
      expect.arrayContaining([
        { user_id: userId('designated.teacher@example.org'), email: null },
        { user_id: userId('social.worker@example.org'), email: null },
        { user_id: null, email: 'head@kingsmead.example.org' },
        { user_id: null, email: 'Foster.Agency@example.com' },
      ]),
    )
    const contents = await sw.get(`/children/${childId}/peps/${pep!.id}`)
    expect(contents.body).toContain('2 December 2026 at 14:30')
    expect(contents.body).toContain('Target date')
    expect(contents.body).toContain('Kingsmead Academy, room 4')
    expect(contents.body).toContain('Review; Exclusion risk')
    expect(contents.body).toContain('Jordan Social, +44 (0)1632 960 001')
    expect(contents.body).toContain('9 December 2026')
    expect(contents.body).not.toContain('Initial PEP')
    // The authority's default timescales: 10 days before the meeting, and the term's window.
    expect(contents.body).toMatch(
      /Social worker’s part due by\s*<\/dt>\s*<dd[^>]*>\s*22 November 2026/,
    )
    expect(contents.body).toMatch(
      /Virtual School’s deadline this term\s*<\/dt>\s*<dd[^>]*>\s*7 December 2026/,
    )
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'pep.start')
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ targetOn: '2026-12-09', isInitial: false, invitees: 4 })
  })

  it('still starts with the term alone, with no meeting, reasons or invitees', async () => {
    const childId = await newChild()
    expect((await start(childId, { term: '2026-autumn' })).statusCode).toBe(303)
    const [pep] = await pepsOf(childId)
    expect(pep).toMatchObject({
      meeting_on: null,
      meeting_time: null,
      meeting_location: null,
      meeting_reasons: [],
      meeting_other_reason: null,
      contact_name: null,
      contact_phone: null,
      target_on: null,
    })
  })

  it('sets the target date 7 days after the meeting, across the new year', async () => {
    const childId = await newChild()
    const response = await start(childId, {
      term: '2026-autumn',
      'meetingOn-day': '28',
      'meetingOn-month': '12',
      'meetingOn-year': '2026',
      meetingTime: '09:15',
    })
    expect(response.statusCode).toBe(303)
    const [pep] = await pepsOf(childId)
    expect(pep).toMatchObject({ meeting_on: '2026-12-28', target_on: '2027-01-04' })
    const contents = await sw.get(`/children/${childId}/peps/${pep!.id}`)
    expect(contents.body).toContain('4 January 2027')
  })
})

describe('the meeting’s invitations', () => {
  async function outboxFor(addresses: string[]) {
    return t.database.db
      .selectFrom('outbox_email')
      .select(['id', 'to_address', 'subject', 'text_body', 'html_body', 'attachments'])
      .where('to_address', 'in', addresses)
      .orderBy('created_at')
      .execute()
  }

  it('emails each invitee once with a calendar file, and updates the same event when it moves', async () => {
    const childId = await newChild()
    const outsider = `head-${serial}@kingsmead.example.org`
    const response = await start(childId, { ...fullForm(), inviteeEmails: outsider })
    expect(response.statusCode).toBe(303)
    const [pep] = await pepsOf(childId)
    const uid = `UID:pep-meeting-${pep!.id}@openpep`
    const invited = (await outboxFor([outsider, 'designated.teacher@example.org'])).filter((e) =>
      e.attachments.some((a) => a.content.includes(uid)),
    )
    expect(invited.map((e) => e.to_address).sort()).toEqual([
      'designated.teacher@example.org',
      outsider,
    ])
    for (const email of invited) {
      expect(email.subject).toBe('You are invited to a Personal Education Plan meeting')
      expect(email.text_body).toContain('2 December 2026 at 2:30pm')
      expect(email.text_body).toContain('Where: Kingsmead Academy, room 4.')
      // Never the child's name, in the email or its calendar file.
      expect(email.text_body + email.html_body + email.attachments[0]!.content).not.toMatch(
        /Start|Test-Meeting/,
      )
      const [calendar] = email.attachments
      expect(calendar).toMatchObject({ filename: 'pep-meeting.ics' })
      expect(calendar!.contentType).toContain('text/calendar')
      expect(calendar!.content).toContain('METHOD:REQUEST')
      // 2:30pm in December is 14:30 UTC.
      expect(calendar!.content).toContain('DTSTART:20261202T143000Z')
      expect(calendar!.content).toContain('DTEND:20261202T153000Z')
      expect(calendar!.content).toContain('SEQUENCE:0')
    }
    const teacher = invited.find((e) => e.to_address !== outsider)!
    expect(teacher.text_body).toContain('Dear Robin Teacher,')
    expect(teacher.text_body).toContain('http://localhost:3000/')
    // Someone outside OpenPEP is not sent a sign-in link they cannot use.
    const outside = invited.find((e) => e.to_address === outsider)!
    expect(outside.text_body).toContain('Hello,')
    expect(outside.text_body).not.toContain('http')
    // The development mailbox shows the calendar file. (Set-up changed with issue 13: each person
    // sees only their own email there; in the demo an administrator sees everyone's.)
    const admin = new TestAgent(t.app)
    await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const mailbox = await admin.get(`/dev/mailbox/${outside.id}`)
    expect(mailbox.body).toContain('pep-meeting.ics')
    expect(mailbox.body).toContain('BEGIN:VCALENDAR')

    const action = `/children/${childId}/peps/${pep!.id}/actions/reschedule-meeting`
    await sw.get(action)
    const moved = await sw.post(action, {
      'meetingOn-day': '4',
      'meetingOn-month': '12',
      'meetingOn-year': '2026',
      meetingTime: '10am',
    })
    expect(moved.statusCode).toBe(303)
    const updates = (await outboxFor([outsider])).filter((e) => e.subject.includes('has moved'))
    expect(updates).toHaveLength(1)
    expect(updates[0]!.text_body).toContain('It is now on 4 December 2026 at 10:00am.')
    expect(updates[0]!.attachments[0]!.content).toContain(uid)
    expect(updates[0]!.attachments[0]!.content).toContain('SEQUENCE:1')
    expect(updates[0]!.attachments[0]!.content).toContain('DTSTART:20261204T100000Z')
  })

  it('sends nothing when the PEP starts without a meeting time', async () => {
    const childId = await newChild()
    expect((await start(childId, { term: '2026-autumn' })).statusCode).toBe(303)
    const [pep] = await pepsOf(childId)
    const calendars = await t.database.db
      .selectFrom('outbox_email')
      .select('id')
      .where(sql<boolean>`attachments::text like ${'%' + pep!.id + '%'}`)
      .execute()
    expect(calendars).toEqual([])
  })
})

describe('a refused start', () => {
  const long = 'x'.repeat(201)
  type Change = Record<string, string | string[]>
  // The changes are made when each test runs: the users' ids are known only then.
  const cases: [string, () => Change, string][] = [
    [
      'a time that is not a time',
      () => ({ meetingTime: '25:00' }),
      'The time of the meeting must be a time of day, like 14:30 or 2:30pm',
    ],
    ['a date with no time', () => ({ meetingTime: '' }), 'Enter the time of the meeting'],
    [
      'a time with no date',
      () => ({
        'meetingOn-day': '',
        'meetingOn-month': '',
        'meetingOn-year': '',
        invitees: [],
        inviteeEmails: '',
      }),
      'Enter the date of the meeting, or leave its time blank',
    ],
    [
      'a long location',
      () => ({ meetingLocation: long }),
      'Location must be 200 characters or fewer',
    ],
    [
      '"other" with no reason',
      () => ({ meetingOtherReason: '' }),
      'Enter the other reason for the meeting',
    ],
    [
      'a long other reason',
      () => ({ meetingOtherReason: long }),
      'The other reason must be 200 characters or fewer',
    ],
    [
      'a bad email address',
      () => ({ inviteeEmails: 'head@kingsmead.example.org\nnot-an-email\n' }),
      'not-an-email is not an email address in the correct format',
    ],
    [
      'more than 20 email addresses',
      () => ({
        inviteeEmails: Array.from({ length: 21 }, (_, i) => `person${i}@example.org`).join('\n'),
      }),
      'Enter no more than 20 email addresses (you entered 21)',
    ],
    [
      'someone not on the access list',
      () => ({ invitees: [userId('carer@example.org')] }),
      'Select people on the child’s access list: someone chosen is no longer on it',
    ],
    [
      'a long contact name',
      () => ({ contactName: long }),
      'Contact name must be 200 characters or fewer',
    ],
    [
      'too few digits',
      () => ({ contactPhone: '12 34 56' }),
      'Enter a telephone number, like 01632 960 001',
    ],
    [
      'letters in the phone number',
      () => ({ contactPhone: '01632 CALL ME' }),
      'Enter a telephone number',
    ],
    ['too many digits', () => ({ contactPhone: '0'.repeat(21) }), 'Enter a telephone number'],
    [
      'a meeting date outside the term',
      () => ({ 'meetingOn-day': '5', 'meetingOn-month': '1', 'meetingOn-year': '2027' }),
      'The meeting date must be in the Autumn term 2026',
    ],
  ]

  it.each(cases)('%s: says what is wrong and keeps the rest', async (_, change, message) => {
    const childId = await newChild()
    const form = { ...fullForm(), ...change() }
    const response = await start(childId, form)
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is a problem')
    expect(response.body).toContain(html(message))
    expect(await pepsOf(childId)).toEqual([])
    // What was typed is all still there.
    const shown = (field: string) => (typeof form[field] === 'string' ? form[field] : '')
    for (const field of ['meetingLocation', 'meetingOtherReason', 'contactName', 'contactPhone'])
      if (shown(field).length <= 200)
        expect(response.body).toContain(`value="${html(shown(field))}"`)
    if (shown('meetingTime')) expect(response.body).toContain(`value="${shown('meetingTime')}"`)
    expect(response.body).toContain(`value="${form['meetingOn-year']}"`)
    expect(response.body).toMatch(/value="2026-autumn" checked/)
    expect(response.body).toMatch(/value="review" checked/)
    for (const email of shown('inviteeEmails').split('\n').filter(Boolean))
      expect(response.body).toContain(email.trim())
    if (form['invitees']?.includes(userId('designated.teacher@example.org')))
      expect(response.body).toMatch(
        new RegExp(`value="${userId('designated.teacher@example.org')}" checked`),
      )
  })

  it('refuses invitees without the meeting’s date and time: no invitations without them', async () => {
    const childId = await newChild()
    const message = html(
      'Enter the date and time of the meeting before inviting anyone: no invitations are sent without them',
    )
    const people = await start(childId, {
      term: '2026-autumn',
      invitees: [userId('designated.teacher@example.org')],
    })
    expect(people.statusCode).toBe(400)
    expect(people.body).toContain(message)
    expect(people.body).toContain('href="#invitees"')
    const emails = await start(childId, {
      term: '2026-autumn',
      'meetingOn-day': '2',
      'meetingOn-month': '12',
      'meetingOn-year': '2026',
      meetingTime: '',
      inviteeEmails: 'head@kingsmead.example.org',
    })
    expect(emails.statusCode).toBe(400)
    expect(emails.body).toContain('Enter the time of the meeting')
    expect(emails.body).toContain(message)
    expect(emails.body).toContain('href="#inviteeEmails"')
    expect(emails.body).toContain('head@kingsmead.example.org')
    expect(await pepsOf(childId)).toEqual([])
  })
})

describe('the initial PEP', () => {
  it('is flagged for a first PEP within 20 working days of entering care, and shown', async () => {
    // Monday 2 November 2026: 15 working days before today.
    const childId = await newChild('2026-11-02')
    expect((await start(childId, { term: '2026-autumn' })).statusCode).toBe(303)
    const [first] = await pepsOf(childId)
    expect(first!.is_initial).toBe(true)
    const contents = await sw.get(`/children/${childId}/peps/${first!.id}`)
    expect(contents.body).toContain('Initial PEP')
    // The next one is not: the child has had a PEP.
    expect((await start(childId, { term: '2027-spring' })).statusCode).toBe(303)
    const [, second] = await pepsOf(childId)
    expect(second!.is_initial).toBe(false)
  })

  it('is not flagged once more than 20 working days have passed', async () => {
    // Monday 26 October is exactly 20 working days before today; Friday 23 October, 21.
    const onTime = await newChild('2026-10-26')
    const late = await newChild('2026-10-23')
    expect((await start(onTime, { term: '2026-autumn' })).statusCode).toBe(303)
    expect((await start(late, { term: '2026-autumn' })).statusCode).toBe(303)
    expect((await pepsOf(onTime))[0]!.is_initial).toBe(true)
    expect((await pepsOf(late))[0]!.is_initial).toBe(false)
  })
})

describe('the authority’s timescales', () => {
  async function withSettings(run: () => Promise<void>) {
    const db = t.database.db
    const by = userId('vs.admin@example.org')
    await setAuthoritySettings(
      db,
      authorityId,
      { targetDaysAfterMeeting: 10, delegationDue: { days: 10, unit: 'working' } },
      t.clock.now(),
    )
    await makeClosureDay(db, {
      authorityId,
      onDate: '2026-12-29',
      description: 'Council offices closed',
      createdBy: by,
      at: t.clock.now(),
    })
    try {
      await run()
    } finally {
      await db.deleteFrom('authority_setting').where('authority_id', '=', authorityId).execute()
      await db.deleteFrom('authority_closure_day').where('authority_id', '=', authorityId).execute()
    }
  }

  it('sets the target date and the school’s due date as the authority sets them', async () => {
    await withSettings(async () => {
      const childId = await newChild()
      const form = await sw.get(startUrl(childId))
      expect(form.body).toContain(
        'The target date for completing the PEP is 10 days after the meeting.',
      )
      const response = await start(childId, {
        term: '2026-autumn',
        'meetingOn-day': '18',
        'meetingOn-month': '12',
        'meetingOn-year': '2026',
        meetingTime: '09:00',
      })
      expect(response.statusCode).toBe(303)
      const [pep] = await pepsOf(childId)
      expect(pep!.target_on).toBe('2026-12-28')
      // 10 working days after Friday 18 December (not Christmas Day, the Boxing Day substitute,
      // the closure day or New Year's Day) is Thursday 7 January: after the PEP's target date,
      // so the school is offered the target date, 28 December, and told why.
      const delegate = await sw.get(`/children/${childId}/peps/${pep!.id}/actions/delegate`)
      expect(delegate.body).toMatch(/id="dueOn-day"[^>]*value="28"/)
      expect(delegate.body).toMatch(/id="dueOn-month"[^>]*value="12"/)
      expect(delegate.body).toMatch(/id="dueOn-year"[^>]*value="2026"/)
      expect(delegate.body).toContain('On or before the PEP’s target date, 28 December 2026')
    })
  })

  it('flags an initial PEP by working days that skip the authority’s closure days', async () => {
    await withSettings(async () => {
      // Friday 23 October is 21 working days before today; a closure day in between makes it 20.
      await makeClosureDay(t.database.db, {
        authorityId,
        onDate: '2026-11-04',
        description: 'Staff training day',
        createdBy: userId('vs.admin@example.org'),
        at: t.clock.now(),
      })
      const childId = await newChild('2026-10-23')
      expect((await start(childId, { term: '2026-autumn' })).statusCode).toBe(303)
      expect((await pepsOf(childId))[0]!.is_initial).toBe(true)
    })
  })
})
