import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, demoChild, demoUserId } from './support/demo.ts'
import { onPage } from './support/pages/abstract-page.ts'
import { PepContentsPage, PepReadPage } from './support/pages/pep-pages.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { linkToChild, makePep } from '../src/testing/factories.ts'

/*
 * The young person tells us what they think (issue 20): on a phone 320 CSS pixels wide, with the
 * keyboard alone (Tab, Shift+Tab, Enter, Space and the arrow keys; focus checked visible at each
 * stop; no mouse, no focusing by script) and no JavaScript, signing in, from their home through the pictured activities and their
 * own words to sending them; then the social worker reads them as Charlie's own words. Every
 * page is checked with axe, and none scrolls sideways.
 */

const WIDTH = 320

/**
 * axe and the width are measured by script, which the journey's own page cannot run: each page
 * it reaches is opened again, as it is, in a second page at the same width with JavaScript on.
 */
async function expectFits(journeyPage: Page, checker: Page): Promise<void> {
  await checker.goto(journeyPage.url())
  const width = await checker.evaluate(() => document.documentElement.scrollWidth)
  expect(width, `page width of ${checker.url()} at ${WIDTH}px`).toBeLessThanOrEqual(WIDTH)
  await expectAccessible(checker)
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`, as a keyboard user
 * would, and checks the focus is visible there (GOV.UK's yellow focus: an outline or a shadow).
 */
async function tabTo(page: Page, selector: string, backwards = false): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
    const focused = page.locator(`${selector}:focus`)
    if ((await focused.count()) === 0) continue
    const style = await focused.evaluate((element) => {
      const css = getComputedStyle(element)
      return { outline: css.outlineStyle, shadow: css.boxShadow, colour: css.backgroundColor }
    })
    expect(
      style.outline !== 'none' || style.shadow !== 'none',
      `focus is visible on ${selector}`,
    ).toBe(true)
    return
  }
  throw new Error(`Tab never reached ${selector}`)
}

/** Tabs to a link or button and presses Enter, waiting for the page it leads to. */
async function enter(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector)
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')])
}

describe.skipIf(!hasChromium)(
  'the young person’s views, at 320px, by keyboard, without JavaScript',
  () => {
    const journey = browserJourney()

    it('Charlie rates the pictures, writes in their own words and sends them; staff read them', async () => {
      const db = journey.app.database.db
      const base = journey.app.baseUrl
      const charlie = await demoChild(db, 'Charlie', 'Young')
      const sw = await demoUserId(db, DEMO.socialWorker)
      await linkToChild(db, {
        childId: charlie.id,
        userId: sw,
        capacity: 'social_worker',
        unlessListed: true,
      })
      // Their newest PEP, on the special school form: pictured activities, then their words.
      const pepId = await makePep(db, {
        childId: charlie.id,
        term: { academicYear: 2031, name: 'summer' },
        formType: 'secondary_special',
        startedOn: '2026-11-20',
        createdBy: sw,
        at: journey.app.clock.now(),
      })

      const context = await journey.browser.newContext({
        viewport: { width: WIDTH, height: 640 },
        javaScriptEnabled: false,
      })
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      // Signing in with the keyboard alone: Tab to each field, type, Enter.
      await SignInPage.open(page, base)
      await tabTo(page, '#email')
      await page.keyboard.type(DEMO.youngPerson)
      await tabTo(page, '#password')
      await page.keyboard.type(DEMO_PASSWORD)
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')])
      const scripted = await journey.browser.newContext({ viewport: { width: WIDTH, height: 640 } })
      const checker = await scripted.newPage()
      await (await SignInPage.open(checker, base)).signIn(DEMO.youngPerson)
      expect(await onPage(page).heading.textContent()).toContain('Hello Charlie')
      await expectFits(page, checker)

      await enter(page, 'main a.govuk-button--start')
      expect(await page.title()).toContain('Tell us what you think')
      await expectFits(page, checker)

      await enter(page, 'main a.govuk-button--start')
      expect(await page.title()).toContain('How do you feel about these?')
      await expectFits(page, checker)
      // A face for PE and one for lunchtime, chosen with the keyboard alone: Tab into a group,
      // Space to choose, the arrow keys to move the choice along.
      await tabTo(page, '#view-pe-liked-a-lot')
      await page.keyboard.press('Space')
      expect(await page.locator('#view-pe-liked-a-lot').isChecked()).toBe(true)
      await tabTo(page, '[id^="view-lunchtime-"]')
      await page.keyboard.press('Space')
      await page.keyboard.press('ArrowRight')
      await page.keyboard.press('ArrowRight')
      expect(await page.locator('#view-lunchtime-did-not-like').isChecked()).toBe(true)
      // Shift+Tab goes back to PE's faces, and its choice stays.
      await tabTo(page, '[id^="view-pe-"]', true)
      expect(await page.locator('#view-pe-liked-a-lot').isChecked()).toBe(true)
      await enter(page, 'main form button.govuk-button')

      expect(await page.title()).toContain('What are you most proud of since your last PEP?')
      await expectFits(page, checker)
      await tabTo(page, '#answer')
      await page.keyboard.type('I kept going at swimming 🏊 and got my 25m badge!')
      await enter(page, 'main form button.govuk-button')
      expect(await page.title()).toContain('How do you think you are doing')
      await expectFits(page, checker)
      // The other questions are skipped, by the keyboard, to the check page.
      for (let step = 0; step < 20 && !(await page.title()).includes('Check'); step++) {
        await enter(page, 'main form button.govuk-button')
        await expectFits(page, checker)
      }
      expect(await page.title()).toContain('Check')
      const check = (await page.textContent('main'))!
      expect(check).toContain('Liked a lot')
      expect(check).toContain('Did not like')
      expect(check).toContain('I kept going at swimming 🏊 and got my 25m badge!')
      await enter(page, 'main form button.govuk-button')
      expect(new URL(page.url()).pathname).toBe(`/my-pep/${charlie.id}`)
      const home = (await page.textContent('main'))!
      expect(home).toContain('Thank you! Your views have been sent')
      expect(home).toContain('You sent your views on')
      await expectFits(page, checker)
      await context.close()
      await scripted.close()

      const worker = await signedIn(journey, DEMO.socialWorker)
      const contents = await PepContentsPage.open(
        worker,
        `${base}/children/${charlie.id}/peps/${pepId}`,
      )
      expect(await contents.mainText()).toContain(
        'Charlie sent their views, in their own words, on',
      )
      await contents.checkAccessible()
      await contents.clickLink('Your assessments and achievements')
      await expect
        .poll(() => contents.mainText())
        .toContain('These answers are Charlie’s own words')
      expect(await contents.mainText()).toContain('I kept going at swimming 🏊')
      await contents.checkAccessible()
      // The pictures reach Section C as words: the read view says what was chosen for each.
      const read = await PepReadPage.open(worker, contents.contentsUrl)
      const sectionC = await read.section('C').textContent()
      expect(sectionC).toMatch(/How do you feel about PE and sport\?\s*Liked a lot/)
      expect(sectionC).toMatch(/How do you feel about lunchtime\?\s*Did not like/)
      await read.checkAccessible()
      await worker.context().close()
    })
  },
)
