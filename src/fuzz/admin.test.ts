import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFuzzWorld, fuzzGroup, FUZZ_PEOPLE, type FuzzWorld } from '../testing/fuzz.ts'

// Hostile input to every form route of one feature group (src/testing/fuzz.ts).
let world: FuzzWorld
beforeAll(async () => {
  world = await createFuzzWorld()
})
afterAll(() => world.t.close())

describe('hostile input: administering users, settings and forms', () => {
  it.each(FUZZ_PEOPLE)('never gets a 500 from any form route, posted by %s', async (email) => {
    expect(await fuzzGroup(world, 'admin', email)).toEqual([])
  })
})
