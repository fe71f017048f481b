import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createFuzzWorld,
  fuzzedRoutes,
  fuzzGroup,
  fuzzGroupOf,
  FUZZ_GROUPS,
  FUZZ_PEOPLE,
  type FuzzWorld,
} from '../testing/fuzz.ts'

// Hostile input to every form route of one feature group (src/testing/fuzz.ts): this group takes
// every route no other group claims, and this file checks each group has some.
let world: FuzzWorld
beforeAll(async () => {
  world = await createFuzzWorld()
})
afterAll(() => world.t.close())

describe('hostile input: funding, schools and oversight', () => {
  it.each(FUZZ_PEOPLE)('never gets a 500 from any form route, posted by %s', async (email) => {
    expect(await fuzzGroup(world, 'funding-schools', email)).toEqual([])
  })
})

describe('the fuzz groups', () => {
  it('cover every form route: each falls in a group, and every group has routes', () => {
    const routes = fuzzedRoutes(world.t.app)
    expect(routes.length).toBeGreaterThan(5)
    const counts = new Map(FUZZ_GROUPS.map((g) => [g, 0]))
    for (const route of routes) {
      const group = fuzzGroupOf(route.url)
      counts.set(group, counts.get(group)! + 1)
    }
    for (const [group, count] of counts) expect(count, group).toBeGreaterThan(0)
  })
})
