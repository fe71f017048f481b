import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/* Recording exclusions through HTTP (issue 19): the form's refusals, the list, the Virtual School's task. */

let world: DemoWorld
let childId: string
const DT = 'designated.teacher@example.org'

const exclusion = (over: Record<string, string> = {}) => ({
  kind: 'suspension',
  'startsOn-day': '2',
  'startsOn-month': '11',
  'startsOn-year': '2026',
  'endsOn-day': '9',
  'endsOn-month': '11',
  'endsOn-year': '2026',
  sessionsMissed: '12',
  reason: 'verbal-abuse-adult',
  provision: 'Timetable at the Harrowfield Learning Centre from the sixth day',
  ...over,
})

beforeAll(async () => {
  world = await demoWorld()
  childId = await world.newChild({
    firstName: 'Kit',
    lastName: 'Suspended',
    caseReference: 'HFD-EXC-1',
    access: [
      [DT, 'designated_teacher'],
      ['carer@example.org', 'carer'],
    ],
  })
})
afterAll(() => world.close())

describe('exclusions', () => {
  it('refuses a suspension past five days without the provision from the sixth, keeping what was typed', async () => {
    const dt = await world.agent(DT)
    expect((await dt.get(`/children/${childId}/exclusions/new`)).statusCode).toBe(200)
    const refused = await dt.post(
      `/children/${childId}/exclusions/new`,
      exclusion({ provision: '' }),
    )
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Enter the provision from the sixth day')
    expect(refused.body).toContain('value="12"')
    const blank = await dt.post(`/children/${childId}/exclusions/new`, {})
    expect(blank.body).toContain('Select whether it is a suspension or a permanent exclusion')
    expect(blank.body).toContain('Select the reason')
    expect(await world.t.database.db.selectFrom('exclusion').selectAll().execute()).toEqual([])
  })

  it('records a suspension, shows it and gives the Virtual School a task the same moment', async () => {
    const dt = await world.agent(DT)
    const saved = await dt.post(`/children/${childId}/exclusions/new`, exclusion())
    expect(saved.statusCode).toBe(303)
    const page = await dt.get(`/children/${childId}/attendance`)
    expect(page.body).toContain('Suspension, 2 November 2026 to 9 November 2026')
    expect(page.body).toContain('Verbal abuse or threatening behaviour against an adult')
    expect(page.body).toContain('Harrowfield Learning Centre')
    const tasks = await world.t.database.db
      .selectFrom('task')
      .select(['group_role', 'kind', 'title', 'created_at'])
      .where('child_id', '=', childId)
      .execute()
    expect(tasks).toEqual([
      {
        group_role: 'vs_consultant',
        kind: 'exclusion-recorded',
        title: 'A suspension of 12 sessions was recorded: check the provision',
        created_at: world.t.clock.now(),
      },
    ])
    const audited = await world.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'child.exclusion.add')
      .where('child_id', '=', childId)
      .execute()
    expect(audited).toHaveLength(1)
    const consultant = await world.agent('vs.consultant@example.org')
    const tray = await consultant.get('/tray/group/vs-consultants')
    expect(tray.body).toContain('A suspension of 12 sessions was recorded')
  })

  it('records a permanent exclusion with no last day', async () => {
    const dt = await world.agent(DT)
    const saved = await dt.post(
      `/children/${childId}/exclusions/new`,
      exclusion({
        kind: 'permanent',
        'endsOn-day': '',
        'endsOn-month': '',
        'endsOn-year': '',
        sessionsMissed: '',
      }),
    )
    expect(saved.statusCode).toBe(303)
    const page = await dt.get(`/children/${childId}/attendance`)
    expect(page.body).toContain('Permanent exclusion, From 2 November 2026')
  })

  it('gives the carer nothing', async () => {
    const carer = await world.agent('carer@example.org')
    expect((await carer.get(`/children/${childId}/exclusions/new`)).statusCode).toBe(404)
    const post = await carer.post(`/children/${childId}/exclusions/new`, exclusion())
    expect(post.statusCode).toBe(404)
    expect(
      await world.t.database.db
        .selectFrom('exclusion')
        .selectAll()
        .where('child_id', '=', childId)
        .execute(),
    ).toHaveLength(2)
  })
})

describe('correcting an exclusion', () => {
  let corrected: string
  const db = () => world.t.database.db
  const tasksOf = (id: string) =>
    db()
      .selectFrom('task')
      .select(['title', 'status', 'closed_by', 'about_date'])
      .where('child_id', '=', id)
      .where('kind', '=', 'exclusion-recorded')
      .orderBy('created_at')
      .orderBy('status')
      .orderBy('title')
      .execute()
  const onlyExclusion = async () =>
    db()
      .selectFrom('exclusion')
      .select(['id', 'version', 'status', 'sessions_missed'])
      .where('child_id', '=', corrected)
      .executeTakeFirstOrThrow()
  const correct = async (over: Record<string, string>) => {
    const dt = await world.agent(DT)
    const { id, version } = await onlyExclusion()
    const url = `/children/${corrected}/exclusions/${id}/correct`
    expect((await dt.get(url)).statusCode).toBe(200)
    return dt.post(url, exclusion({ status: 'in-force', version: String(version), ...over }))
  }

  beforeAll(async () => {
    corrected = await world.newChild({
      firstName: 'Remy',
      lastName: 'Corrected',
      caseReference: 'HFD-EXC-2',
      access: [
        [DT, 'designated_teacher'],
        ['carer@example.org', 'carer'],
      ],
    })
    const dt = await world.agent(DT)
    const saved = await dt.post(`/children/${corrected}/exclusions/new`, exclusion())
    expect(saved.statusCode).toBe(303)
  })

  it('keeps every earlier version on the attendance page, and the task stays open for a correction that still needs action', async () => {
    const dt = await world.agent(DT)
    const form = await dt.get(
      `/children/${corrected}/exclusions/${(await onlyExclusion()).id}/correct`,
    )
    expect(form.body).toContain('Correcting the suspension from 2 November 2026')
    expect(form.body).toContain('value="12"')
    expect((await correct({ sessionsMissed: '14' })).statusCode).toBe(303)
    expect(await onlyExclusion()).toMatchObject({
      version: 2,
      status: 'in-force',
      sessions_missed: 14,
    })
    const page = await dt.get(`/children/${corrected}/attendance`)
    expect(page.body).toContain('Earlier versions (1)')
    expect(page.body).toContain(
      ': Suspension, 2 November 2026 to 9 November 2026; sessions missed 12;',
    )
    expect(await tasksOf(corrected)).toEqual([
      expect.objectContaining({ status: 'open', about_date: '2026-11-02' }),
    ])
    const revisions = await db()
      .selectFrom('exclusion_revision')
      .select(['version'])
      .where('child_id', '=', corrected)
      .orderBy('version')
      .execute()
    expect(revisions).toEqual([{ version: 1 }, { version: 2 }])
    const audited = await db()
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'child.exclusion.correct')
      .where('child_id', '=', corrected)
      .execute()
    expect(audited).toHaveLength(1)
    // The history cannot be rewritten.
    await expect(
      db()
        .updateTable('exclusion_revision')
        .set({ version: 9 })
        .where('child_id', '=', corrected)
        .execute(),
    ).rejects.toThrow(/append-only/)
  })

  it('refuses a stale form, keeping what was typed and changing nothing', async () => {
    const dt = await world.agent(DT)
    const { id } = await onlyExclusion()
    const stale = await dt.post(
      `/children/${corrected}/exclusions/${id}/correct`,
      exclusion({
        status: 'in-force',
        version: '1',
        sessionsMissed: '16',
        provision: 'Typed 🙂 ünïcode',
      }),
    )
    expect(stale.statusCode).toBe(409)
    expect(stale.body).toContain('Someone corrected this exclusion after you opened the form')
    expect(stale.body).toContain('value="16"')
    expect(stale.body).toContain('Typed 🙂 ünïcode')
    expect(await onlyExclusion()).toMatchObject({ version: 2, sessions_missed: 14 })
  })

  it('refuses a missing answer to whether it stands, naming the field', async () => {
    const refused = await correct({ status: '' })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('href="#status"')
    expect(refused.body).toContain('Select whether the exclusion still stands')
  })

  it('closes the Virtual School’s task when withdrawn (no action), and raises a new one when made a permanent exclusion', async () => {
    expect((await correct({ status: 'withdrawn', provision: '' })).statusCode).toBe(303)
    expect(await tasksOf(corrected)).toEqual([
      expect.objectContaining({ status: 'done', closed_by: world.ids[DT] }),
    ])
    const page = await (await world.agent(DT)).get(`/children/${corrected}/attendance`)
    expect(page.body).toContain('Withdrawn or the pupil reinstated')
    expect(page.body).toContain('Earlier versions (2)')
    // Back in force as a permanent exclusion: news for the Virtual School again.
    const permanent = await correct({
      kind: 'permanent',
      'endsOn-day': '',
      'endsOn-month': '',
      'endsOn-year': '',
      sessionsMissed: '',
    })
    expect(permanent.statusCode).toBe(303)
    expect((await tasksOf(corrected)).map((t) => [t.title, t.status])).toEqual([
      ['A suspension of 12 sessions was recorded: check the provision', 'done'],
      ['A permanent exclusion was recorded: check the provision from the sixth day', 'open'],
    ])
  })

  it('gives nothing to the carer, another school’s teacher or another authority: 404 without the child’s name', async () => {
    const { id, version } = await onlyExclusion()
    const url = `/children/${corrected}/exclusions/${id}/correct`
    for (const email of [
      'carer@example.org',
      'designated.person@example.org',
      'eastmere.admin@example.org',
    ]) {
      const agent = await world.agent(email)
      const page = await agent.get(url)
      expect(page.statusCode, email).toBe(404)
      expect(page.body).not.toContain('Corrected')
      const post = await agent.post(
        url,
        exclusion({ status: 'in-error', version: String(version) }),
      )
      expect(post.statusCode, email).toBe(404)
      expect(post.body).not.toContain('Remy')
    }
    expect((await onlyExclusion()).version).toBe(version)
  })
})
