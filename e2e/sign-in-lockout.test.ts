import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'

const LOCKED = 'You have tried too many times. Try again in 15 minutes or reset your password'

async function signIn(page: Page, password: string) {
  await page.getByLabel('Email address').fill('iro@example.org')
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe.skipIf(!hasChromium)('an account locks after 5 wrong passwords', () => {
  const journey = browserJourney()

  it('says so, refuses the right password while locked, and lets them in 15 minutes later', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await page.goto(`${journey.app.baseUrl}/sign-in`)
    await expectAccessible(page)
    for (let i = 1; i <= 4; i++) {
      await signIn(page, `wrong password ${i}`)
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('Enter a correct email address and password')
    }
    await expectAccessible(page)

    await signIn(page, 'wrong password 5')
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(LOCKED)
    await expectAccessible(page)

    await signIn(page, DEMO_PASSWORD)
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(LOCKED)
    expect(new URL(page.url()).pathname).toBe('/sign-in')

    journey.app.clock.advance(15 * 60_000)
    await signIn(page, DEMO_PASSWORD)
    await page.waitForURL(`${journey.app.baseUrl}/`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
    await expectAccessible(page)
    await context.close()
  })
})
