import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import type { AbstractPage } from './support/pages/abstract-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { ChildrenPage } from './support/pages/children-page.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

/*
 * Issue 17 in a browser: a bad filter value (an old bookmark, a link edited by hand) on the
 * children list and on My work. Each page says what is wrong in the GOV.UK error summary, passes
 * axe, and is put right with the keyboard alone: the summary has the focus, Tab reaches its link,
 * Enter moves the focus to the filter, an arrow key chooses a value and Enter on the button asks
 * again. The other filters are kept throughout. (Page objects: s14e2e's ChildrenPage, MyWorkPage.)
 */

const focused = (page: Page) =>
  page.evaluate(() => ({
    id: document.activeElement?.id ?? '',
    text: document.activeElement?.textContent?.trim() ?? '',
    inSummary: Boolean(document.activeElement?.closest('.govuk-error-summary')),
  }))

/** Presses Tab until the focus is on the button named (at most 40 presses). */
async function tabToButton(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40 && (await focused(page)).text !== name; i++)
    await page.keyboard.press('Tab')
  expect((await focused(page)).text).toBe(name)
}

/**
 * The error page, by the keyboard: the summary has the focus, its first link goes to the filter,
 * and the arrow key chooses the filter's first value.
 */
async function putRightByKeyboard(page: Page, message: string, field: string): Promise<string> {
  await expect.poll(async () => (await focused(page)).inSummary).toBe(true)
  await page.keyboard.press('Tab')
  expect(await focused(page)).toMatchObject({ text: message, inSummary: true })
  await page.keyboard.press('Enter')
  await expect.poll(async () => (await focused(page)).id).toBe(field)
  await page.keyboard.press('ArrowDown')
  const chosen = await page.locator(`#${field}`).inputValue()
  expect(chosen).not.toBe('')
  return chosen
}

/**
 * Asks again with the keyboard (Tab to the button, Enter) and checks the list as asked: no error,
 * the title, each filter's value kept, and axe.
 */
async function askAgainByKeyboard(
  list: AbstractPage,
  ask: { button: string; url: RegExp; title: string; kept: Record<string, string> },
): Promise<void> {
  const { page } = list
  await tabToButton(page, ask.button)
  await page.keyboard.press('Enter')
  await page.waitForURL(ask.url)
  expect(await page.title()).toBe(ask.title)
  expect(await list.errorSummary.locator.count()).toBe(0)
  for (const [field, value] of Object.entries(ask.kept))
    expect(await page.locator(`#${field}`).inputValue(), field).toBe(value)
  await list.checkAccessible()
}

describe.skipIf(!hasChromium)('a bad filter value, put right with the keyboard', () => {
  const journey = browserJourney()

  it('on the children list', async () => {
    const page = await signedIn(journey, 'vs.head@example.org')
    await page.goto(`${journey.app.baseUrl}/children?year=Y14&sen=any`)
    const list = await ChildrenPage.waitFor(page, /\/children\?year=Y14/)
    await list.errorSummary.expectErrorPage('Select a year group from the list')
    // The children list keeps the other filters and lists by them (My work lists nothing).
    expect(await list.mainText()).toContain(
      'Filtered by Special educational needs: SEN support or an EHC plan.',
    )
    await list.errorSummary.expectAccessibleRefusal('Select a year group from the list')

    const year = await putRightByKeyboard(page, 'Select a year group from the list', 'year')
    expect(year).toBe('under_2')
    await askAgainByKeyboard(list, {
      button: 'Search',
      url: /\/children\?.*year=under_2/,
      title: 'Children – OpenPEP',
      kept: { sen: 'any', year: 'under_2' },
    })
    await page.context().close()
  })

  it('on My work', async () => {
    const page = await signedIn(journey, 'social.worker@example.org')
    await page.goto(`${journey.app.baseUrl}/?overdue=very&area=in`)
    const myWork = new MyWorkPage(page)
    await myWork.errorSummary.expectErrorPage('Select how overdue from the list')
    expect(await page.title()).toBe('Error: My work – OpenPEP')
    await myWork.errorSummary.expectAccessibleRefusal('Select how overdue from the list')

    const overdue = await putRightByKeyboard(page, 'Select how overdue from the list', 'overdue')
    expect(overdue).toBe('past_target')
    await askAgainByKeyboard(myWork, {
      button: 'Filter my children',
      url: /\/\?.*overdue=past_target/,
      title: 'My work – OpenPEP',
      kept: { area: 'in', overdue: 'past_target' },
    })
    await page.context().close()
  })
})
