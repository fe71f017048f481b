import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import {
  makeCarer,
  makeChild,
  makeSchool,
  makeUser,
  makeYoungPerson,
} from '../../testing/factories.ts'
import { setSetting } from '../../shared/settings.ts'
import { hashPassword } from '../../shared/passwords.ts'

/*
 * Who may read a child's school history and events (record part `events`, staff only; ADR 8):
 * the child's social worker reads it; the child's own carer and young person, a carer whose
 * placement ended, a social worker of another child and an administrator of another authority
 * get 404, and the page never names the child to them.
 */

const PASSWORD = 'history-reader-2026'
let t: TestContext
let childId: string
const people: Record<string, string> = {}

async function as(key: string) {
  const agent = new TestAgent(t.app)
  await agent.signIn(people[key]!, PASSWORD)
  return agent
}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
  const passwordHash = await hashPassword(PASSWORD)
  const { authorityId, schoolId } = await makeSchool(db)
  const sw = await makeUser(db, { role: 'social_worker', authorityId, passwordHash })
  childId = await makeChild(db, {
    authorityId,
    schoolId,
    firstName: 'Eira',
    lastName: 'Hanes',
    access: [{ userId: sw.id, capacity: 'social_worker' }],
  })
  const otherChildSw = await makeUser(db, { role: 'social_worker', authorityId, passwordHash })
  await makeChild(db, {
    authorityId,
    access: [{ userId: otherChildSw.id, capacity: 'social_worker' }],
  })
  const elsewhere = await makeSchool(db)
  people.socialWorker = sw.email
  people.otherSocialWorker = otherChildSw.email
  people.carer = (await makeCarer(db, { childId, passwordHash })).email
  people.formerCarer = (
    await makeCarer(db, { childId, passwordHash, removedAt: t.clock.now() })
  ).email
  people.youngPerson = (await makeYoungPerson(db, { childId, passwordHash })).email
  people.otherAuthorityAdmin = (
    await makeUser(db, { role: 'vs_admin', authorityId: elsewhere.authorityId, passwordHash })
  ).email
})
afterAll(() => t.close())

describe("a child's history page", () => {
  it('is read by the child’s social worker', async () => {
    const page = await (await as('socialWorker')).get(`/children/${childId}/history`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('School history and events – Eira Hanes')
  })

  it.each(['carer', 'formerCarer', 'youngPerson', 'otherSocialWorker', 'otherAuthorityAdmin'])(
    'answers 404 to %s, without the child’s name',
    async (key) => {
      const page = await (await as(key)).get(`/children/${childId}/history`)
      expect(page.statusCode).toBe(404)
      expect(page.body).not.toContain('Hanes')
    },
  )
})
