import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import type { TestAgent } from '../../testing/agent.ts'
import { FULL_READER } from './pep-context.ts'
import { pepExtras } from './pep-record.presenter.ts'

/*
 * The record of a PEP's meeting through HTTP: who attended (from the invitees, and others),
 * apologies, the young person's attendance and views, the social worker's input when absent;
 * its validation, its audit, where it is shown, and who is refused it.
 */

let world: DemoWorld
let t: TestContext
let childId: string
let pepId: string
const agents: Record<string, TestAgent> = {}
const ids: Record<string, string> = {}
const invitee: Record<string, string> = {}

const agent = (email: string) => agents[email]!
/** The record's version a page's form carries. */
const seenOn = (html: string) => /name="seen" value="([^"]*)"/.exec(html)?.[1] ?? ''
const sw = () => agent('social.worker@example.org')
const base = () => `/children/${childId}/peps/${pepId}`

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  Object.assign(ids, world.ids)
  childId = await world.newChild({
    firstName: 'Rowan',
    lastName: 'Meeting',
    caseReference: 'HFD-MEET-1',
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
      ['iro@example.org', 'iro'],
      ['carer@example.org', 'carer'],
    ],
  })
  for (const email of [
    'social.worker@example.org',
    'designated.teacher@example.org',
    'iro@example.org',
    'carer@example.org',
    'personal.advisor@example.org',
  ])
    agents[email] = await world.agent(email)
  pepId = await world.startPep(childId, {
    meetingOn: '2026-11-20',
    extra: {
      invitees: [ids['designated.teacher@example.org']!, ids['iro@example.org']!],
      inviteeEmails: 'nurse@school.example',
    },
  })
  const rows = await t.database.db
    .selectFrom('pep_invitee')
    .select(['id', 'user_id', 'email'])
    .where('pep_id', '=', pepId)
    .execute()
  for (const r of rows) {
    if (r.user_id === ids['designated.teacher@example.org']) invitee.dt = r.id
    else if (r.user_id === ids['iro@example.org']) invitee.iro = r.id
    else if (r.email === 'nurse@school.example') invitee.nurse = r.id
  }
  expect(Object.keys(invitee).sort()).toEqual(['dt', 'iro', 'nurse'])
})
afterAll(() => world.close())

const complete = () => ({
  attended: [invitee.dt!, invitee.nurse!],
  otherAttendees: 'Sam Jones, school nurse\nAlex Green, advocate',
  apologies: [invitee.iro!],
  otherApologies: '',
  youngPersonAttended: 'part',
  youngPersonViews: 'advocate',
  youngPersonViewsDetail: 'Alex Green spoke for them',
  socialWorkerAttended: 'no',
  socialWorkerInput: 'Placement is settled; contact with birth family continues fortnightly.',
})

describe('the meeting record', () => {
  it('is linked from the PEP’s contents and offers the invitees to choose from', async () => {
    const contents = await sw().get(base())
    expect(contents.body).toContain(`href="${base()}/meeting-record"`)
    expect(contents.body).toContain('Not recorded yet')
    const page = await sw().get(`${base()}/meeting-record`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Who attended?')
    expect(page.body).toContain(`value="${invitee.dt}"`)
    expect(page.body).toContain('nurse@school.example')
    expect(page.body).toContain('Riley Reviewer')
  })

  it('refuses an incomplete record, naming each field in the error summary and keeping what was typed', async () => {
    await sw().get(`${base()}/meeting-record`)
    const response = await sw().post(`${base()}/meeting-record`, {
      otherAttendees: '',
      youngPersonViewsDetail: 'Kept as typed',
      socialWorkerAttended: 'no',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    for (const [href, text] of [
      ['#attended', 'Select who attended, or enter the names of the people who attended'],
      ['#youngPersonAttended', 'Select whether the young person attended the meeting'],
      ['#youngPersonViews', 'Select how the young person’s views were given'],
      ['#socialWorkerInput', 'Enter the social worker’s input, as they gave it before the meeting'],
    ])
      expect(response.body).toContain(`<a href="${href}">${text}</a>`)
    expect(response.body).toContain('Kept as typed')
    expect(response.body).toMatch(/value="no" checked/)

    const both = await sw().post(`${base()}/meeting-record`, {
      ...complete(),
      apologies: [invitee.iro!, invitee.dt!],
    })
    expect(both.statusCode).toBe(400)
    expect(both.body).toContain('cannot both have attended and sent apologies')
    expect(both.body).toContain('Sam Jones, school nurse')
    const stranger = await sw().post(`${base()}/meeting-record`, {
      ...complete(),
      attended: ['00000000-0000-4000-8000-000000000000'],
    })
    expect(stranger.statusCode).toBe(400)
    expect(stranger.body).toContain('Select who attended from the people invited')
    const saved = await t.database.db.selectFrom('pep_meeting_record').selectAll().execute()
    expect(saved).toHaveLength(0)
  })

  it('saves it, audited, and shows it on its page, in the read view and for the PDF', async () => {
    t.clock.advance(60_000)
    await sw().get(`${base()}/meeting-record`)
    const response = await sw().post(`${base()}/meeting-record`, complete())
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(base())
    expect((await sw().get(base())).body).toContain('Recorded')

    const read = await sw().get(`${base()}/read`)
    expect(read.body).toContain('Meeting record')
    expect(read.body).toContain('Alex Green, advocate')
    expect(read.body).toContain('Riley Reviewer')
    expect(read.body).toContain('Placement is settled')

    const extras = await pepExtras(t.database.db, { id: pepId, childId }, FULL_READER.role)
    const row = (label: string) => extras.meeting.find((r) => r.label === label)?.value
    expect(row('Who attended')).toContain('nurse@school.example')
    expect(row('Who attended')).toContain('Sam Jones, school nurse')
    expect(row('Apologies')).toBe('Riley Reviewer')
    expect(row('Did the young person attend?')).toBe('For part of the meeting')
    expect(row('How the young person’s views were given')).toBe(
      'Through an advocate. Alex Green spoke for them',
    )
    expect(row('The social worker’s input')).toContain('fortnightly')

    const events = await t.database.db
      .selectFrom('audit_event')
      .select(['child_id', 'details'])
      .where('action', '=', 'pep.meeting-record.save')
      .execute()
    expect(events).toHaveLength(1)
    expect(events[0]!.child_id).toBe(childId)
    expect(events[0]!.details).toMatchObject({ pepId, created: true, attended: 2, apologies: 1 })
  })

  it('is corrected by saving again; the social worker attending drops the input', async () => {
    t.clock.advance(60_000)
    const dt = agent('designated.teacher@example.org')
    const page = await dt.get(`${base()}/meeting-record`)
    expect(page.body).toContain('Placement is settled')
    const response = await dt.post(`${base()}/meeting-record`, {
      ...complete(),
      socialWorkerAttended: 'yes',
      // The version of the record the form was opened on, as the browser sends it.
      seen: seenOn(page.body),
    })
    expect(response.statusCode).toBe(303)
    const record = await t.database.db
      .selectFrom('pep_meeting_record')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(record.social_worker_attended).toBe(true)
    expect(record.social_worker_input).toBe('')
    expect(record.recorded_by).toBe(ids['designated.teacher@example.org'])
    const saves = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'pep.meeting-record.save')
      .execute()
    expect(saves).toHaveLength(2)
  })

  it('never saves over a record someone saved after the form was opened', async () => {
    t.clock.advance(60_000)
    const opened = await sw().get(`${base()}/meeting-record`)
    const stale = seenOn(opened.body)
    t.clock.advance(60_000)
    const dt = agent('designated.teacher@example.org')
    const theirs = await dt.post(`${base()}/meeting-record`, {
      ...complete(),
      socialWorkerAttended: 'yes',
      seen: seenOn((await dt.get(`${base()}/meeting-record`)).body),
    })
    expect(theirs.statusCode).toBe(303)
    const mine = await sw().post(`${base()}/meeting-record`, {
      ...complete(),
      otherAttendees: 'Sam Mentor, youth worker 🙂',
      seen: stale,
    })
    expect(mine.statusCode).toBe(409)
    expect(mine.body).toContain('Someone saved this meeting record after you opened it')
    // What was typed stays on the page, and the form now carries the record's new version.
    expect(mine.body).toContain('Sam Mentor, youth worker 🙂')
    expect(seenOn(mine.body)).not.toBe(stale)
    const record = await t.database.db
      .selectFrom('pep_meeting_record')
      .select(['recorded_by', 'other_attendees'])
      .executeTakeFirstOrThrow()
    expect(record.recorded_by).toBe(ids['designated.teacher@example.org'])
    expect(record.other_attendees).not.toContain('Sam Mentor')
    // Saving again, having been told, is the person's choice.
    const again = await sw().post(`${base()}/meeting-record`, {
      ...complete(),
      otherAttendees: 'Sam Mentor, youth worker 🙂',
      seen: seenOn(mine.body),
    })
    expect(again.statusCode).toBe(303)
    // Back as the teacher left it, for the tests after this one.
    const restored = await dt.post(`${base()}/meeting-record`, {
      ...complete(),
      socialWorkerAttended: 'yes',
      seen: seenOn((await dt.get(`${base()}/meeting-record`)).body),
    })
    expect(restored.statusCode).toBe(303)
  })

  it('keeps every version with every word, shown on its page and in the PEP’s history', async () => {
    const db = t.database.db
    const versions = await db
      .selectFrom('pep_meeting_record_revision')
      .select(['version', 'record', 'recorded_by'])
      .where('pep_id', '=', pepId)
      .orderBy('version')
      .execute()
    // The first save, the teacher's correction, the teacher's save over the stale form, the
    // social worker's save having been told, and the teacher's last one.
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5])
    expect(versions[0]!.record).toMatchObject({
      socialWorkerAttended: false,
      socialWorkerInput: 'Placement is settled; contact with birth family continues fortnightly.',
      otherAttendees: 'Sam Jones, school nurse\nAlex Green, advocate',
      youngPersonViewsDetail: 'Alex Green spoke for them',
    })
    expect(versions[3]!.record).toMatchObject({ otherAttendees: 'Sam Mentor, youth worker 🙂' })
    expect(versions[3]!.recorded_by).toBe(ids['social.worker@example.org'])
    // What was said once stays said: the history cannot be changed.
    await expect(
      db
        .updateTable('pep_meeting_record_revision')
        .set({ recorded_at: new Date() })
        .where('pep_id', '=', pepId)
        .execute(),
    ).rejects.toThrow(/append-only/)
    // On the record's page: every version, newest first, each with its words.
    const page = await sw().get(`${base()}/meeting-record`)
    expect(page.body).toContain('Every version of this record')
    expect(page.body.indexOf('Version 5, saved by Robin Teacher')).toBeLessThan(
      page.body.indexOf('Version 1, saved by Jordan Social'),
    )
    expect(page.body).toContain('Sam Mentor, youth worker 🙂')
    expect(page.body).toContain('Placement is settled; contact with birth family')
    // In the PEP's own history: each save, by whom.
    const contents = await sw().get(base())
    expect(contents.body).toContain(
      'Recorded the meeting: who attended and the young person’s views',
    )
    expect(
      contents.body.match(/Corrected the meeting record \(earlier versions are kept\)/g),
    ).toHaveLength(4)
  })

  it('the IRO reads it but may not change it', async () => {
    const iro = agent('iro@example.org')
    const page = await iro.get(`${base()}/meeting-record`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Alex Green, advocate')
    expect(page.body).not.toContain('Save meeting record')
    // Refused as every child route refuses an action the role may not take: as if not there.
    const refused = await iro.post(`${base()}/meeting-record`, complete())
    expect(refused.statusCode).toBe(404)
  })

  it('the carer does not see it on the PEP, and is refused its page', async () => {
    const carer = agent('carer@example.org')
    const contents = await carer.get(base())
    expect(contents.statusCode).toBe(200)
    expect(contents.body).not.toContain('/meeting-record')
    const read = await carer.get(`${base()}/read`)
    expect(read.body).not.toContain('Alex Green, advocate')
    expect((await carer.get(`${base()}/meeting-record`)).statusCode).toBe(404)
    expect((await carer.post(`${base()}/meeting-record`, complete())).statusCode).toBe(404)
    const forCarer = await pepExtras(t.database.db, { id: pepId, childId }, 'carer')
    expect(forCarer.meeting).toEqual([])
  })

  it('someone not on the child’s record is refused, and nothing changes', async () => {
    const pa = agent('personal.advisor@example.org')
    const page = await pa.get(`${base()}/meeting-record`)
    expect([403, 404]).toContain(page.statusCode)
    expect(page.body).not.toContain('Alex Green')
    const posted = await pa.post(`${base()}/meeting-record`, complete())
    expect([403, 404]).toContain(posted.statusCode)
    const record = await t.database.db
      .selectFrom('pep_meeting_record')
      .select('recorded_by')
      .executeTakeFirstOrThrow()
    expect(record.recorded_by).toBe(ids['designated.teacher@example.org'])
  })

  it('once the PEP is signed off, it is kept as it was', async () => {
    await t.database.db
      .updateTable('pep')
      .set({ status: 'signed_off' })
      .where('id', '=', pepId)
      .execute()
    const page = await sw().get(`${base()}/meeting-record`)
    expect(page.body).not.toContain('Save meeting record')
    expect(page.body).toContain('Alex Green, advocate')
    const refused = await sw().post(`${base()}/meeting-record`, complete())
    expect(refused.statusCode).toBe(409)
    expect(refused.body).toContain('This PEP has been signed off')
  })
})
