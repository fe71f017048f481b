import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makePep } from '../../testing/factories.ts'

/*
 * Issue 15, nothing lost at the edges, for the young person's own words (issue 20): an answer
 * sent after 30 idle minutes is kept by the one signed-out save (plugins/unsaved-forms.ts), and
 * after signing in again it is on the same question, filled in, with a notice to check it and
 * press "Save and next". Nothing is saved for them unseen, and it is shown once.
 */

let t: TestContext
let charlieId: string
let swId: string
const YP = 'young.person@example.org'
const IDLE = 31 * 60_000
const NOTICE =
  'What you sent was not saved because you were signed out. Check it and send it again.'

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  const charlie = await db
    .selectFrom('child')
    .selectAll()
    .where('first_name', '=', 'Charlie')
    .where('last_name', '=', 'Young')
    .executeTakeFirstOrThrow()
  charlieId = charlie.id
  swId = (
    await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
  ).id
})
afterAll(() => t.close())

const pepFor = (formType: string, yearGroup: string, academicYear: number) =>
  makePep(t.database.db, {
    childId: charlieId,
    term: { academicYear, name: 'summer' },
    formType,
    yearGroup,
    startedOn: '2026-11-20',
    createdBy: swId,
    at: t.clock.now(),
  })

const step = (pepId: string, stepId: string) => `/my-pep/${charlieId}/peps/${pepId}/views/${stepId}`

async function answersOf(pepId: string, pageId: string) {
  const row = await t.database.db
    .selectFrom('pep_page')
    .select('answers')
    .where('pep_id', '=', pepId)
    .where('page_id', '=', pageId)
    .executeTakeFirst()
  return row?.answers
}

/** Opens the step, is idle past the timeout, sends `form`, and signs in again. */
async function sendAfterExpiry(url: string, form: Record<string, string>) {
  const yp = new TestAgent(t.app)
  await yp.signIn(YP, DEMO_PASSWORD)
  expect((await yp.get(url)).statusCode).toBe(200)
  t.clock.advance(IDLE)
  const sent = await yp.post(url, form)
  expect(sent.statusCode).toBe(303)
  expect(sent.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(url)}&notice=unsaved`)
  await yp.signIn(YP, DEMO_PASSWORD)
  return yp
}

describe('the young person’s views sent after the session ended', () => {
  it('brings back their own words, once, to check and save', async () => {
    const pepId = await pepFor('secondary', 'Y10', 2040)
    const url = step(pepId, 'yp-future')
    const typed = 'Be a vet 🐶, or work with horses: “both”'
    const yp = await sendAfterExpiry(url, { answer: typed })

    const restored = await yp.get(url)
    expect(restored.statusCode).toBe(200)
    expect(restored.body).toContain(NOTICE)
    expect(restored.body).toContain('Be a vet 🐶, or work with horses: “both”')
    // Shown once; nothing saved unseen.
    expect((await yp.get(url)).body).not.toContain(NOTICE)
    expect(
      await t.database.db
        .selectFrom('pep_page')
        .select('page_id')
        .where('pep_id', '=', pepId)
        .execute(),
    ).toEqual([])

    // They send it again, and it is saved as typed.
    const saved = await yp.post(url, { answer: typed })
    expect(saved.statusCode).toBe(303)
    const pages = await t.database.db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pepId)
      .execute()
    expect(pages.flatMap((p) => Object.values(p.answers))).toContain(typed)
  })

  it('brings back the faces chosen for the pictured activities', async () => {
    const pepId = await pepFor('secondary_special', 'Y8', 2041)
    const url = step(pepId, 'pictures')
    const yp = await sendAfterExpiry(url, { 'view-pe': 'liked-a-lot', 'view-art': 'ok' })
    const restored = await yp.get(url)
    expect(restored.statusCode).toBe(200)
    expect(restored.body).toContain(NOTICE)
    expect(restored.body).toMatch(/name="view-pe" value="liked-a-lot" checked/)
    expect(restored.body).toMatch(/name="view-art" value="ok" checked/)
    expect(await answersOf(pepId, 'views-with-symbols')).toBeUndefined()
  })

  it('is not shown to anyone else who signs in on that browser', async () => {
    const pepId = await pepFor('secondary', 'Y10', 2042)
    const url = step(pepId, 'yp-future')
    const yp = new TestAgent(t.app)
    await yp.signIn(YP, DEMO_PASSWORD)
    await yp.get(url)
    t.clock.advance(IDLE)
    const sent = await yp.post(url, { answer: 'Only mine' })
    const token = sent.cookies.find((c) => c.name === 'openpep.unsaved')!.value
    // The social worker on the same browser reaches no young person's page, and the kept form
    // stays bound to the young person.
    const sw = new TestAgent(t.app)
    await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
    const other = await sw.get(url, { cookie: `${sw.cookieHeader()}; openpep.unsaved=${token}` })
    expect(other.body).not.toContain('Only mine')
  })
})
