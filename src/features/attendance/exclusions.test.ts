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
    expect(await world.t.database.db.selectFrom('exclusion').selectAll().execute()).toHaveLength(2)
  })
})
