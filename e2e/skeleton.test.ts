import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { onPage } from './support/pages/abstract-page.ts'
import { ChildrenPage } from './support/pages/children-page.ts'
import { MailboxPage } from './support/pages/mailbox-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'

describe.skipIf(!hasChromium)(
  'a Virtual School administrator signs in and finds the children',
  () => {
    const journey = browserJourney()

    it('signs in, sees My work and the children list, and signs out', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      const base = journey.app.baseUrl
      await page.goto(`${base}/`)
      const signIn = SignInPage.on(page)
      expect(signIn.path()).toBe('/sign-in')
      expect(await signIn.title()).toBe('Sign in – OpenPEP')
      await signIn.checkAccessible()

      await signIn.submit(DEMO.admin, 'wrong password')
      await expect.poll(() => signIn.title()).toBe('Error: Sign in – OpenPEP')
      await expect
        .poll(() => signIn.alertText())
        .toContain('Enter a correct email address and password')
      expect(await signIn.emailField.inputValue()).toBe(DEMO.admin)
      await signIn.checkAccessible()

      await signIn.submit(DEMO.admin, DEMO_PASSWORD)
      const myWork = await MyWorkPage.waitFor(page, base)
      expect(await myWork.heading.textContent()).toBe('My work')
      expect(await myWork.mainText()).toContain('Find a child in your authority')
      await myWork.checkAccessible()

      await myWork.clickLink('Children', { exact: true })
      const children = await ChildrenPage.waitFor(page, base)
      expect(await children.mainText()).toContain('Showing 1 to 25 of 28 children.')
      await children.checkAccessible()
      await children.clickLink('Next')
      await page.waitForURL(`${base}/children?page=2`)
      expect(await children.mainText()).toContain('Showing 26 to 28 of 28 children.')
      await children.checkAccessible()

      // The list filtered and sorted (issue 17): the filter in words, kept in the form, and axe.
      await children.search({ status: 'in_care', sort: 'worker', order: 'descending' })
      await page.waitForURL(/\/children\?.*status=in_care/)
      expect(new URL(children.url()).searchParams.get('sort')).toBe('worker')
      expect(await children.mainText()).toContain('Filtered by Status: In care.')
      expect(await children.status.inputValue()).toBe('in_care')
      expect(await children.csvLink.getAttribute('href')).toContain('/children/export?')
      await children.checkAccessible()

      const record = await children.openFirstChild()
      expect(await record.mainText()).toContain('Users with access to this record')
      await record.checkAccessible()

      await record.signOut()
      await page.waitForURL(`${base}/sign-in`)
      await context.close()
    })

    it('works with the keyboard alone', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      await SignInPage.open(page, journey.app.baseUrl)
      const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '')
      // The first Tab lands on the skip link, as the design system intends.
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Skip to main content',
      )
      for (let i = 0; i < 10 && (await focusedId()) !== 'email'; i++)
        await page.keyboard.press('Tab')
      expect(await focusedId()).toBe('email')
      await page.keyboard.type(DEMO.head)
      await page.keyboard.press('Tab')
      expect(await focusedId()).toBe('password')
      await page.keyboard.type(DEMO_PASSWORD)
      await page.keyboard.press('Enter')
      const myWork = await MyWorkPage.waitFor(page, journey.app.baseUrl)
      expect(await myWork.heading.textContent()).toBe('My work')
      await myWork.checkAccessible()
      await context.close()
    })

    it('works without JavaScript', async () => {
      const context = await newContext(journey.browser, { javaScriptEnabled: false })
      const page = await context.newPage()
      const base = journey.app.baseUrl
      await (await SignInPage.open(page, base)).submit(DEMO.consultant)
      const myWork = await MyWorkPage.waitFor(page, base)
      expect(await myWork.heading.textContent()).toBe('My work')
      await myWork.clickLink('Children', { exact: true })
      const children = await ChildrenPage.waitFor(page, base)
      expect(await children.mainText()).toContain('Showing 1 to 25 of 28 children.')
      await children.signOut()
      await page.waitForURL(`${base}/sign-in`)
      await context.close()
    })

    it('shows the design-system 404 page', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      const response = await page.goto(`${journey.app.baseUrl}/there-is-nothing-here`)
      expect(response?.status()).toBe(404)
      const notFound = onPage(page)
      expect(await notFound.heading.textContent()).toBe('Page not found')
      await notFound.checkAccessible()
      await context.close()
    })

    it('shows the development mailbox', async () => {
      // Signed in: it shows each person their own email (issue 13).
      const page = await signedIn(journey, DEMO.carer)
      const mailbox = await MailboxPage.open(page, journey.app.baseUrl)
      expect(await mailbox.heading.textContent()).toBe('Development mailbox')
      await mailbox.checkAccessible()
      await page.context().close()
    })

    // The check itself: axe-core loads as the app's script (support/browser.ts, loadAxe) and
    // finds a violation; a page that runs no scripts, where axe cannot run, fails at once.
    it('fails the accessibility check on a page with a violation', async () => {
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      await page.goto(`${journey.app.baseUrl}/sign-in`)
      await expectAccessible(page)
      await page.evaluate(() => {
        const image = document.createElement('img')
        image.src = '/assets/nothing.png'
        document.querySelector('main')!.append(image)
      })
      await expect(expectAccessible(page)).rejects.toThrow(/image-alt/)
      await context.close()

      const withoutScripts = await newContext(journey.browser, { javaScriptEnabled: false })
      const plain = await withoutScripts.newPage()
      await plain.goto(`${journey.app.baseUrl}/sign-in`)
      await expect(expectAccessible(plain)).rejects.toThrow(/runs no scripts/)
      await withoutScripts.close()
    })
  },
)
