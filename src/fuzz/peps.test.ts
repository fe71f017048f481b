import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestAgent } from '../testing/agent.ts'
import { createFuzzWorld, fuzzGroup, FUZZ_PEOPLE, NASTY, type FuzzWorld } from '../testing/fuzz.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'

// Hostile input to every form route of one feature group (src/testing/fuzz.ts).
let world: FuzzWorld
beforeAll(async () => {
  world = await createFuzzWorld()
})
afterAll(() => world.t.close())

describe("hostile input: PEPs and the young person's views", () => {
  it.each(FUZZ_PEOPLE)('never gets a 500 from any form route, posted by %s', async (email) => {
    expect(await fuzzGroup(world, 'peps', email)).toEqual([])
  })
})

describe('what is accepted is stored exactly', () => {
  it('saves any hostile text in a PEP answer as typed, or refuses it with a message', async () => {
    const { t, childId, pepId } = world
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    const url = `/children/${childId}/peps/${pepId}/pages/pep-meeting`
    for (const value of NASTY) {
      const stored = await t.database.db
        .selectFrom('pep_page')
        .select(['version', 'answers'])
        .where('pep_id', '=', pepId)
        .where('page_id', '=', 'pep-meeting')
        .executeTakeFirst()
      await agent.get(url)
      const response = await agent.post(url, {
        version: String(stored?.version ?? 0),
        action: 'later',
        'meeting-narrative': value,
      })
      const after = await t.database.db
        .selectFrom('pep_page')
        .select('answers')
        .where('pep_id', '=', pepId)
        .where('page_id', '=', 'pep-meeting')
        .executeTakeFirst()
      if (response.statusCode === 303) {
        const expected = value.trim() === '' ? undefined : value
        expect(after?.answers['meeting-narrative'], JSON.stringify(value).slice(0, 40)).toBe(
          expected,
        )
      } else {
        expect(response.statusCode).toBe(400)
        expect(response.body).toContain('href="#meeting-narrative"')
        expect(after?.answers).toEqual(stored?.answers)
      }
    }
  })
})
