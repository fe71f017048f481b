import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'

describe.skipIf(!hasChromium)(
  'a Virtual School administrator signs in and finds the children',
  () => {
    const journey = browserJourney()

    it('signs in, sees My work and the children list, and signs out', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      await page.goto(`${journey.app.baseUrl}/`)
      expect(new URL(page.url()).pathname).toBe('/sign-in')
      expect(await page.title()).toBe('Sign in – OpenPEP')
      await expectAccessible(page)

      await page.getByLabel('Email address').fill('vs.admin@example.org')
      await page.getByLabel('Password', { exact: true }).fill('wrong password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await expect.poll(() => page.title()).toBe('Error: Sign in – OpenPEP')
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('Enter a correct email address and password')
      expect(await page.getByLabel('Email address').inputValue()).toBe('vs.admin@example.org')
      await expectAccessible(page)

      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${journey.app.baseUrl}/`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
      expect(await page.textContent('main')).toContain('Find a child in your authority')
      await expectAccessible(page)

      await page.getByRole('link', { name: 'Children', exact: true }).click()
      await page.waitForURL(`${journey.app.baseUrl}/children`)
      expect(await page.textContent('main')).toContain('Showing 1 to 25 of 28 children.')
      await expectAccessible(page)
      await page.getByRole('link', { name: 'Next' }).click()
      await page.waitForURL(`${journey.app.baseUrl}/children?page=2`)
      expect(await page.textContent('main')).toContain('Showing 26 to 28 of 28 children.')
      await expectAccessible(page)

      // The list filtered and sorted (issue 17): the filter in words, kept in the form, and axe.
      await page.getByLabel('Status').selectOption('in_care')
      await page.getByLabel('Sort by').selectOption('worker')
      await page.getByLabel('Order').selectOption('descending')
      await page.getByRole('button', { name: 'Search' }).click()
      await page.waitForURL(/\/children\?.*status=in_care/)
      expect(new URL(page.url()).searchParams.get('sort')).toBe('worker')
      expect(await page.textContent('main')).toContain('Filtered by Status: In care.')
      expect(await page.getByLabel('Status').inputValue()).toBe('in_care')
      expect(
        await page.getByRole('link', { name: 'CSV file of these children' }).getAttribute('href'),
      ).toContain('/children/export?')
      await expectAccessible(page)

      await page.locator('main table a').first().click()
      await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
      expect(await page.textContent('main')).toContain('Users with access to this record')
      await expectAccessible(page)

      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${journey.app.baseUrl}/sign-in`)
      await context.close()
    })

    it('works with the keyboard alone', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      await page.goto(`${journey.app.baseUrl}/sign-in`)
      const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '')
      // The first Tab lands on the skip link, as the design system intends.
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Skip to main content',
      )
      for (let i = 0; i < 10 && (await focusedId()) !== 'email'; i++)
        await page.keyboard.press('Tab')
      expect(await focusedId()).toBe('email')
      await page.keyboard.type('vs.head@example.org')
      await page.keyboard.press('Tab')
      expect(await focusedId()).toBe('password')
      await page.keyboard.type(DEMO_PASSWORD)
      await page.keyboard.press('Enter')
      await page.waitForURL(`${journey.app.baseUrl}/`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
      await expectAccessible(page)
      await context.close()
    })

    it('works without JavaScript', async () => {
      const context = await newContext(journey.browser, { javaScriptEnabled: false })
      const page = await context.newPage()
      await page.goto(`${journey.app.baseUrl}/sign-in`)
      await page.getByLabel('Email address').fill('vs.consultant@example.org')
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${journey.app.baseUrl}/`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
      await page.getByRole('link', { name: 'Children', exact: true }).click()
      await page.waitForURL(`${journey.app.baseUrl}/children`)
      expect(await page.textContent('main')).toContain('Showing 1 to 25 of 28 children.')
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${journey.app.baseUrl}/sign-in`)
      await context.close()
    })

    it('shows the design-system 404 page', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      const response = await page.goto(`${journey.app.baseUrl}/there-is-nothing-here`)
      expect(response?.status()).toBe(404)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found')
      await expectAccessible(page)
      await context.close()
    })

    it('shows the development mailbox', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      // Signed in: it shows each person their own email (issue 13).
      await signInAs(page, journey.app.baseUrl, 'carer@example.org')
      await page.goto(`${journey.app.baseUrl}/dev/mailbox`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Development mailbox',
      )
      await expectAccessible(page)
      await context.close()
    })
  },
)
