import type { KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { myStatutoryDeadlines } from './deadlines.service.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { makePep } from '../../testing/factories.ts'

/*
 * The statutory clock in the social worker's tray (issue 19), through HTTP. Today (the test
 * clock) is Monday 23 November 2026; the authority's longest gap between reviews is 6 months.
 * - Noor entered care on 2 November: initiate by 16 November (late), meeting by 30 November.
 * - Pia's entry into care is planned for 4 January 2027: initiate by 18 January, not late.
 * - Ben's last review was 22 May 2026: due by 22 November, late; Ada's 23 May: due today, in time.
 */

let world: DemoWorld
const SW = 'social.worker@example.org'
const ids: Record<string, string> = {}

const rowsFor = (body: string, childId: string) =>
  [
    ...body.matchAll(
      new RegExp(
        `href="/children/${childId}">[^<]+</a></th>\\s*<td class="govuk-table__cell" data-label="Deadline">([^<]+)(<strong[^>]*>\\s*Late)?`,
        'g',
      ),
    ),
  ].map((m) => `${m[1]!.trim()}${m[2] ? ' [Late]' : ''}`)

const child = async (name: string, enteredCareOn: string) =>
  (ids[name] = await world.newChild({
    firstName: name,
    lastName: 'Deadline',
    caseReference: `HFD-DL-${name}`,
    enteredCareOn,
    access: [
      [SW, 'social_worker'],
      ['carer@example.org', 'carer'],
    ],
  }))

beforeAll(async () => {
  world = await demoWorld()
  await child('Noor', '2026-11-02')
  await child('Pia', '2027-01-04')
  for (const [name, met] of [
    ['Ben', '2026-05-22'],
    ['Ada', '2026-05-23'],
  ] as const) {
    await child(name, '2020-01-01')
    await makePep(world.t.database.db, {
      childId: ids[name]!,
      term: { academicYear: 2025, name: 'summer' },
      meetingOn: met,
    })
  }
})
afterAll(() => world.close())

describe("the social worker's tray: statutory deadlines", () => {
  it('shows the initial PEP’s deadlines, late when passed, a planned entry counted from its day, and a review past the longest gap', async () => {
    const sw = await world.agent(SW)
    const tray = await sw.get('/tray')
    expect(tray.statusCode).toBe(200)
    expect(tray.body).toContain('Statutory deadlines')
    expect(rowsFor(tray.body, ids['Noor']!)).toEqual([
      'Initial PEP: Initiate by 16 November 2026 [Late]',
      'Initial PEP: Meeting held by 30 November 2026',
    ])
    expect(rowsFor(tray.body, ids['Pia']!)).toEqual([
      'Initial PEP: Initiate by 18 January 2027',
      'Initial PEP: Meeting held by 1 February 2027',
    ])
    expect(rowsFor(tray.body, ids['Ben']!)).toEqual([
      'Review: due by 22 November 2026 (the longest gap between reviews) [Late]',
    ])
    expect(rowsFor(tray.body, ids['Ada']!)).toEqual([])
  })

  it('flags the same review past the longest gap on the child’s record, Late, and not one due today', async () => {
    const sw = await world.agent(SW)
    const ben = await sw.get(`/children/${ids['Ben']}`)
    expect(ben.body).toMatch(
      /data-review-gap>Review due by 22 November 2026, 6 months after the last meeting <strong class="govuk-tag govuk-tag--red">\s*Late/,
    )
    expect((await sw.get(`/children/${ids['Ada']}`)).body).not.toContain('data-review-gap')
    const carer = await world.agent('carer@example.org')
    expect((await carer.get(`/children/${ids['Ben']}`)).body).not.toContain('Review due by')
  })

  it('shows the carer on the same children none of it', async () => {
    const carer = await world.agent('carer@example.org')
    const home = await carer.get('/tray')
    expect(home.body).not.toContain('Statutory deadlines')
    expect(home.body).not.toContain('Deadline')
  })
})

describe("the social worker's tray: statutory deadlines read together", () => {
  it('reads the same number of statements however many children entered care lately', async () => {
    const db = world.t.database.db
    const sw = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', SW)
      .executeTakeFirstOrThrow()
    const statementsFor = async () => {
      let statements = 0
      // A prepared statement's PREPARE is sent once per connection, whichever call that is.
      const prepares = (node: unknown) =>
        (node as { sqlFragments?: string[] }).sqlFragments?.[0]?.startsWith('prepare ') ?? false
      const counting: KyselyPlugin = {
        transformQuery: (args) => (prepares(args.node) || statements++, args.node),
        transformResult: async (args) => args.result,
      }
      const items = await myStatutoryDeadlines(db.withPlugin(counting), sw.id, '2026-11-23')
      return { statements, items }
    }
    const before = await statementsFor()
    for (const name of ['Quin', 'Rosa', 'Sami', 'Tove']) await child(name, '2026-11-09')
    const after = await statementsFor()
    expect(after.items.length).toBe(before.items.length + 8)
    expect(after.items.filter((i) => i.childName === 'Quin Deadline').map((i) => i.text)).toEqual([
      'Initial PEP: Initiate by 23 November 2026',
      'Initial PEP: Meeting held by 7 December 2026',
    ])
    expect(after.statements).toBe(before.statements)
  })
})
