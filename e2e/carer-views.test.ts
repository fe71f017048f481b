import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * The carer's views and views recorded on the young person's behalf (issue 20), in a browser:
 * the carer sends their views from their home, a mistake is shown in the
 * error summary with what they typed kept; the social worker reads them in the PEP and records the
 * young person's views on their behalf. Every page is checked with axe.
 */
describe.skipIf(!hasChromium)('the carer’s views, and views given on the child’s behalf', () => {
  const journey = browserJourney()

  it('the carer sends their views; the social worker reads them and records the child’s', async () => {
    const carerContext = await newContext(journey.browser)
    const carer = await carerContext.newPage()
    carer.setDefaultTimeout(20000)
    await signInAs(carer, journey.app.baseUrl, 'carer@example.org')
    await carer
      .getByRole('link', { name: /Tell us your views for the/ })
      .first()
      .click()
    await carer.waitForURL(/\/my-children\/[0-9a-f-]{36}\/peps\/[0-9a-f-]{36}\/views$/)
    const [, childId, pepId] = /my-children\/([0-9a-f-]{36})\/peps\/([0-9a-f-]{36})/.exec(
      carer.url(),
    )!
    await expectAccessible(carer)
    await carer.getByRole('button', { name: 'Send my views' }).click()
    await expect.poll(() => carer.title()).toMatch(/^Error: /)
    await expectAccessible(carer)
    await carer
      .getByLabel('Do you have any worries about their education?')
      .fill('Maths homework 📚')
    await carer.getByRole('button', { name: 'Save and come back later' }).click()
    await expect.poll(() => carer.textContent('main')).toContain('Your views are saved')
    expect(
      await carer.getByLabel('Do you have any worries about their education?').inputValue(),
    ).toBe('Maths homework 📚')
    await carer.getByLabel('What is going well at school?').fill('Made friends in the chess club')
    await carer.getByRole('button', { name: 'Send my views' }).click()
    await carer.waitForURL(/\/my-children$/)
    expect(await carer.textContent('main')).toContain('Thank you. Your views have been sent')
    expect(await carer.textContent('main')).toContain('You sent your views on')
    await expectAccessible(carer)
    await carerContext.close()

    const swContext = await newContext(journey.browser)
    const sw = await swContext.newPage()
    await signInAs(sw, journey.app.baseUrl, 'social.worker@example.org')
    await sw.goto(`${journey.app.baseUrl}/children/${childId}/peps/${pepId}`)
    const contents = (await sw.textContent('main'))!
    expect(contents).toContain('Taylor Carer (carer) sent their views on')
    expect(contents).toContain('Made friends in the chess club')
    await sw.getByRole('link', { name: 'Record the young person’s views on their behalf' }).click()
    await expectAccessible(sw)
    await sw.getByRole('button', { name: 'Record their views on their behalf' }).click()
    await expect.poll(() => sw.title()).toMatch(/^Error: /)
    await expectAccessible(sw)
    await sw.getByLabel('How did you gather their views?').fill('Talked with Charlie after school')
    await sw.getByRole('button', { name: 'Record their views on their behalf' }).click()
    await sw.waitForURL(/\/peps\/[0-9a-f-]{36}$/)
    expect(await sw.textContent('main')).toContain('Recorded by Jordan Social on behalf of Charlie')
    await expectAccessible(sw)
    await swContext.close()
  })
})
