import { describe, expect, it } from 'vitest'
import { hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SignInPage } from './support/pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'

const LOCKED = 'You have tried too many times. Try again in 15 minutes or reset your password'
const EMAIL = 'iro@example.org'

describe.skipIf(!hasChromium)('an account locks after 5 wrong passwords', () => {
  const journey = browserJourney()

  it('says so, refuses the right password while locked, and lets them in 15 minutes later', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const signIn = await SignInPage.open(page, journey.app.baseUrl)
    await signIn.checkAccessible()
    for (let i = 1; i <= 4; i++) {
      await signIn.submit(EMAIL, `wrong password ${i}`)
      await expect
        .poll(() => signIn.alertText())
        .toContain('Enter a correct email address and password')
    }
    await signIn.checkAccessible()

    await signIn.submit(EMAIL, 'wrong password 5')
    await expect.poll(() => signIn.alertText()).toContain(LOCKED)
    await signIn.checkAccessible()

    await signIn.submit(EMAIL, DEMO_PASSWORD)
    await expect.poll(() => signIn.alertText()).toContain(LOCKED)
    expect(signIn.path()).toBe('/sign-in')

    journey.app.clock.advance(15 * 60_000)
    await signIn.submit(EMAIL, DEMO_PASSWORD)
    const myWork = await MyWorkPage.waitFor(page, journey.app.baseUrl)
    expect(await myWork.heading.textContent()).toBe('My work')
    await myWork.checkAccessible()
    await context.close()
  })
})
