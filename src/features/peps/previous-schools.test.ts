import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { makeChild } from '../../testing/factories.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import type { RepeatItem } from '../../forms/types.ts'
import { pagesOf, writePage } from './peps.repository.ts'
import { addSchoolMoves, type SchoolMove } from './start.service.ts'

/*
 * "Previous schools" says moves recorded in OpenPEP are added for you (issue 15): every school
 * the child has left, from their school history, is added when a PEP starts, beside what was
 * carried forward, never twice.
 */

const secondary = currentTemplate('secondary')
let n = 0
const newId = () => `new-${++n}`

describe('addSchoolMoves', () => {
  const moves: SchoolMove[] = [
    {
      name: 'Oakfield Academy',
      urn: '990003',
      startedOn: '2023-09-04',
      endedOn: '2025-04-01',
      reason: 'Moved placement',
    },
    {
      name: 'Hillside Primary School',
      urn: null,
      startedOn: '2017-09-06',
      endedOn: '2023-07-21',
      reason: null,
    },
  ]

  it('adds each move, most recent first, with its dates, URN and reason', () => {
    const result = addSchoolMoves(secondary, new Map(), moves, newId)
    const items = result.get('previous-schools')?.['previous-schools'] as RepeatItem[]
    expect(items.map((i) => i['school-name'])).toEqual([
      'Oakfield Academy',
      'Hillside Primary School',
    ])
    expect(items[0]).toMatchObject({
      urn: '990003',
      'from-date': '2023-09-04',
      'to-date': '2025-04-01',
      'reason-for-leaving': 'Moved placement',
    })
    expect(items[1]).not.toHaveProperty('urn')
  })

  it('keeps what was carried forward and never adds a school twice', () => {
    const carried = new Map([
      [
        'previous-schools',
        {
          'previous-schools': [
            {
              id: 'typed-1',
              'school-name': 'Oakfield Academy',
              urn: '990003',
              'to-date': '2025-04-01',
            },
            { id: 'typed-2', 'school-name': 'A nursery', 'to-date': '2017-07-01' },
            { id: 'typed-3', 'school-name': 'Somewhere, dates unknown' },
          ],
        },
      ],
    ])
    const result = addSchoolMoves(secondary, carried, moves, newId)
    const items = result.get('previous-schools')?.['previous-schools'] as RepeatItem[]
    expect(items.map((i) => i.id)).toEqual(['typed-1', items[1]!.id, 'typed-2', 'typed-3'])
    expect(items[1]!['school-name']).toBe('Hillside Primary School')
    expect(addSchoolMoves(secondary, result, moves, newId)).toBe(result)
  })

  it('changes nothing when the child has no recorded moves', () => {
    const carried = new Map()
    expect(addSchoolMoves(secondary, carried, [], newId)).toBe(carried)
  })
})

describe('starting a PEP fills in the school history', () => {
  let t: TestContext
  let childId: string
  const ids: Record<string, string> = {}
  const agents: Record<string, TestAgent> = {}

  beforeAll(async () => {
    t = await createTestApp({ seed: 'demo' })
    const db = t.database.db
    const authority = await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    const school = async (urn: string) =>
      (await db.selectFrom('school').select('id').where('urn', '=', urn).executeTakeFirstOrThrow())
        .id
    for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute())
      ids[u.email] = u.id
    const now = await school('990002')
    childId = await makeChild(db, {
      authorityId: authority.id,
      schoolId: now,
      firstName: 'Kit',
      lastName: 'Moves',
      dateOfBirth: '2012-10-15',
      gender: 'male',
      caseReference: 'HFD-MOVE-1',
      recordOwnerId: ids['social.worker@example.org']!,
      access: [
        { userId: ids['social.worker@example.org']!, capacity: 'social_worker' },
        { userId: ids['carer@example.org']!, capacity: 'carer' },
      ],
    })
    await db
      .insertInto('child_school')
      .values([
        {
          child_id: childId,
          school_id: await school('990001'),
          started_on: '2017-09-06',
          ended_on: '2023-07-21',
        },
        {
          child_id: childId,
          school_id: await school('990003'),
          started_on: '2023-09-04',
          ended_on: '2025-04-01',
          reason: 'Transition to secondary',
        },
        { child_id: childId, school_id: now, started_on: '2025-04-01', reason: 'Moved placement' },
      ])
      .execute()
    for (const email of [
      'social.worker@example.org',
      'carer@example.org',
      'personal.advisor@example.org',
    ]) {
      agents[email] = new TestAgent(t.app)
      await agents[email].signIn(email, DEMO_PASSWORD)
    }
  })
  afterAll(() => t.close())

  const start = async (email: string, term: string) => {
    const agent = agents[email]!
    await agent.get(`/children/${childId}/peps/start`)
    return agent.post(`/children/${childId}/peps/start`, { term })
  }
  const previousSchools = async (pepId: string) =>
    (await pagesOf(t.database.db, pepId)).get('previous-schools')?.answers[
      'previous-schools'
    ] as RepeatItem[]

  it('adds every school the child has left, with why they left', async () => {
    const started = await start('social.worker@example.org', '2026-autumn')
    expect(started.statusCode).toBe(303)
    const pepId = started.headers.location!.split('/').at(-1)!
    const items = await previousSchools(pepId)
    expect(items).toHaveLength(2)
    expect(items[0]).toMatchObject({
      'from-date': '2023-09-04',
      'to-date': '2025-04-01',
      'reason-for-leaving': 'Moved placement',
    })
    expect(items[1]).toMatchObject({
      'from-date': '2017-09-06',
      'to-date': '2023-07-21',
      'reason-for-leaving': 'Transition to secondary',
    })
    const page = await agents['social.worker@example.org']!.get(
      `/children/${childId}/peps/${pepId}/pages/previous-schools`,
    )
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Transition to secondary')

    // The next term's PEP carries them forward with what the school typed, never twice.
    const typed: RepeatItem = {
      id: 'typed',
      'school-name': 'A childminder',
      'to-date': '2017-08-01',
    }
    await writePage(t.database.db, {
      pepId,
      pageId: 'previous-schools',
      answers: { 'previous-schools': [...items, typed] },
      version: 2,
      savedBy: ids['social.worker@example.org']!,
      at: t.clock.now(),
      kind: 'saved',
    })
    t.clock.advance(60_000)
    const next = await start('social.worker@example.org', '2027-spring')
    expect(next.statusCode).toBe(303)
    const nextItems = await previousSchools(next.headers.location!.split('/').at(-1)!)
    expect(nextItems).toHaveLength(3)
    expect(nextItems.at(-1)!['school-name']).toBe('A childminder')
  })

  it('nobody without the right to start a PEP can, so nothing is added', async () => {
    for (const email of ['carer@example.org', 'personal.advisor@example.org']) {
      const refused = await start(email, '2027-spring')
      expect([403, 404]).toContain(refused.statusCode)
    }
  })
})
