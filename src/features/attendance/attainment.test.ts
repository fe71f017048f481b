import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/* Attainment over time through HTTP (issue 19): the scale of the key stage, progress flags, history. */

let world: DemoWorld
let childId: string
const DT = 'designated.teacher@example.org'

const entry = (term: string, workingAt: string, expected: string, over = {}) => ({
  subject: 'Mathematics',
  otherSubject: '',
  term,
  workingAt,
  expected,
  target: '6',
  ...over,
})

beforeAll(async () => {
  world = await demoWorld()
  // Born 15 October 2012: Year 9 in 2026/27, so GCSE grades.
  childId = await world.newChild({
    firstName: 'Ash',
    lastName: 'Progress',
    caseReference: 'HFD-ATN-1',
    access: [
      [DT, 'designated_teacher'],
      ['carer@example.org', 'carer'],
    ],
  })
})
afterAll(() => world.close())

describe('attainment over time', () => {
  it('offers the GCSE scale for a child in Year 9 and refuses what is missing, naming each field', async () => {
    const dt = await world.agent(DT)
    const form = await dt.get(`/children/${childId}/attainment/new`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('GCSE grades 9 to 1')
    expect(form.body).toContain('Autumn term 2026')
    const refused = await dt.post(`/children/${childId}/attainment/new`, {
      subject: 'other',
      otherSubject: '',
      term: '2026-autumn',
      workingAt: 'greater-depth',
      expected: '',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Select the subject, or enter it')
    expect(refused.body).toContain('Select where they are working now from the list')
    expect(refused.body).toContain('Select where they are expected to be by the end of the year')
  })

  it('flags a subject behind its expectation for two terms running, and clears it when a term is put right', async () => {
    const dt = await world.agent(DT)
    for (const term of ['2026-summer', '2026-autumn'])
      expect(
        (await dt.post(`/children/${childId}/attainment/new`, entry(term, '4', '5'))).statusCode,
      ).toBe(303)
    let page = await dt.get(`/children/${childId}/attainment`)
    expect(page.body).toContain('Not making expected progress in Mathematics')
    expect(page.body).toContain('Summer term 2026')
    // The school corrects this term: working at the expected grade. The old entry is kept.
    await dt.post(`/children/${childId}/attainment/new`, entry('2026-autumn', '5', '5'))
    page = await dt.get(`/children/${childId}/attainment`)
    expect(page.body).not.toContain('Not making expected progress')
    expect(page.body).toContain('Earlier: Grade 4, expected Grade 5')
    const rows = await world.t.database.db
      .selectFrom('attainment_entry')
      .select(['term', 'working_at', 'superseded_by'])
      .where('child_id', '=', childId)
      .orderBy('recorded_at')
      .execute()
    expect(rows).toHaveLength(3)
    expect(rows.filter((r) => r.superseded_by !== null)).toHaveLength(1)
    const audited = await world.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'child.attainment.record')
      .where('child_id', '=', childId)
      .execute()
    expect(audited).toHaveLength(3)
  })

  it('gives the carer nothing', async () => {
    const carer = await world.agent('carer@example.org')
    expect((await carer.get(`/children/${childId}/attainment`)).statusCode).toBe(404)
    expect(
      (await carer.post(`/children/${childId}/attainment/new`, entry('2026-autumn', '1', '9')))
        .statusCode,
    ).toBe(404)
  })
})
