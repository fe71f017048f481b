import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import type { TestAgent } from '../../testing/agent.ts'

/*
 * Delegating chosen pages to a chosen member of the school's staff (issue 15), through HTTP on a
 * real database. The colleague is the demo's designated person: not on the child's list, so what
 * they reach comes from the delegation alone, through the one access check: only while they are
 * staff of the child's current school and hold the delegation, and only that PEP.
 */

let t: TestContext
let world: DemoWorld
let schoolId: string
let otherSchoolId: string
let serial = 0
const ids: Record<string, string> = {}

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  schoolId = world.schoolId
  Object.assign(ids, world.ids)
  otherSchoolId = (
    await t.database.db
      .selectFrom('membership')
      .select('school_id')
      .where('user_id', '=', ids['designated.person@example.org']!)
      .executeTakeFirstOrThrow()
  ).school_id!
})
afterAll(() => world.close())

const sw = () => world.agent('social.worker@example.org')
const dt = () => world.agent('designated.teacher@example.org')
const colleague = () => world.agent('designated.person@example.org')
const colleagueId = () => ids['designated.person@example.org']!

async function newPep() {
  serial += 1
  const childId = await world.newChild({
    firstName: 'Paige',
    lastName: `Delegated-${serial}`,
    caseReference: `HFD-PAGES-${serial}`,
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
    ],
  })
  const pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
  return { childId, pepId, url: `/children/${childId}/peps/${pepId}` }
}

/** The colleague is on the staff of `school` (their designated person's role there). */
async function colleagueAt(school: string) {
  await t.database.db
    .updateTable('membership')
    .set({ school_id: school })
    .where('user_id', '=', colleagueId())
    .where('role', '=', 'designated_person')
    .execute()
}

const due = { 'dueOn-day': '27', 'dueOn-month': '11', 'dueOn-year': '2026' }

async function post(agent: TestAgent, url: string, form: Record<string, string | string[]>) {
  t.clock.advance(60_000)
  await agent.get(url)
  return agent.post(url, form)
}

describe('delegating chosen pages to a member of the school’s staff', () => {
  it('refuses a colleague at another school: not offered, not reached', async () => {
    await colleagueAt(otherSchoolId)
    const p = await newPep()
    const form = await (await sw()).get(`${p.url}/actions/delegate`)
    expect(form.body).not.toContain('Jamie College') // nobody from another school is offered
    expect(form.body).toContain('Which pages does the school complete?')
    // Chosen anyway (a forged form): refused, nothing delegated.
    const forged = await post(await sw(), `${p.url}/actions/delegate`, {
      ...due,
      delegateTo: colleagueId(),
      pages: ['attendance'],
    })
    expect(forged.statusCode).toBe(303) // one person at the school: the teacher is named, not chosen
    const holder = await t.database.db
      .selectFrom('pep_delegation')
      .select(['delegated_to', 'pages'])
      .where('pep_id', '=', p.pepId)
      .executeTakeFirstOrThrow()
    expect(holder).toEqual({
      delegated_to: ids['designated.teacher@example.org'],
      pages: ['attendance'],
    })
    // The teacher cannot pass them to someone at another school.
    const passOn = await (await dt()).get(`${p.url}/actions/pass-on`)
    expect(passOn.statusCode).toBe(409)
    expect(passOn.body).toContain('There is no one else on the staff of your school in OpenPEP')
    const forcedOn = await post(await dt(), `${p.url}/actions/pass-on`, {
      delegateTo: colleagueId(),
    })
    expect(forcedOn.statusCode).toBe(409)
    expect((await (await colleague()).get(p.url)).statusCode).toBe(404)
  })

  it('gives a colleague not on the list the chosen pages: the task, the email, that PEP alone', async () => {
    await colleagueAt(schoolId)
    const p = await newPep()
    const earlier = await newPep()
    const db = t.database.db
    const form = await (await sw()).get(`${p.url}/actions/delegate`)
    expect(form.body).toContain('Who at the school completes the pages?')
    expect(form.body).toContain('Jamie College')
    // No page chosen: said, and what was typed kept.
    const none = await post(await sw(), `${p.url}/actions/delegate`, {
      ...due,
      delegateTo: colleagueId(),
      choosePages: 'yes',
    })
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('Select the pages the school completes')
    // A page of Section A is not the school's to be given.
    const wrong = await post(await sw(), `${p.url}/actions/delegate`, {
      ...due,
      delegateTo: colleagueId(),
      pages: ['attendance', 'personal-information'],
    })
    expect(wrong.statusCode).toBe(400)
    const given = await post(await sw(), `${p.url}/actions/delegate`, {
      ...due,
      delegateTo: colleagueId(),
      pages: ['attendance', 'sen'],
    })
    expect(given.statusCode).toBe(303)
    const task = await db
      .selectFrom('task')
      .select(['assigned_to', 'status'])
      .where('pep_id', '=', p.pepId)
      .where('kind', '=', 'complete-school-sections')
      .executeTakeFirstOrThrow()
    expect(task).toEqual({ assigned_to: colleagueId(), status: 'open' })
    const email = await db
      .selectFrom('outbox_email')
      .select(['to_address', 'text_body'])
      .where('to_address', '=', 'designated.person@example.org')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(email.text_body).not.toContain('Paige')
    // The email names the pages given, not "the school's sections" (issue 15).
    expect(email.text_body).toContain(
      'A social worker has asked you to complete these 2 pages of the school’s sections of a Personal Education Plan:\n\nSection B: Attendance\n\nSection B: Special educational needs\n\nThe other pages are not yours to change.',
    )

    const me = await colleague()
    expect((await me.get('/tray')).body).toContain('Paige')
    expect((await me.get(p.url)).statusCode).toBe(200)
    // Nothing else of the child: the record, its notes, another PEP, the PEPs list.
    expect((await me.get(`/children/${p.childId}`)).statusCode).toBe(404)
    expect((await me.get(`/children/${p.childId}/notes`)).statusCode).toBe(404)
    expect((await me.get(`/children/${p.childId}/peps`)).statusCode).toBe(404)
    expect((await me.get(`/children/${earlier.childId}/peps/${earlier.pepId}`)).statusCode).toBe(
      404,
    )
    // A delegated page saves; a page not delegated is read, not changed.
    const attendance = await me.get(`${p.url}/pages/attendance`)
    expect(attendance.statusCode).toBe(200)
    const saved = await post(me, `${p.url}/pages/attendance`, {
      version: '0',
      'attendance-percentage': '97',
    })
    expect(saved.statusCode).toBe(303)
    const notMine = await me.get(`${p.url}/pages/transitions`)
    expect(notMine.body).toContain('it was not among the pages delegated to you')
    const refused = await post(me, `${p.url}/pages/transitions`, { version: '0' })
    expect(refused.statusCode).toBe(403)
    // Marking Section B complete would lock pages that are not theirs.
    const complete = await post(me, `${p.url}/sections/B/complete`, {})
    expect(complete.statusCode).toBe(409)
    // The social worker sees who holds what.
    const contents = (await (await sw()).get(p.url)).body
    expect(contents).toContain('2 pages of the school’s sections are delegated to Jamie College')
    expect(contents.match(/Delegated to Jamie College/g)).toHaveLength(2)
    // The designated teacher on the list no longer changes a page given to the colleague.
    expect((await post(await dt(), `${p.url}/pages/sen`, { version: '0' })).statusCode).toBe(403)

    // Retracted: the colleague's access ends with the delegation.
    expect((await post(await sw(), `${p.url}/actions/retract`, {})).statusCode).toBe(303)
    expect((await me.get(p.url)).statusCode).toBe(404)
    expect((await me.get('/tray')).body).not.toContain('Paige')
  })

  it('ends the colleague’s access when they leave the child’s school, while still delegated', async () => {
    await colleagueAt(schoolId)
    const p = await newPep()
    expect(
      (
        await post(await sw(), `${p.url}/actions/delegate`, {
          ...due,
          delegateTo: colleagueId(),
          pages: ['attendance'],
        })
      ).statusCode,
    ).toBe(303)
    expect((await (await colleague()).get(p.url)).statusCode).toBe(200)
    await colleagueAt(otherSchoolId)
    expect((await (await colleague()).get(p.url)).statusCode).toBe(404)
    expect((await (await colleague()).get(`${p.url}/pages/attendance`)).statusCode).toBe(404)
  })

  it('delegates to the school’s staff when nobody from the school is on the child’s list', async () => {
    await colleagueAt(schoolId)
    serial += 1
    const childId = await world.newChild({
      firstName: 'Paige',
      lastName: `Unlisted-${serial}`,
      caseReference: `HFD-PAGES-${serial}`,
      access: [['social.worker@example.org', 'social_worker']],
    })
    const pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
    const url = `/children/${childId}/peps/${pepId}`
    // Robin Teacher and the colleague are both on the school's staff: the social worker chooses.
    const given = await post(await sw(), `${url}/actions/delegate`, {
      ...due,
      delegateTo: colleagueId(),
    })
    expect(given.statusCode).toBe(303)
    expect((await (await colleague()).get(url)).statusCode).toBe(200)
    // Every page went: the email says the school's sections, as a whole.
    const email = await t.database.db
      .selectFrom('outbox_email')
      .select('text_body')
      .where('to_address', '=', 'designated.person@example.org')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(email.text_body).toContain(
      'A social worker has asked you to complete the school’s sections of a Personal Education Plan.',
    )
  })

  it('lets the designated teacher pass the pages on to a colleague at the school', async () => {
    await colleagueAt(schoolId)
    const p = await newPep()
    const teacher = ids['designated.teacher@example.org']!
    expect(
      (
        await post(await sw(), `${p.url}/actions/delegate`, {
          ...due,
          delegateTo: teacher,
          pages: ['attendance', 'sen'],
        })
      ).statusCode,
    ).toBe(303)
    const page = await (await dt()).get(`${p.url}/actions/pass-on`)
    expect(page.body).toContain('The pages go to Jamie College')
    const passed = await post(await dt(), `${p.url}/actions/pass-on`, { comments: 'SEN is yours' })
    expect(passed.statusCode).toBe(303)
    const me = await colleague()
    expect((await me.get(p.url)).statusCode).toBe(200)
    expect(
      (await post(me, `${p.url}/pages/sen`, { version: '0', 'sen-status': 'none' })).statusCode,
    ).not.toBe(403)
    // The teacher keeps their place on the list (reads) but no longer changes the pages.
    expect((await (await dt()).get(p.url)).statusCode).toBe(200)
    expect((await post(await dt(), `${p.url}/pages/attendance`, { version: '0' })).statusCode).toBe(
      403,
    )
    const contents = (await (await sw()).get(p.url)).body
    expect(contents).toContain('Passed pages of the school’s sections to a colleague')
    // The colleague's email says who passed what on, naming the pages and no child.
    const email = await t.database.db
      .selectFrom('outbox_email')
      .select('text_body')
      .where('to_address', '=', 'designated.person@example.org')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(email.text_body).toContain(
      'A colleague at your school has asked you to complete these 2 pages',
    )
    expect(email.text_body).toContain('Section B: Special educational needs')
    expect(email.text_body).not.toContain('Paige')
  })

  it('ends the teacher’s delegation when they are taken off the child’s list, keeping its history', async () => {
    const p = await newPep()
    const db = t.database.db
    const teacher = ids['designated.teacher@example.org']!
    expect(
      (
        await post(await sw(), `${p.url}/actions/delegate`, {
          ...due,
          delegateTo: teacher,
          pages: ['attendance'],
        })
      ).statusCode,
    ).toBe(303)
    expect((await (await dt()).get(`${p.url}/pages/attendance`)).body).toContain('name="version"')
    const place = await db
      .selectFrom('child_access')
      .select('id')
      .where('child_id', '=', p.childId)
      .where('user_id', '=', teacher)
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow()
    const vs = await world.agent('business.support@example.org')
    expect(
      (await post(vs, `/children/${p.childId}/access/${place.id}/remove`, {})).statusCode,
    ).toBe(303)
    // The delegation is ended, kept as history; their task closed; the PEP no longer reached.
    const delegation = await db
      .selectFrom('pep_delegation')
      .select(['status', 'ended_at'])
      .where('pep_id', '=', p.pepId)
      .executeTakeFirstOrThrow()
    expect(delegation.status).toBe('retracted')
    expect(delegation.ended_at).not.toBeNull()
    const open = await db
      .selectFrom('task')
      .select('id')
      .where('pep_id', '=', p.pepId)
      .where('assigned_to', '=', teacher)
      .where('status', '=', 'open')
      .execute()
    expect(open).toEqual([])
    expect((await (await dt()).get(p.url)).statusCode).toBe(404)
    const contents = (await (await sw()).get(p.url)).body
    expect(contents).toContain('Ended the delegation: its holder was taken off the child’s list')
    // The social worker can give the pages to someone else.
    expect((await (await sw()).get(`${p.url}/actions/delegate`)).statusCode).toBe(200)
  })
})
