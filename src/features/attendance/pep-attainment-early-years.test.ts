import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { currentAttainment, makeAttainmentEntry } from '../../testing/factories.ts'

/*
 * An Early Years PEP's termly attainment table (issue 19), through HTTP: the early years form has
 * no attainment page, so its achievements page holds the table, on the early learning goals
 * (emerging, expected, exceeding). It shows the last terms beside the PEP's, saves this term's
 * levels to the child's history with the page, and refuses a level of another key stage's scale.
 * The child, born 10 January 2022, is in Reception in 2026/27.
 */

let world: DemoWorld
let childId: string
let pepId: string
const SW = 'social.worker@example.org'
const pageUrl = () => `/children/${childId}/peps/${pepId}/pages/achievements`
const versionOn = (body: string) => /name="version" value="(\d+)"/.exec(body)![1]!

const history = () => currentAttainment(world.t.database.db, childId)

beforeAll(async () => {
  world = await demoWorld()
  childId = await world.newChild({
    firstName: 'Ivy',
    lastName: 'Reception',
    caseReference: 'HFD-ATN-EY',
    dateOfBirth: '2022-01-10',
    access: [
      [SW, 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
      ['carer@example.org', 'carer'],
    ],
  })
  pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
  // The nursery gave summer's levels on the record: Mathematics emerging, expected to be met.
  await makeAttainmentEntry(world.t.database.db, {
    childId,
    term: { academicYear: 2025, name: 'summer' },
    scale: 'early-years',
    workingAt: 'emerging',
  })
})
afterAll(() => world.close())

describe('the Early Years PEP’s termly attainment table', () => {
  it('is on the achievements page, on the early learning goals, with the last terms beside it', async () => {
    const form = await world.t.database.db
      .selectFrom('pep')
      .select('form_type')
      .where('id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(form.form_type).toBe('early_years')
    const page = await (await world.agent(SW)).get(pageUrl())
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Attainment this term: Autumn term 2026')
    expect(page.body).toContain('Early years goals')
    expect(page.body).toContain('Expected (early learning goal met)')
    expect(page.body).not.toContain('Working at the expected standard')
    expect(page.body).toMatch(/Autumn term 2025[\s\S]*Spring term 2026[\s\S]*Summer term 2026/)
    expect(page.body).toMatch(/Summer term 2026<\/th>\s*<td class="govuk-table__cell">Emerging/)
    for (const subject of [
      'Communication and language',
      'Personal, social and emotional development',
      'Mathematics',
    ])
      expect(page.body).toContain(`value="${subject}"`)
    // The page's own questions are still there, after the table.
    expect(page.body).toContain('What has the child achieved since the last PEP?')
  })

  it('saves this term’s levels to the child’s history with the page, and refuses another scale’s', async () => {
    const sw = await world.agent(SW)
    const opened = await sw.get(pageUrl())
    const row = (i: number, subject: string, workingAt: string, expected: string) => ({
      [`attainment-${i}-subject`]: subject,
      [`attainment-${i}-seen`]: '',
      [`attainment-${i}-workingAt`]: workingAt,
      [`attainment-${i}-expected`]: expected,
      [`attainment-${i}-target`]: '',
    })
    const refused = await sw.post(pageUrl(), {
      version: versionOn(opened.body),
      action: 'later',
      ...row(0, 'Communication and language', 'working-towards', 'expected'),
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('govuk-error-summary')
    expect(refused.body).toContain('Communication and language:')
    expect(await history()).toHaveLength(1)

    const saved = await sw.post(pageUrl(), {
      version: versionOn(opened.body),
      action: 'later',
      ...row(0, 'Communication and language', 'expected', 'expected'),
      ...row(1, 'Personal, social and emotional development', '', ''),
      ...row(2, 'Mathematics', 'emerging', 'expected'),
      achievements: 'Counts to ten and joins in at circle time.',
    })
    expect(saved.statusCode).toBe(303)
    expect((await history()).filter((r) => r.term === 'autumn')).toEqual([
      {
        subject: 'Communication and language',
        academic_year: 2026,
        term: 'autumn',
        working_at: 'expected',
        expected: 'expected',
        target: null,
        scale: 'early-years',
      },
      {
        subject: 'Mathematics',
        academic_year: 2026,
        term: 'autumn',
        working_at: 'emerging',
        expected: 'expected',
        target: null,
        scale: 'early-years',
      },
    ])
    // Behind in summer and autumn: not making expected progress, on the page and the record.
    expect((await sw.get(pageUrl())).body).toContain('Not making expected progress')
    const record = await sw.get(`/children/${childId}`)
    expect(record.body).toContain('Behind what is expected for two terms running in Mathematics')
  })
})
