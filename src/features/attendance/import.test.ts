import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withCheckLetter } from '../../domain/upn.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/*
 * The Virtual School's attendance import through HTTP (issue 19): every bad row reported by line,
 * column and reason with nothing saved; a good file saved whole, with its alarms; the same file
 * again changing nothing; changed figures corrected with the old kept.
 */

let world: DemoWorld
let vs: Awaited<ReturnType<DemoWorld['agent']>>
const UPN_A = withCheckLetter('990000000001')
const UPN_B = withCheckLetter('990000000002')
let childA: string
let childB: string
const HEADER =
  'upn,school_urn,period_start,period_end,sessions_possible,sessions_attended,authorised_absence,unauthorised_absence'

const upload = (lines: string[]) =>
  vs.postMultipart(
    '/attendance/import',
    { authority: world.authorityId },
    {
      field: 'file',
      filename: 'attendance.csv',
      contentType: 'text/csv',
      content: Buffer.from([HEADER, ...lines].join('\r\n')),
    },
  )

const periods = () =>
  world.t.database.db
    .selectFrom('attendance_period')
    .select(['child_id', 'sessions_attended', 'superseded_at', 'source'])
    .where('child_id', 'in', [childA, childB])
    .orderBy('recorded_at')
    // A correction is recorded at the same instant of the test clock: the one it replaced first.
    .orderBy(sql`superseded_at is null`)
    .execute()

const alarms = () =>
  world.t.database.db
    .selectFrom('task')
    .select(['child_id', 'is_alert', 'group_role'])
    .where('kind', '=', 'attendance-below')
    .where('child_id', 'in', [childA, childB])
    .orderBy('is_alert', 'desc')
    .execute()

const alarmStates = () =>
  world.t.database.db
    .selectFrom('task')
    .select(['is_alert', 'status', 'closed_by'])
    .where('kind', '=', 'attendance-below')
    .where('child_id', '=', childB)
    .orderBy('is_alert', 'desc')
    .execute()

const GOOD = [
  // A period spanning two terms, at Kingsmead.
  `${UPN_A},990002,2026-07-01,2026-09-30,60,58,2,0`,
  // The same child at Oakbridge for part of the autumn: each school's part on its own.
  `${UPN_A},990001,01/09/2026,23/10/2026,76,70,6,0`,
  // Below the line: an alarm for the social worker and the Virtual School.
  `${UPN_B},990002,2026-09-01,2026-10-23,76,60,10,6`,
]

beforeAll(async () => {
  world = await demoWorld()
  const access = [['social.worker@example.org', 'social_worker']] as const
  childA = await world.newChild({
    firstName: 'Ines',
    lastName: 'Imported',
    caseReference: 'HFD-IMP-A',
    access,
  })
  childB = await world.newChild({
    firstName: 'Jude',
    lastName: 'Imported',
    caseReference: 'HFD-IMP-B',
    access,
  })
  for (const [id, upn] of [
    [childA, UPN_A],
    [childB, UPN_B],
  ] as const)
    await world.t.database.db.updateTable('child').set({ upn }).where('id', '=', id).execute()
  vs = await world.agent('vs.consultant@example.org')
  await vs.get('/attendance/import')
})
afterAll(() => world.close())

describe('importing attendance', () => {
  it('offers a template with the columns alone', async () => {
    const template = await vs.get('/attendance/import/template.csv')
    expect(template.statusCode).toBe(200)
    expect(template.body.trim()).toBe(HEADER)
  })

  it('saves nothing and reports every bad row by line, column and reason', async () => {
    const response = await upload([
      GOOD[0]!,
      `${withCheckLetter('990000000009')},990002,2026-09-01,2026-10-23,76,70,6,0`,
      `${UPN_B},999999,2026-09-01,2026-10-23,76,70,6,0`,
      `${UPN_B},990002,2026-09-01,2026-10-23,76,77,0,0`,
      `${UPN_B},990002,2026-13-01,2026-10-23,76,70,6,0`,
      GOOD[0]!,
    ])
    expect(response.statusCode).toBe(400)
    const body = response.body
    expect(body).toContain('No child of Harrowfield')
    expect(body).toContain('There is no school with the URN 999999')
    expect(body).toContain('Sessions attended (77) cannot be more than the sessions possible (76)')
    expect(body).toContain('period_start must be a real date')
    expect(body).toContain('The same child, school and period are also on line 2')
    expect(body).toContain('5 of 6 rows have problems. Nothing was imported.')
    expect(await periods()).toEqual([])
    const failed = await world.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'attendance.import')
      .where('outcome', '=', 'failure')
      .execute()
    expect(failed).toHaveLength(1)
  })

  it('saves a good file whole, each school its own part, and raises the alarm below the line', async () => {
    const response = await upload(GOOD)
    expect(response.statusCode).toBe(303)
    const page = await vs.get('/attendance/import')
    expect(page.body).toContain(
      '3 rows imported: 3 new periods, 0 corrected, 0 unchanged. 1 below the line alerted.',
    )
    expect(await periods()).toHaveLength(3)
    expect(await alarms()).toEqual([
      { child_id: childB, is_alert: true, group_role: null },
      { child_id: childB, is_alert: false, group_role: 'vs_consultant' },
    ])
    const record = await vs.get(`/children/${childA}/attendance`)
    expect(record.body).toContain('Oakbridge Primary School')
    expect(record.body).toContain('1 July 2026 to 30 September 2026')
  })

  it('changes nothing when the same file comes again', async () => {
    const response = await upload(GOOD)
    expect(response.statusCode).toBe(303)
    const page = await vs.get('/attendance/import')
    expect(page.body).toContain('0 new periods, 0 corrected, 3 unchanged')
    expect(await periods()).toHaveLength(3)
    expect(await alarms()).toHaveLength(2)
  })

  it('corrects a period whose figures changed, keeping the old, without a second alarm', async () => {
    const response = await upload([`${UPN_B},990002,2026-09-01,2026-10-23,76,62,8,6`])
    expect(response.statusCode).toBe(303)
    const rows = (await periods()).filter((r) => r.child_id === childB)
    expect(rows.map((r) => [r.sessions_attended, r.superseded_at !== null])).toEqual([
      [60, true],
      [62, false],
    ])
    expect(await alarms()).toHaveLength(2)
    // Still below the line (62 of 76): the Virtual School's task stays open.
    expect((await alarmStates()).map((a) => a.status)).toEqual(['open', 'open'])
  })

  it('closes the Virtual School’s task when a correction brings the period to exactly the line', async () => {
    // 68 of 76 (89.5%) is still below; 72 of 80 is exactly 90.0%, the line, which is not below it.
    await upload([`${UPN_B},990002,2026-09-01,2026-10-23,76,68,2,6`])
    expect((await alarmStates()).map((a) => a.status)).toEqual(['open', 'open'])
    const response = await upload([`${UPN_B},990002,2026-09-01,2026-10-23,80,72,2,6`])
    expect(response.statusCode).toBe(303)
    // The social worker's alert stays until dismissed; the task is done, by the import.
    expect(await alarmStates()).toEqual([
      { is_alert: true, status: 'open', closed_by: null },
      { is_alert: false, status: 'done', closed_by: world.ids['vs.consultant@example.org'] },
    ])
  })

  it('alarms again when a later file takes the period back below the line, once however often it comes', async () => {
    const below = [`${UPN_B},990002,2026-09-01,2026-10-23,80,71,3,6`] // 88.75%
    expect((await upload(below)).statusCode).toBe(303)
    const states = async () =>
      (await alarmStates())
        .map((a) => [a.is_alert, a.status])
        .sort((a, b) => String(a).localeCompare(String(b)))
    const twice = [
      [false, 'done'],
      [false, 'open'],
      [true, 'open'],
      [true, 'open'],
    ]
    expect(await states()).toEqual(twice)
    // The same file again: unchanged, no alarm.
    expect((await upload(below)).statusCode).toBe(303)
    expect((await vs.get('/attendance/import')).body).toContain(
      '0 new periods, 0 corrected, 1 unchanged',
    )
    expect(await states()).toEqual(twice)
    // Corrected but still below (70 of 80): the same fall, no alarm.
    expect((await upload([`${UPN_B},990002,2026-09-01,2026-10-23,80,70,4,6`])).statusCode).toBe(303)
    expect(await states()).toEqual(twice)
  })

  it('is for the Virtual School only', async () => {
    const sw = await world.agent('social.worker@example.org')
    expect((await sw.get('/attendance/import')).statusCode).toBe(403)
  })
})
