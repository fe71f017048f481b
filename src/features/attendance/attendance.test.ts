import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/*
 * The child's attendance over time through HTTP on a real database (issue 19): adding a period,
 * refusals naming each field with what was typed kept, correcting with the history kept, a child
 * who changed school mid-period, every read and write audited, and nobody without the right to
 * the child (or whose role may not read it) getting anything.
 */

let world: DemoWorld
let childId: string
const DT = 'designated.teacher@example.org'

const period = (
  from: [number, number, number],
  to: [number, number, number],
  sessions: [number, number, number, number],
) => ({
  'startsOn-day': String(from[0]),
  'startsOn-month': String(from[1]),
  'startsOn-year': String(from[2]),
  'endsOn-day': String(to[0]),
  'endsOn-month': String(to[1]),
  'endsOn-year': String(to[2]),
  possible: String(sessions[0]),
  attended: String(sessions[1]),
  authorised: String(sessions[2]),
  unauthorised: String(sessions[3]),
})

const rowsOf = () =>
  world.t.database.db
    .selectFrom('attendance_period')
    .selectAll()
    .where('child_id', '=', childId)
    .orderBy('recorded_at')
    // A correction is recorded at the same instant of the test clock: the one it replaced first
    // (without this the order was the heap's, and a reused database's heap can put it last).
    .orderBy(sql`superseded_at is null`)
    .execute()

const audits = (action: string) =>
  world.t.database.db
    .selectFrom('audit_event')
    .select(['details', 'acting_role'])
    .where('child_id', '=', childId)
    .where('action', '=', action)
    .execute()

beforeAll(async () => {
  world = await demoWorld()
  childId = await world.newChild({
    firstName: 'Sasha',
    lastName: 'Register',
    caseReference: 'HFD-ATT-1',
    access: [
      ['social.worker@example.org', 'social_worker'],
      [DT, 'designated_teacher'],
      ['iro@example.org', 'iro'],
      ['carer@example.org', 'carer'],
    ],
  })
})
afterAll(() => world.close())

describe("a child's attendance over time", () => {
  it('is added by the designated teacher, with the percentage and flags worked out from sessions', async () => {
    const dt = await world.agent(DT)
    expect((await dt.get(`/children/${childId}/attendance/new`)).statusCode).toBe(200)
    const saved = await dt.post(
      `/children/${childId}/attendance/new`,
      period([1, 9, 2026], [23, 10, 2026], [100, 90, 6, 4]),
    )
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`/children/${childId}/attendance`)
    const page = await dt.get(`/children/${childId}/attendance`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('1 September 2026 to 23 October 2026')
    expect(page.body).toContain('Kingsmead Academy')
    expect(page.body).toContain('90.0%')
    // Exactly 90.0% is persistent absence (10% of sessions missed).
    expect(page.body).toContain('Persistent absence')
    expect(page.body).toContain('<svg')
    const record = await dt.get(`/children/${childId}`)
    expect(record.body).toContain('Latest period: 90.0% (1 September 2026 to 23 October 2026)')
    expect(record.body).toContain('Persistent absence')
    const [row] = await rowsOf()
    expect(row).toMatchObject({
      sessions_possible: 100,
      sessions_attended: 90,
      authorised_absence: 6,
      unauthorised_absence: 4,
      source: 'record',
      superseded_at: null,
    })
    expect(await audits('child.attendance.add')).toEqual([
      expect.objectContaining({ acting_role: 'designated_teacher' }),
    ])
    expect((await audits('child.attendance.view')).length).toBeGreaterThan(0)
  })

  it('refuses more sessions attended than possible, and sessions that do not add up, keeping what was typed', async () => {
    const dt = await world.agent(DT)
    const over = await dt.post(
      `/children/${childId}/attendance/new`,
      period([26, 10, 2026], [20, 11, 2026], [40, 41, 0, 0]),
    )
    expect(over.statusCode).toBe(400)
    expect(over.body).toContain('There is a problem')
    expect(over.body).toContain(
      'Sessions attended (41) cannot be more than the sessions possible (40)',
    )
    expect(over.body).toContain('value="41"')
    const sums = await dt.post(
      `/children/${childId}/attendance/new`,
      period([26, 10, 2026], [20, 11, 2026], [40, 30, 3, 3]),
    )
    expect(sums.statusCode).toBe(400)
    expect(sums.body).toContain(
      'Sessions attended and absences add up to 36, not the 40 sessions possible',
    )
    const blank = await dt.post(`/children/${childId}/attendance/new`, {})
    expect(blank.statusCode).toBe(400)
    expect(blank.body).toContain('Enter the start of the period')
    expect(blank.body).toContain('Enter the sessions possible')
    const future = await dt.post(
      `/children/${childId}/attendance/new`,
      period([1, 11, 2026], [24, 11, 2026], [10, 10, 0, 0]),
    )
    expect(future.body).toContain('The end of the period must be today or in the past')
    expect(await rowsOf()).toHaveLength(1)
  })

  it('refuses the same period from the same school twice: it is corrected instead', async () => {
    const dt = await world.agent(DT)
    const again = await dt.post(
      `/children/${childId}/attendance/new`,
      period([1, 9, 2026], [23, 10, 2026], [100, 95, 5, 0]),
    )
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('correct them instead of adding them again')
    expect(await rowsOf()).toHaveLength(1)
  })

  it('is corrected with the earlier figures kept in the history', async () => {
    const sw = await world.agent('social.worker@example.org')
    const [first] = await rowsOf()
    const form = await sw.get(`/children/${childId}/attendance/${first!.id}/correct`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('value="90"')
    const corrected = await sw.post(
      `/children/${childId}/attendance/${first!.id}/correct`,
      period([1, 9, 2026], [23, 10, 2026], [100, 91, 6, 3]),
    )
    expect(corrected.statusCode).toBe(303)
    const rows = await rowsOf()
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({ sessions_attended: 90, superseded_by: rows[1]!.id })
    expect(rows[1]).toMatchObject({ sessions_attended: 91, superseded_at: null })
    const page = await sw.get(`/children/${childId}/attendance`)
    expect(page.body).toContain('91.0%')
    expect(page.body).not.toContain('Persistent absence')
    expect(page.body).toContain('Earlier figures (1)')
    expect(page.body).toContain('90 of 100 sessions attended')
    expect(await audits('child.attendance.correct')).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ corrects: first!.id, attended: 91 }),
      }),
    ])
  })

  it('refuses a correction of figures corrected meanwhile (a stale form)', async () => {
    const dt = await world.agent(DT)
    const [first] = await rowsOf()
    expect((await dt.get(`/children/${childId}/attendance/${first!.id}/correct`)).statusCode).toBe(
      404,
    )
    const stale = await dt.post(
      `/children/${childId}/attendance/${first!.id}/correct`,
      period([1, 9, 2026], [23, 10, 2026], [100, 80, 10, 10]),
    )
    expect(stale.statusCode).toBe(409)
    expect(stale.body).toContain('Someone corrected these figures after you opened the form')
    expect(await rowsOf()).toHaveLength(2)
  })

  it('gives each school its part when the child changed school mid-period', async () => {
    const db = world.t.database.db
    const oakbridge = await db
      .selectFrom('school')
      .select('id')
      .where('urn', '=', '990001')
      .executeTakeFirstOrThrow()
    const moverId = await world.newChild({
      firstName: 'Jordan',
      lastName: 'Mover',
      caseReference: 'HFD-ATT-2',
      access: [[DT, 'designated_teacher']],
    })
    await db
      .insertInto('child_school')
      .values([
        {
          child_id: moverId,
          school_id: oakbridge.id,
          started_on: '2024-09-01',
          ended_on: '2026-10-05',
        },
        { child_id: moverId, school_id: world.schoolId, started_on: '2026-10-05', ended_on: null },
      ])
      .execute()
    const vs = await world.agent('vs.consultant@example.org')
    await vs.get(`/children/${moverId}/attendance/new`)
    for (const [to, sessions] of [
      [
        [2, 10, 2026],
        [46, 40, 4, 2],
      ],
      [
        [23, 10, 2026],
        [28, 28, 0, 0],
      ],
    ] as const) {
      const saved = await vs.post(
        `/children/${moverId}/attendance/new`,
        period([1, 9, 2026], [...to], [...sessions]),
      )
      expect(saved.statusCode).toBe(303)
    }
    const page = await vs.get(`/children/${moverId}/attendance`)
    expect(page.body).toContain('Oakbridge Primary School')
    expect(page.body).toContain('Kingsmead Academy')
    expect(page.body).toContain('87.0%')
    expect(page.body).toContain('100.0%')
  })
})

describe("attendance below the authority's line", () => {
  const tasks = () =>
    world.t.database.db
      .selectFrom('task')
      .select(['assigned_to', 'group_role', 'is_alert', 'title'])
      .where('child_id', '=', childId)
      .where('kind', '=', 'attendance-below')
      .orderBy('is_alert', 'desc')
      .execute()

  it('is not alerted at exactly 90%', async () => {
    expect(await tasks()).toEqual([])
  })

  it('alerts the social worker and the Virtual School once per child and period, however often it is corrected', async () => {
    const dt = await world.agent(DT)
    await dt.get(`/children/${childId}/attendance/new`)
    const saved = await dt.post(
      `/children/${childId}/attendance/new`,
      period([26, 10, 2026], [20, 11, 2026], [40, 35, 3, 2]),
    )
    expect(saved.statusCode).toBe(303)
    const title = 'Attendance was below 90% in the period to 20 November 2026'
    expect(await tasks()).toEqual([
      {
        assigned_to: world.ids['social.worker@example.org'],
        group_role: null,
        is_alert: true,
        title,
      },
      { assigned_to: null, group_role: 'vs_consultant', is_alert: false, title },
    ])
    const row = await world.t.database.db
      .selectFrom('attendance_period')
      .select('id')
      .where('child_id', '=', childId)
      .where('ends_on', '=', '2026-11-20')
      .executeTakeFirstOrThrow()
    await dt.get(`/children/${childId}/attendance/${row.id}/correct`)
    const corrected = await dt.post(
      `/children/${childId}/attendance/${row.id}/correct`,
      period([26, 10, 2026], [20, 11, 2026], [40, 34, 4, 2]),
    )
    expect(corrected.statusCode).toBe(303)
    expect(await tasks()).toHaveLength(2)
    const sw = await world.agent('social.worker@example.org')
    expect((await sw.get('/tray')).body).toContain(title)
  })

  it('closes the Virtual School’s task when the period is corrected to exactly the line (90.0%)', async () => {
    const dt = await world.agent(DT)
    const row = await world.t.database.db
      .selectFrom('attendance_period')
      .select('id')
      .where('child_id', '=', childId)
      .where('ends_on', '=', '2026-11-20')
      .where('superseded_at', 'is', null)
      .executeTakeFirstOrThrow()
    await dt.get(`/children/${childId}/attendance/${row.id}/correct`)
    const corrected = await dt.post(
      `/children/${childId}/attendance/${row.id}/correct`,
      period([26, 10, 2026], [20, 11, 2026], [40, 36, 2, 2]),
    )
    expect(corrected.statusCode).toBe(303)
    const states = await world.t.database.db
      .selectFrom('task')
      .select(['is_alert', 'status', 'closed_by'])
      .where('child_id', '=', childId)
      .where('kind', '=', 'attendance-below')
      .orderBy('is_alert', 'desc')
      .execute()
    // The social worker's alert stays until they dismiss it; the task is done, by the correction.
    expect(states).toEqual([
      { is_alert: true, status: 'open', closed_by: null },
      { is_alert: false, status: 'done', closed_by: world.ids[DT] },
    ])
  })
  it('alarms once more when a period corrected up to the line falls below it again: once per fall', async () => {
    const dt = await world.agent(DT)
    const current = () =>
      world.t.database.db
        .selectFrom('attendance_period')
        .select('id')
        .where('child_id', '=', childId)
        .where('ends_on', '=', '2026-11-20')
        .where('superseded_at', 'is', null)
        .executeTakeFirstOrThrow()
    const correct = async (sessions: [number, number, number, number]) => {
      const { id } = await current()
      await dt.get(`/children/${childId}/attendance/${id}/correct`)
      const response = await dt.post(
        `/children/${childId}/attendance/${id}/correct`,
        period([26, 10, 2026], [20, 11, 2026], sessions),
      )
      expect(response.statusCode).toBe(303)
    }
    // 35 of 40 (87.5%): a new fall below the line after the task closed at 90.0%.
    await correct([40, 35, 3, 2])
    const states = () =>
      world.t.database.db
        .selectFrom('task')
        .select(['is_alert', 'status'])
        .where('child_id', '=', childId)
        .where('kind', '=', 'attendance-below')
        .orderBy('is_alert', 'desc')
        .orderBy('status', 'desc')
        .execute()
    expect(await states()).toEqual([
      { is_alert: true, status: 'open' },
      { is_alert: true, status: 'open' },
      { is_alert: false, status: 'open' },
      { is_alert: false, status: 'done' },
    ])
    // Corrected again but still below (34 of 40): the same fall, no further alarm.
    await correct([40, 34, 4, 2])
    expect(await states()).toHaveLength(4)
  })
})

describe("the initial PEP's statutory clock on the record", () => {
  it('shows the deadlines from entering care, late when passed, to staff and not the carer', async () => {
    const newcomer = await world.newChild({
      firstName: 'Noor',
      lastName: 'Newcomer',
      caseReference: 'HFD-CLOCK-1',
      enteredCareOn: '2026-11-02',
      access: [
        ['social.worker@example.org', 'social_worker'],
        ['carer@example.org', 'carer'],
      ],
    })
    const sw = await world.agent('social.worker@example.org')
    const record = await sw.get(`/children/${newcomer}`)
    expect(record.body).toContain('Initial PEP: statutory timescales')
    expect(record.body).toMatch(
      /Initiate by 16 November 2026\s*<strong class="govuk-tag govuk-tag--red">\s*Late/,
    )
    expect(record.body).toContain('Meeting held by 30 November 2026')
    const carer = await world.agent('carer@example.org')
    expect((await carer.get(`/children/${newcomer}`)).body).not.toContain('Initiate by')
    // A child long in care (since 2020) has no initial PEP to wait for.
    expect((await sw.get(`/children/${childId}`)).body).not.toContain('Initiate by')
  })
})

describe('who may read and change attendance', () => {
  it('gives the carer and the young person nothing: attendance is for staff', async () => {
    const carer = await world.agent('carer@example.org')
    for (const url of [`/children/${childId}/attendance`, `/children/${childId}/attendance/new`]) {
      const response = await carer.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.body).not.toContain('90 of 100')
    }
    const record = await carer.get(`/children/${childId}`)
    expect(record.body).not.toContain(`/children/${childId}/attendance`)
    const post = await carer.post(
      `/children/${childId}/attendance/new`,
      period([1, 11, 2026], [2, 11, 2026], [2, 2, 0, 0]),
    )
    expect(post.statusCode).toBe(404)
  })

  it('lets the IRO read but not change it', async () => {
    const iro = await world.agent('iro@example.org')
    const page = await iro.get(`/children/${childId}/attendance`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Add attendance for a period')
    expect(page.body).not.toContain('/correct')
    expect((await iro.get(`/children/${childId}/attendance/new`)).statusCode).toBe(404)
  })

  it("gives nothing to someone not on the child's list, and records the refusal", async () => {
    const other = await world.agent('personal.advisor@example.org')
    const page = await other.get(`/children/${childId}/attendance`)
    expect(page.statusCode).toBe(404)
    expect(page.body).not.toContain('Register')
    const post = await other.post(
      `/children/${childId}/attendance/new`,
      period([1, 11, 2026], [2, 11, 2026], [2, 2, 0, 0]),
    )
    expect(post.statusCode).toBe(404)
    const denied = await world.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'access.denied')
      .where('user_id', '=', world.ids['personal.advisor@example.org']!)
      .execute()
    expect(denied.length).toBeGreaterThanOrEqual(2)
    // The rows the tests above saved (the last two corrections back below it), none by this person.
    expect(await rowsOf()).toHaveLength(7)
  })
})
