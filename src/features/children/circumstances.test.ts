import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/*
 * A child's education circumstances through HTTP (issue 17): alternative provision, part-time
 * timetables and NEET, with their dates at the edges (today is Monday 23 November 2026 in the
 * test clock), kept over time, audited, and read by staff only.
 */

let world: DemoWorld
let childId: string
let youngerId: string
let otherSchoolChildId: string
/** The child the demo young person's account is (their own record). */
let ownChildId: string
const VS = 'vs.consultant@example.org'
const SW = 'social.worker@example.org'

const date = (prefix: string, iso: string) => {
  if (iso === '') return { [`${prefix}-day`]: '', [`${prefix}-month`]: '', [`${prefix}-year`]: '' }
  const [y, m, d] = iso.split('-')
  return {
    [`${prefix}-day`]: String(Number(d)),
    [`${prefix}-month`]: String(Number(m)),
    [`${prefix}-year`]: y!,
  }
}
const url = (id: string, kind: string) => `/children/${id}/provision-and-timetable/new/${kind}`
const periods = (id: string) =>
  world.t.database.db
    .selectFrom('child_education_circumstance')
    .select(['kind', 'starts_on', 'ends_on', 'provider', 'hours_per_week', 'reason'])
    .where('child_id', '=', id)
    .orderBy('starts_on')
    .orderBy('kind')
    .execute()

beforeAll(async () => {
  world = await demoWorld()
  childId = await world.newChild({
    firstName: 'Rowan',
    lastName: 'Provision',
    caseReference: 'HFD-CIRC-1',
    // 16 on 31 August 2026: year 12 this school year.
    dateOfBirth: '2010-05-01',
    access: [
      [SW, 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
      ['carer@example.org', 'carer'],
    ],
  })
  youngerId = await world.newChild({
    firstName: 'Sky',
    lastName: 'Yeareleven',
    caseReference: 'HFD-CIRC-2',
    // 16 on 1 September 2026: 15 on the 31 August before, so year 11.
    dateOfBirth: '2010-09-01',
    access: [[SW, 'social_worker']],
  })
  otherSchoolChildId = await world.newChild({
    firstName: 'Quill',
    lastName: 'Elsewhere',
    caseReference: 'HFD-CIRC-3',
    access: [[SW, 'social_worker']],
  })
  ownChildId = (
    await world.t.database.db
      .selectFrom('child_access')
      .select('child_id')
      .where('user_id', '=', world.ids['young.person@example.org']!)
      .where('capacity', '=', 'young_person')
      .executeTakeFirstOrThrow()
  ).child_id
})
afterAll(() => world.close())

describe('recording alternative provision, part-time timetables and NEET', () => {
  it('refuses a blank form with an error summary naming each field, keeping what was typed', async () => {
    const vs = await world.agent(VS)
    expect((await vs.get(url(childId, 'alternative-provision'))).statusCode).toBe(200)
    const blank = await vs.post(url(childId, 'alternative-provision'), {
      provider: '',
      ...date('startsOn', ''),
      ...date('endsOn', ''),
    })
    expect(blank.statusCode).toBe(400)
    expect(blank.body).toContain('There is a problem')
    expect(blank.body).toContain('href="#provider"')
    expect(blank.body).toContain('Enter the provider’s name')
    expect(blank.body).toContain('href="#startsOn-day"')
    expect(blank.body).toContain('Enter the first day')
    const part = await vs.post(url(childId, 'part-time'), {
      hoursPerWeek: '32.5',
      reason: 'Phased return 🌱 after illness',
      ...date('startsOn', '2026-11-02'),
      ...date('endsOn', ''),
    })
    expect(part.statusCode).toBe(400)
    expect(part.body).toContain('fewer than a full-time week of 32.5 hours')
    expect(part.body).toContain('Phased return 🌱 after illness')
    expect(part.body).toContain('value="32.5"')
    expect(await periods(childId)).toEqual([])
  })

  it('refuses a last day before the first, and takes the same day', async () => {
    const vs = await world.agent(VS)
    const before = await vs.post(url(childId, 'alternative-provision'), {
      provider: 'Harrowfield Learning Centre',
      ...date('startsOn', '2026-11-02'),
      ...date('endsOn', '2026-11-01'),
    })
    expect(before.statusCode).toBe(400)
    expect(before.body).toContain('The last day must be the same as or after the first day')
    const same = await vs.post(url(childId, 'alternative-provision'), {
      provider: 'Harrowfield Learning Centre',
      ...date('startsOn', '2026-11-02'),
      ...date('endsOn', '2026-11-02'),
    })
    expect(same.statusCode).toBe(303)
  })

  it('takes alternative provision arranged up to 90 days ahead, not 91', async () => {
    const vs = await world.agent(VS)
    const late = await vs.post(url(childId, 'alternative-provision'), {
      provider: 'Far Ahead Academy',
      ...date('startsOn', '2027-02-22'),
      ...date('endsOn', ''),
    })
    expect(late.statusCode).toBe(400)
    expect(late.body).toContain('The first day must be within 90 days from today')
    const ok = await vs.post(url(childId, 'alternative-provision'), {
      provider: 'Ørsted Farm School 🚜',
      ...date('startsOn', '2027-02-21'),
      ...date('endsOn', ''),
    })
    expect(ok.statusCode).toBe(303)
  })

  it('takes NEET for post-16 only, from today or earlier', async () => {
    const sw = await world.agent(SW)
    expect((await sw.get(url(childId, 'neet'))).statusCode).toBe(200)
    const tomorrow = await sw.post(url(childId, 'neet'), {
      ...date('startsOn', '2026-11-24'),
      ...date('endsOn', ''),
    })
    expect(tomorrow.statusCode).toBe(400)
    expect(tomorrow.body).toContain('The first day must be today or in the past')
    const year11 = await sw.post(url(youngerId, 'neet'), {
      ...date('startsOn', '2026-11-23'),
      ...date('endsOn', ''),
    })
    expect(year11.statusCode).toBe(400)
    expect(year11.body).toContain('NEET is for young people in year 12 or later')
    const today = await sw.post(url(childId, 'neet'), {
      ...date('startsOn', '2026-11-23'),
      ...date('endsOn', ''),
    })
    expect(today.statusCode).toBe(303)
    // A second NEET period overlapping the open one is refused.
    const overlap = await sw.post(url(childId, 'neet'), {
      ...date('startsOn', '2026-10-01'),
      ...date('endsOn', '2026-11-23'),
    })
    expect(overlap.statusCode).toBe(409)
    expect(overlap.body).toContain('overlaps a period of the same kind')
  })

  it('keeps every period, shows them on the record, and records the last day once', async () => {
    const vs = await world.agent(VS)
    const saved = await vs.post(url(childId, 'part-time'), {
      hoursPerWeek: '12.5',
      reason: 'Phased return 🌱 after illness',
      ...date('startsOn', '2026-11-09'),
      ...date('endsOn', ''),
    })
    expect(saved.statusCode).toBe(303)
    expect(await periods(childId)).toEqual([
      {
        kind: 'alternative_provision',
        starts_on: '2026-11-02',
        ends_on: '2026-11-02',
        provider: 'Harrowfield Learning Centre',
        hours_per_week: null,
        reason: null,
      },
      {
        kind: 'part_time',
        starts_on: '2026-11-09',
        ends_on: null,
        provider: null,
        hours_per_week: expect.anything(),
        reason: 'Phased return 🌱 after illness',
      },
      {
        kind: 'neet',
        starts_on: '2026-11-23',
        ends_on: null,
        provider: null,
        hours_per_week: null,
        reason: null,
      },
      {
        kind: 'alternative_provision',
        starts_on: '2027-02-21',
        ends_on: null,
        provider: 'Ørsted Farm School 🚜',
        hours_per_week: null,
        reason: null,
      },
    ])
    const record = await vs.get(`/children/${childId}`)
    expect(record.body).toContain(
      'On a part-time timetable of 12.5 hours a week, from 9 November 2026',
    )
    expect(record.body).toContain('NEET (post-16), from 23 November 2026')
    expect(record.body).not.toContain('Harrowfield Learning Centre')
    const page = await vs.get(`/children/${childId}/provision-and-timetable`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Harrowfield Learning Centre')
    expect(page.body).toContain('12.5 hours a week: Phased return 🌱 after illness')

    const { id } = await world.t.database.db
      .selectFrom('child_education_circumstance')
      .select('id')
      .where('child_id', '=', childId)
      .where('kind', '=', 'part_time')
      .executeTakeFirstOrThrow()
    const end = `/children/${childId}/provision-and-timetable/${id}/end`
    expect((await vs.get(end)).statusCode).toBe(200)
    const before = await vs.post(end, date('endsOn', '2026-11-08'))
    expect(before.statusCode).toBe(400)
    expect(before.body).toContain('The last day must be the same as or after the first day')
    expect((await vs.post(end, date('endsOn', '2026-11-20'))).statusCode).toBe(303)
    expect((await vs.get(end)).statusCode).toBe(404)
    expect((await vs.post(end, date('endsOn', '2026-11-21'))).statusCode).toBe(303)
    const ended = await world.t.database.db
      .selectFrom('child_education_circumstance')
      .select(['ends_on', 'ended_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(ended).toEqual({ ends_on: '2026-11-20', ended_by: world.ids[VS] })

    const events = await world.t.database.db
      .selectFrom('child_event')
      .select('summary')
      .where('child_id', '=', childId)
      .orderBy('recorded_at')
      .orderBy('summary')
      .execute()
    expect(events.map((e) => e.summary)).toContain(
      'Part-time timetable of 12.5 hours a week from 9 November 2026 to 20 November 2026: last day recorded',
    )
    const audited = await world.t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('child_id', '=', childId)
      .where('action', 'in', [
        'child.circumstances.add',
        'child.circumstances.end',
        'child.circumstances.view',
      ])
      .execute()
    expect(audited.filter((a) => a.action === 'child.circumstances.add')).toHaveLength(4)
    expect(audited.filter((a) => a.action === 'child.circumstances.end')).toHaveLength(1)
    expect(audited.some((a) => a.action === 'child.circumstances.view')).toBe(true)
  })
})

describe('who may read and record them', () => {
  it('lets the designated teacher read, not record', async () => {
    const dt = await world.agent('designated.teacher@example.org')
    expect((await dt.get(`/children/${childId}/provision-and-timetable`)).statusCode).toBe(200)
    const post = await dt.post(url(childId, 'alternative-provision'), {
      provider: 'Not allowed',
      ...date('startsOn', '2026-11-02'),
    })
    expect(post.statusCode).toBe(404)
    expect(post.body).not.toContain('Rowan')
  })

  it.each([
    ['the carer', 'carer@example.org', childId],
    ['the young person, on their own record', 'young.person@example.org', childId],
    ['another authority', 'eastmere.admin@example.org', childId],
    ['a teacher not on the child', 'designated.teacher@example.org', otherSchoolChildId],
  ])('gives %s a 404 without the name', async (_who, email) => {
    const agent = await world.agent(email)
    // The child is chosen once the world exists.
    const id =
      email === 'designated.teacher@example.org'
        ? otherSchoolChildId
        : email === 'young.person@example.org'
          ? ownChildId
          : childId
    for (const path of [`/children/${id}/provision-and-timetable`, url(id, 'neet')]) {
      const page = await agent.get(path)
      expect(page.statusCode).toBe(404)
      expect(page.body).not.toContain('Provision')
      expect(page.body).not.toContain('Elsewhere')
    }
    const post = await agent.post(url(id, 'alternative-provision'), {
      provider: 'Not allowed',
      ...date('startsOn', '2026-11-02'),
    })
    expect(post.statusCode).toBe(404)
    expect(await periods(otherSchoolChildId)).toEqual([])
  })

  it('does not show the carer the record’s provision section', async () => {
    const carer = await world.agent('carer@example.org')
    const record = await carer.get(`/children/${childId}`)
    expect(record.statusCode).toBe(200)
    expect(record.body).not.toContain('part-time timetable')
    expect(record.body).not.toContain('Provision and timetable')
  })
})
