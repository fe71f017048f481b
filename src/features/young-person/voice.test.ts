import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import type { TermName } from '../../domain/terms.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { voiceModuleFor, voiceSteps } from '../../forms/templates/voice-modules.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { linkToChild, makePep } from '../../testing/factories.ts'

/*
 * "Tell us what you think" (issue 20), through HTTP: each module's questions, answered as the
 * young person, reach Section C exactly as typed and are read there by staff as the young
 * person's own words; the pictured activities reach it as words; sending closes them to change;
 * nobody else opens them.
 */

let t: TestContext
let charlieId: string
let authorityId: string
let otherChildId: string
const ids: Record<string, string> = {}
const agents: Record<string, TestAgent> = {}
let termCount = 0

/** Every answer is kept as typed: Welsh, emoji, a colon, a plus, another script. */
// Welsh, emoji (a skin tone and a joined sequence), Cyrillic, Arabic (right to left) and Chinese.
const TYPED = (n: number) => `Rwy’n hoffi ysgol 😀 ${n}: +1 🧑🏽‍🚀 мир «ok» أحب المدرسة 我喜欢学校`

async function agent(email: string): Promise<TestAgent> {
  if (!agents[email]) {
    agents[email] = new TestAgent(t.app)
    await agents[email].signIn(email, DEMO_PASSWORD)
  }
  return agents[email]
}

/** A PEP for Charlie, in a term of its own, on this form and year group. */
async function pepFor(formType: string, yearGroup: string, childId = charlieId) {
  const terms: TermName[] = ['autumn', 'spring', 'summer']
  const n = termCount++
  return makePep(t.database.db, {
    childId,
    term: { academicYear: 2030 + Math.floor(n / 3), name: terms[n % 3]! },
    formType,
    yearGroup,
    startedOn: '2026-11-20',
    createdBy: ids['social.worker@example.org']!,
    at: t.clock.now(),
  })
}

const views = (pepId: string, path = '') => `/my-pep/${charlieId}/peps/${pepId}/views${path}`
const staffPage = (pepId: string, pageId: string) =>
  `/children/${charlieId}/peps/${pepId}/pages/${pageId}`

async function pageAnswers(pepId: string, pageId: string) {
  const row = await t.database.db
    .selectFrom('pep_page')
    .select(['answers', 'saved_by'])
    .where('pep_id', '=', pepId)
    .where('page_id', '=', pageId)
    .executeTakeFirst()
  return row
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute())
    ids[u.email] = u.id
  const charlie = await db
    .selectFrom('child')
    .selectAll()
    .where('first_name', '=', 'Charlie')
    .where('last_name', '=', 'Young')
    .executeTakeFirstOrThrow()
  charlieId = charlie.id
  authorityId = charlie.authority_id
  otherChildId = (
    await db
      .selectFrom('child')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('id', '<>', charlieId)
      .executeTakeFirstOrThrow()
  ).id
  await linkToChild(db, {
    childId: charlieId,
    userId: ids['social.worker@example.org']!,
    capacity: 'social_worker',
    unlessListed: true,
  })
})
afterAll(() => t.close())

describe('each module’s questions reach Section C as typed', () => {
  for (const [formType, yearGroup, firstLabel] of [
    ['primary', 'Y4', 'What are you proud of?'],
    ['secondary', 'Y10', 'What are you most proud of since your last PEP?'],
    ['post_16', 'Y12', 'What are you most proud of since your last PEP?'],
  ] as const)
    it(`${formType} (${yearGroup})`, async () => {
      const pepId = await pepFor(formType, yearGroup)
      const yp = await agent('young.person@example.org')
      const start = await yp.get(views(pepId))
      expect(start.statusCode).toBe(200)
      expect(start.body).toContain('Tell us what you think')
      const template = findTemplate(formType, 1)!
      const steps = voiceSteps(voiceModuleFor(yearGroup)!, template)
      expect(steps.length).toBeGreaterThan(5)
      if (formType === 'primary') expect(steps.length).toBeLessThan(10)
      else expect(steps.length).toBe(17)
      const first = await yp.get(views(pepId, `/${steps[0]!.id}`))
      expect(first.statusCode).toBe(200)
      expect(first.body).toContain(firstLabel)
      expect(first.body).toContain(`Question 1 of ${steps.length}`)
      for (const [n, step] of steps.entries()) {
        const saved = await yp.post(views(pepId, `/${step.id}`), { answer: TYPED(n) })
        expect(saved.statusCode, step.id).toBe(303)
        expect(saved.headers.location).toBe(
          n + 1 < steps.length
            ? views(pepId, `/${steps[n + 1]!.id}`)
            : `/my-pep/${charlieId}/peps/${pepId}/views-check`,
        )
      }
      // Each answer is its Section C question's, exactly as typed, saved by the young person.
      for (const [n, step] of steps.entries()) {
        const row = await pageAnswers(pepId, step.pageId)
        expect(row?.answers[step.question.id], step.id).toBe(TYPED(n))
        expect(row?.saved_by).toBe(ids['young.person@example.org'])
      }
      // Staff read them on Section C's pages, marked as the young person's own words.
      const sw = await agent('social.worker@example.org')
      const page = await sw.get(staffPage(pepId, steps[0]!.pageId))
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('These answers are Charlie’s own words, saved by Charlie')
      expect(page.body).toContain('Rwy’n hoffi ysgol 😀 0: +1')
      const contents = await sw.get(`/children/${charlieId}/peps/${pepId}`)
      expect(contents.body).toContain('Charlie has started giving their views in their own words')
    })
})

describe('the pictured activities', () => {
  it('are rated with faces and reach Section C as words', async () => {
    const pepId = await pepFor('secondary_special', 'Y8')
    const yp = await agent('young.person@example.org')
    const start = await yp.get(views(pepId))
    expect(start.body).toContain(`href="${views(pepId, '/pictures')}"`)
    const pictures = await yp.get(views(pepId, '/pictures'))
    expect(pictures.statusCode).toBe(200)
    expect(pictures.body).toContain('How do you feel about these?')
    // Each activity is a fieldset of three radios, each with its words beside the face.
    expect(pictures.body).toContain('name="view-pe" value="liked-a-lot"')
    // Each activity's picture is shipped with the project (Twemoji), decoration beside its words.
    expect(pictures.body).toMatch(
      /<legend[^>]*>\s*<img class="app-yp-picture" src="\/assets\/images\/symbols\/26bd\.svg" alt="" width="48" height="48">\s*PE and sport/,
    )
    expect(pictures.body).toContain('<span>Did not like</span>')
    const saved = await yp.post(views(pepId, '/pictures'), {
      'view-pe': 'liked-a-lot',
      'view-lunchtime': 'did-not-like',
      'view-art': 'ok',
    })
    expect(saved.statusCode).toBe(303)
    const row = await pageAnswers(pepId, 'views-with-symbols')
    expect(row?.answers).toEqual({
      'view-pe': 'liked-a-lot',
      'view-lunchtime': 'did-not-like',
      'view-art': 'ok',
    })
    const sw = await agent('social.worker@example.org')
    const page = await sw.get(`/children/${charlieId}/peps/${pepId}/read`)
    expect(page.statusCode).toBe(200)
    const main = page.body
    expect(main).toContain('Liked a lot')
    expect(main).toContain('Did not like')
    // A value that is not a face is refused, and nothing is saved.
    const bad = await yp.post(views(pepId, '/pictures'), { 'view-pe': 'hates' })
    expect(bad.statusCode).toBe(400)
    expect((await pageAnswers(pepId, 'views-with-symbols'))?.answers['view-pe']).toBe('liked-a-lot')
  })
})

describe('sending', () => {
  it('records when they were sent, closes them to change, and tells staff', async () => {
    const pepId = await pepFor('secondary', 'Y10')
    const yp = await agent('young.person@example.org')
    await yp.post(views(pepId, '/yp-future'), { answer: 'Be a vet 🐶' })
    const check = await yp.get(`/my-pep/${charlieId}/peps/${pepId}/views-check`)
    expect(check.statusCode).toBe(200)
    expect(check.body).toContain('Be a vet 🐶')
    expect(check.body).toContain('Not answered')
    t.clock.advance(60_000)
    const sent = await yp.post(`/my-pep/${charlieId}/peps/${pepId}/views-check`, {})
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe(`/my-pep/${charlieId}`)
    const row = await t.database.db
      .selectFrom('pep_young_person_views')
      .selectAll()
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(row.sent_by).toBe(ids['young.person@example.org'])
    expect(row.on_behalf).toBe(false)
    expect(row.sent_at).toEqual(t.clock.now())
    const event = await t.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'young-person.views.send')
      .where('child_id', '=', charlieId)
      .executeTakeFirstOrThrow()
    expect(event.details).toMatchObject({ pepId, onBehalf: false })
    // No longer theirs to change: the step sends them back, and nothing is saved.
    const again = await yp.post(views(pepId, '/yp-future'), { answer: 'Something else' })
    expect(again.statusCode).toBe(303)
    expect((await pageAnswers(pepId, 'your-future'))?.answers['yp-future']).toBe('Be a vet 🐶')
    const read = await yp.get(views(pepId))
    expect(read.body).toContain('You sent your views on')
    expect(read.body).toContain('Be a vet 🐶')
    expect((await yp.post(`/my-pep/${charlieId}/peps/${pepId}/views-check`, {})).statusCode).toBe(
      303,
    )
    // Staff read when, and that the words are the young person's own.
    const sw = await agent('social.worker@example.org')
    const contents = await sw.get(`/children/${charlieId}/peps/${pepId}`)
    expect(contents.body).toContain('Charlie sent their views, in their own words, on')
  })

  it('keeps what was typed when it is too long, with a message naming it', async () => {
    const pepId = await pepFor('secondary', 'Y9')
    const yp = await agent('young.person@example.org')
    const long = 'ä'.repeat(10_001)
    const refused = await yp.post(views(pepId, '/yp-good-at'), { answer: long })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('There is a problem')
    expect(refused.body).toContain('href="#answer"')
    expect(refused.body).toContain(long)
    expect(await pageAnswers(pepId, 'your-talents-and-interests')).toBeUndefined()
  })
})

describe('only the young person, only their own PEPs', () => {
  it('is refused to staff, the carer, and for another child’s PEP', async () => {
    const pepId = await pepFor('secondary', 'Y10')
    for (const email of ['social.worker@example.org', 'carer@example.org']) {
      const other = await agent(email)
      expect((await other.get(views(pepId))).statusCode, email).toBe(404)
      expect(
        (await other.post(views(pepId, '/yp-future'), { answer: 'x' })).statusCode,
        email,
      ).toBe(404)
    }
    const yp = await agent('young.person@example.org')
    const othersPep = await pepFor('secondary', 'Y10', otherChildId)
    expect((await yp.get(views(othersPep))).statusCode).toBe(404)
    expect((await yp.get(`/my-pep/${otherChildId}/peps/${othersPep}/views`)).statusCode).toBe(404)
    expect((await yp.get(views(pepId, '/attendance-percentage'))).statusCode).toBe(404)
    const early = await pepFor('early_years', 'R')
    expect((await yp.get(views(early))).statusCode).toBe(404)
  })
})
