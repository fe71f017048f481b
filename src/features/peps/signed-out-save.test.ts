import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { mayEditPage } from '../../forms/completion.ts'
import type { Page } from '../../forms/types.ts'

/*
 * Issue 15, nothing lost at the edges: a PEP page saved after the session has ended (30 idle
 * minutes) is kept, the person signs in again, and the page shows what they sent, filled in,
 * with a notice to check it and save again. Nothing is saved for them unseen, what is kept is
 * sealed in the database, and only the person whose session ended gets it back.
 */

let t: TestContext
let sw: TestAgent
let pageUrl: string
let page: Page
let pepId: string

const TYPED = 'Loves science club; finds the walk to school long in winter'
const IDLE = 31 * 60_000

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  const pep = await db
    .selectFrom('pep')
    .innerJoin('child_access as a', 'a.child_id', 'pep.child_id')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['pep.id', 'pep.child_id', 'pep.form_type', 'pep.template_version'])
    .where('u.email', '=', 'social.worker@example.org')
    .where('a.capacity', '=', 'social_worker')
    .where('pep.status', '!=', 'signed_off')
    .orderBy('pep.created_at')
    .executeTakeFirstOrThrow()
  pepId = pep.id
  const template = findTemplate(pep.form_type, pep.template_version)!
  const sectionA = template.sections[0]!
  page = sectionA.pages.find(
    (p) =>
      !p.condition &&
      mayEditPage(sectionA, p, 'social_worker') &&
      p.questions.some((q) => q.type === 'longText'),
  )!
  pageUrl = `/children/${pep.child_id}/peps/${pep.id}/pages/${page.id}`
  sw = new TestAgent(t.app)
  await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

const question = () => page.questions.find((q) => q.type === 'longText')!

describe('saving a PEP page after being signed out', () => {
  it('keeps what was sent, asks to sign in, then shows it again to check and save', async () => {
    const opened = await sw.get(pageUrl)
    expect(opened.statusCode).toBe(200)
    const version = /name="version" value="(\d+)"/.exec(opened.body)![1]!
    const before = await t.database.db
      .selectFrom('pep_page_revision')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()

    t.clock.advance(IDLE)
    const sent = await sw.post(pageUrl, { version, action: 'later', [question().id]: TYPED })
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe(
      `/sign-in?returnTo=${encodeURIComponent(pageUrl)}&notice=unsaved`,
    )
    const cookie = sent.cookies.find((c) => c.name === 'openpep.unsaved')!
    expect(cookie.httpOnly).toBe(true)
    const kept = await t.database.db.selectFrom('unsaved_form').selectAll().execute()
    expect(kept).toHaveLength(1)
    expect(kept[0]!.path).toBe(pageUrl)
    // Sealed: neither the answer nor the token is readable from the database.
    expect(JSON.stringify(kept[0])).not.toContain('science')
    expect(JSON.stringify(kept[0])).not.toContain(cookie.value)
    expect(kept[0]!.expires_at.getTime() - t.clock.now().getTime()).toBe(24 * 60 * 60_000)
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['details', 'user_id'])
      .where('action', '=', 'form.kept-after-sign-out')
      .executeTakeFirstOrThrow()
    expect(audit.details).toEqual({ path: pageUrl })
    expect(JSON.stringify(audit)).not.toContain('science')

    const signInPage = await sw.get(sent.headers.location as string)
    expect(signInPage.body).toContain('You were signed out, so what you sent was not saved yet')
    const signedIn = await sw.post('/sign-in', {
      email: 'social.worker@example.org',
      password: DEMO_PASSWORD,
      returnTo: pageUrl,
    })
    expect(signedIn.statusCode).toBe(303)
    expect(signedIn.headers.location).toBe(pageUrl)

    const restored = await sw.get(pageUrl)
    expect(restored.statusCode).toBe(200)
    expect(restored.body).toContain(
      'Your answers were not saved because you were signed out. Check them and save again.',
    )
    expect(restored.body).toContain(TYPED)
    expect(restored.body).toContain(`name="version" value="${version}"`)
    // Shown, never saved unseen.
    const after = await t.database.db
      .selectFrom('pep_page_revision')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
    // Once only: gone from the database, and the page opens as saved next time.
    expect(await t.database.db.selectFrom('unsaved_form').selectAll().execute()).toEqual([])
    const again = await sw.get(pageUrl)
    expect(again.body).not.toContain('Check them and save again')
    expect(again.body).not.toContain(TYPED)

    // Saving it now works as any save.
    const saved = await sw.post(pageUrl, { version, action: 'later', [question().id]: TYPED })
    expect(saved.statusCode).toBe(303)
    const stored = await t.database.db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pepId)
      .where('page_id', '=', page.id)
      .executeTakeFirstOrThrow()
    expect(stored.answers[question().id]).toBe(TYPED)
  })

  it('gives it back only to the person whose session ended, on the page it was sent to', async () => {
    const opened = await sw.get(pageUrl)
    const version = /name="version" value="(\d+)"/.exec(opened.body)![1]!
    t.clock.advance(IDLE)
    const sent = await sw.post(pageUrl, {
      version,
      action: 'later',
      [question().id]: 'Second draft',
    })
    expect(sent.statusCode).toBe(303)
    const token = sent.cookies.find((c) => c.name === 'openpep.unsaved')!.value
    const kept = await t.database.db.selectFrom('unsaved_form').select('user_id').execute()
    const sw_ = await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    expect(kept).toEqual([{ user_id: sw_.id }])

    // Someone else signing in on the same browser does not see it.
    const iro = new TestAgent(t.app)
    await iro.signIn('iro@example.org', DEMO_PASSWORD)
    const theirs = await t.app.inject({
      method: 'GET',
      url: pageUrl,
      headers: { cookie: `${iro.cookieHeader()}; openpep.unsaved=${token}` },
    })
    expect(theirs.statusCode).toBe(200)
    expect(theirs.body).not.toContain('Second draft')
    expect(theirs.body).not.toContain('Check them and save again')
    // Nor does another page of the same person.
    await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
    const elsewhere = await sw.get(pageUrl.replace(/\/pages\/.*/, ''))
    expect(elsewhere.body).not.toContain('Second draft')
    // Their own page does.
    const mine = await sw.get(pageUrl)
    expect(mine.body).toContain('Second draft')
  })

  it('still refuses other forms sent after the session ended, saying nothing was saved', async () => {
    t.clock.advance(IDLE)
    const response = await sw.post('/tray/alerts/00000000-0000-4000-8000-000000000000/dismiss', {})
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('Your page has expired')
  })
})
