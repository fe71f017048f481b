import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { PepContentsPage } from './support/pages/pep-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { CarerHomePage, OnBehalfViewsPage } from './support/pages/young-person-pages.ts'

/*
 * The carer's views and views recorded on the young person's behalf (issue 20), in a browser:
 * the carer sends their views from their home, a mistake is shown in the
 * error summary with what they typed kept; the social worker reads them in the PEP and records the
 * young person's views on their behalf. Every page is checked with axe.
 */
describe.skipIf(!hasChromium)('the carer’s views, and views given on the child’s behalf', () => {
  const journey = browserJourney()

  it('the carer sends their views; the social worker reads them and records the child’s', async () => {
    const base = journey.app.baseUrl
    const carer = await signedIn(journey, DEMO.carer)
    carer.setDefaultTimeout(20000)
    const views = await (await CarerHomePage.waitFor(carer)).openViews()
    const { childId, pepId } = views.ids()
    await views.checkAccessible()
    await views.send()
    await expect.poll(() => views.title()).toMatch(/^Error: /)
    await views.checkAccessible()
    await views.worries.fill('Maths homework 📚')
    await views.saveForLater()
    await expect.poll(() => views.mainText()).toContain('Your views are saved')
    expect(await views.worries.inputValue()).toBe('Maths homework 📚')
    await views.goingWell.fill('Made friends in the chess club')
    await views.send()
    const home = await CarerHomePage.waitFor(carer)
    expect(await home.mainText()).toContain('Thank you. Your views have been sent')
    expect(await home.mainText()).toContain('You sent your views on')
    await home.checkAccessible()
    await carer.context().close()

    const sw = await signedIn(journey, DEMO.socialWorker)
    const contents = await PepContentsPage.open(sw, `${base}/children/${childId}/peps/${pepId}`)
    const words = await contents.mainText()
    expect(words).toContain('Taylor Carer (carer) sent their views on')
    expect(words).toContain('Made friends in the chess club')
    await contents.clickLink('Record the young person’s views on their behalf')
    const onBehalf = new OnBehalfViewsPage(sw)
    await onBehalf.checkAccessible()
    await onBehalf.record()
    await expect.poll(() => onBehalf.title()).toMatch(/^Error: /)
    await onBehalf.checkAccessible()
    await onBehalf.howGathered.fill('Talked with Charlie after school')
    await onBehalf.record()
    const back = await PepContentsPage.waitFor(sw)
    expect(await back.mainText()).toContain('Recorded by Jordan Social on behalf of Charlie')
    await back.checkAccessible()
    await sw.context().close()
  })
})
