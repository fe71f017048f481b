import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { makeAttainmentEntry } from '../../testing/factories.ts'

/*
 * "Not making expected progress" on the child's record main page (issue 19), at its edges, and
 * the same children on the Virtual School's list with that flag: the record and the list ask one
 * rule (subjectsBehindTwoTerms). Today is Monday 23 November 2026, autumn term 2026; the term
 * before is summer 2026 (academic year 2025/26).
 *
 *   One     behind in autumn only (summer at the expected standard): no flag
 *   Two     behind in summer and autumn: flagged
 *   Caught  behind in spring and summer, at the expected standard in autumn: no flag
 *   Stage   born May 2021: Reception in summer (early years goals, emerging), Year 1 in autumn
 *           (primary standards, working towards): behind on each scale, flagged
 *   Goal    the same child's twin, who met the early learning goal in Reception: no flag
 *   Fixed   behind in summer and autumn, then the school corrects autumn: flagged, then not
 *   Carried behind in spring and summer, autumn's levels not in yet: flagged (until they are)
 *   Stale   behind in autumn and spring a year ago, nothing since: no flag
 */

let world: DemoWorld
const ids: Record<string, string> = {}
const SW = 'social.worker@example.org'
const DT = 'designated.teacher@example.org'
const summer = [2025, 'summer'] as const
const spring = [2025, 'spring'] as const
const autumn = [2026, 'autumn'] as const
const lastAutumn = [2025, 'autumn'] as const

async function entry(
  name: string,
  [academicYear, term]: readonly [number, 'autumn' | 'spring' | 'summer'],
  scale: 'primary' | 'early-years',
  workingAt: string,
) {
  await makeAttainmentEntry(world.t.database.db, {
    childId: ids[name]!,
    term: { academicYear, name: term },
    scale,
    workingAt,
  })
}

beforeAll(async () => {
  world = await demoWorld()
  const born: Record<string, string> = { Stage: '2021-05-01', Goal: '2021-05-01' }
  for (const name of NAMES)
    ids[name] = await world.newChild({
      firstName: name,
      lastName: 'Progressrec',
      caseReference: `HFD-NMP-${name}`,
      dateOfBirth: born[name] ?? '2017-03-01',
      access: [
        [SW, 'social_worker'],
        [DT, 'designated_teacher'],
        ['carer@example.org', 'carer'],
      ],
    })
  await entry('One', summer, 'primary', 'expected')
  await entry('One', autumn, 'primary', 'working-towards')
  await entry('Two', summer, 'primary', 'working-towards')
  await entry('Two', autumn, 'primary', 'pre-key-stage')
  await entry('Caught', spring, 'primary', 'working-towards')
  await entry('Caught', summer, 'primary', 'working-towards')
  await entry('Caught', autumn, 'primary', 'expected')
  await entry('Stage', summer, 'early-years', 'emerging')
  await entry('Stage', autumn, 'primary', 'working-towards')
  await entry('Goal', summer, 'early-years', 'expected')
  await entry('Goal', autumn, 'primary', 'working-towards')
  await entry('Fixed', summer, 'primary', 'working-towards')
  await entry('Fixed', autumn, 'primary', 'working-towards')
  await entry('Carried', spring, 'primary', 'working-towards')
  await entry('Carried', summer, 'primary', 'pre-key-stage')
  await entry('Stale', lastAutumn, 'primary', 'working-towards')
  await entry('Stale', spring, 'primary', 'working-towards')
})
afterAll(() => world.close())

const NAMES = ['One', 'Two', 'Caught', 'Stage', 'Goal', 'Fixed', 'Carried', 'Stale']
const FLAG = 'Not making expected progress'

async function record(name: string, as = SW) {
  const response = await (await world.agent(as)).get(`/children/${ids[name]}`)
  return response
}

/** The children of this file on the Virtual School's list of those not making progress. */
async function listed(): Promise<string[]> {
  const head = await world.agent('vs.head@example.org')
  const page = await head.get('/oversight/children?term=2026-autumn&flag=not_making_progress')
  expect(page.statusCode).toBe(200)
  return [...page.body.matchAll(/Progressrec, (\w+)</g)].map((m) => m[1]!).sort()
}

describe('not making expected progress on the child’s record', () => {
  it('flags two terms running behind, not one term, not a term caught up, across a key stage', async () => {
    const flagged: string[] = []
    for (const name of NAMES) {
      const page = await record(name)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Attainment and progress')
      expect(page.body).toContain(`href="/children/${ids[name]}/attainment"`)
      if (page.body.includes(FLAG)) {
        expect(page.body).toContain('Behind what is expected for two terms running in Mathematics')
        flagged.push(name)
      } else expect(page.body).toContain('No subject behind what is expected for two terms running')
    }
    expect(flagged).toEqual(['Two', 'Stage', 'Fixed', 'Carried'])
    // The Virtual School's list flags exactly the same children.
    expect(await listed()).toEqual(['Carried', 'Fixed', 'Stage', 'Two'])
  })

  it('clears the flag when the school corrects the term to the expected standard', async () => {
    const dt = await world.agent(DT)
    await dt.get(`/children/${ids['Fixed']}/attainment/new`)
    const corrected = await dt.post(`/children/${ids['Fixed']}/attainment/new`, {
      subject: 'Mathematics',
      otherSubject: '',
      term: '2026-autumn',
      workingAt: 'expected',
      expected: 'expected',
      target: '',
    })
    expect(corrected.statusCode).toBe(303)
    expect((await record('Fixed')).body).not.toContain(FLAG)
    expect(await listed()).toEqual(['Carried', 'Stage', 'Two'])
  })

  it('is read only by those who may read the child’s education', async () => {
    // The designated teacher reads it; the carer reads the record without it.
    expect((await record('Two', DT)).body).toContain(FLAG)
    const carer = await record('Two', 'carer@example.org')
    expect(carer.statusCode).toBe(200)
    expect(carer.body).not.toContain(FLAG)
    expect(carer.body).not.toContain('Attainment and progress')
    // Someone of another authority gets the page not found, with no name and no flag.
    const other = await record('Two', 'eastmere.admin@example.org')
    expect(other.statusCode).toBe(404)
    expect(other.body).not.toContain('Progressrec')
    expect(other.body).not.toContain(FLAG)
  })
})
