import type { Locator, Page, Response } from 'playwright-core'
import { expectAccessible } from '../browser.ts'
import { ErrorSummary } from './error-summary.ts'

/**
 * A page object's class as the generic openers see it: made from the browser's page alone, with
 * the page's path below the base it is opened from (the app's address, or a PEP's contents), and
 * the address it is at once the browser has arrived there by a link or a form.
 */
export interface PageClass<
  T extends AbstractPage,
  A extends unknown[],
> extends ArrivingPageClass<T> {
  path?(...args: A): string
}

/** A page object's class waited for by a pattern: its own `at`, or one given. */
export interface ArrivingPageClass<T extends AbstractPage> {
  new (page: Page): T
  readonly name: string
  readonly at?: RegExp
}

/**
 * What every OpenPEP page has, for the page objects of the browser journeys (after the HMPPS
 * template's integration_tests/pages/abstractPage.ts): the main content, the heading, the
 * caption naming the child, the notification banner, the GOV.UK error summary, and axe.
 * Selectors are by role and label, as the journeys' own.
 */
export abstract class AbstractPage {
  readonly main: Locator
  readonly heading: Locator
  readonly caption: Locator
  readonly banner: Locator
  /** The GOV.UK error summary by its role (`alert`), as a screen reader finds it. */
  readonly alert: Locator
  readonly errorSummary: ErrorSummary

  readonly page: Page

  /** The server's answer to the request that opened the page, where this object opened it. */
  response: Response | null = null

  /**
   * Opens the page: goes to `base` and the class's `path(...args)`, and keeps the server's answer.
   * Each page object declares only `static path` (and `static at`, to be waited for by a pattern).
   */
  static async open<T extends AbstractPage, A extends unknown[]>(
    this: PageClass<T, A>,
    page: Page,
    base: string,
    ...args: A
  ): Promise<T> {
    const response = await page.goto(`${base}${this.path?.(...args) ?? ''}`)
    const opened = new this(page)
    opened.response = response
    return opened
  }

  /**
   * The page, once the browser has arrived on it (after a link, a form, signing in): at the
   * pattern given, or at the class's `at` when none is; or at `base` and the class's
   * `path(...args)`.
   */
  static waitFor<T extends AbstractPage>(
    this: ArrivingPageClass<T>,
    page: Page,
    url?: RegExp,
  ): Promise<T>
  static waitFor<T extends AbstractPage, A extends unknown[]>(
    this: PageClass<T, A>,
    page: Page,
    base: string,
    ...args: A
  ): Promise<T>
  static async waitFor<T extends AbstractPage>(
    this: PageClass<T, unknown[]>,
    page: Page,
    base?: string | RegExp,
    ...args: unknown[]
  ): Promise<T> {
    const url =
      typeof base === 'string' ? `${base}${this.path?.(...args) ?? ''}` : (base ?? this.at)
    if (url === undefined) throw new Error(`${this.name} has no static at to wait for`)
    await page.waitForURL(url)
    return new this(page)
  }

  /** The page the browser is on now, without going anywhere or waiting. */
  static on<T extends AbstractPage>(this: new (page: Page) => T, page: Page): T {
    return new this(page)
  }

  constructor(page: Page) {
    this.page = page
    this.main = page.locator('main')
    this.heading = page.getByRole('heading', { level: 1 })
    this.caption = page.locator('.govuk-caption-l')
    this.banner = page.locator('.govuk-notification-banner')
    this.alert = page.getByRole('alert')
    this.errorSummary = new ErrorSummary(page)
  }

  /** The main content's words, white space folded. */
  async mainText(): Promise<string> {
    return ((await this.main.textContent()) ?? '').replace(/\s+/g, ' ')
  }

  /** The words of the notification banners, white space folded. */
  async bannerText(): Promise<string> {
    return (await this.banner.allTextContents()).join(' ').replace(/\s+/g, ' ')
  }

  /** The page's first-level heading, white space folded and trimmed. */
  async headingText(): Promise<string> {
    return ((await this.heading.textContent()) ?? '').replace(/\s+/g, ' ').trim()
  }

  /** Fails the test on any WCAG 2.2 AA violation axe finds on the page as it is now. */
  async checkAccessible(): Promise<void> {
    await expectAccessible(this.page)
  }

  /** How wide the whole page scrolls, in CSS pixels (WCAG 1.4.10 Reflow: no wider than the window). */
  scrollWidth(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth)
  }

  /**
   * Links and controls in the main content smaller than 24 by 24 CSS pixels (WCAG 2.2's target
   * size, 2.5.8), as "text (w×h)"; a link inside a sentence is excepted, and a radio's or a
   * checkbox's target is its label (GOV.UK draws a 40px box over the input).
   */
  smallTargets(): Promise<string[]> {
    return this.page.$$eval(
      'main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary',
      (elements) =>
        elements.flatMap((element) => {
          const box = element.getBoundingClientRect()
          if (box.width === 0 && box.height === 0) return []
          // A link inside a sentence is excepted by WCAG 2.2 (2.5.8, inline).
          const parent = element.parentElement
          const inline =
            element.tagName === 'A' &&
            parent !== null &&
            ['P', 'LI', 'DD', 'SPAN'].includes(parent.tagName) &&
            (parent.textContent ?? '').trim() !== (element.textContent ?? '').trim()
          if (inline) return []
          // Radios and checkboxes: their label is the target (GOV.UK draws a 40px box over the input).
          const target =
            element instanceof HTMLInputElement && ['radio', 'checkbox'].includes(element.type)
              ? (element.parentElement?.getBoundingClientRect() ?? box)
              : box
          return target.width >= 24 && target.height >= 24
            ? []
            : [
                `${(element.textContent ?? element.getAttribute('name') ?? '').trim()} (${Math.round(target.width)}×${Math.round(target.height)})`,
              ]
        }),
    )
  }

  /** The addresses of the pictures in the main content that did not load. */
  brokenImages(): Promise<string[]> {
    return this.page.$$eval('main img', (images) =>
      (images as HTMLImageElement[])
        .filter((i) => !i.complete || i.naturalWidth === 0)
        .map((i) => i.src),
    )
  }

  /** The server's status code for the request that opened the page (0 if none). */
  responseStatus(): number {
    return this.response?.status() ?? 0
  }

  url(): string {
    return this.page.url()
  }

  /** The path of the page's address, without the query. */
  path(): string {
    return new URL(this.page.url()).pathname
  }

  title(): Promise<string> {
    return this.page.title()
  }

  /** The words of the alert (the error summary), for `expect.poll` while a page loads. */
  async alertText(): Promise<string> {
    return (await this.alert.textContent()) ?? ''
  }

  /** Presses the header's Sign out button; waits for nothing (where it lands varies). */
  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click()
  }

  /** A link anywhere on the page, by its accessible name. */
  link(name: string | RegExp, options: { exact?: boolean } = {}): Locator {
    return this.page.getByRole('link', { name, exact: options.exact })
  }

  /** A button anywhere on the page, by its accessible name. */
  button(name: string | RegExp, options: { exact?: boolean } = {}): Locator {
    return this.page.getByRole('button', { name, exact: options.exact })
  }

  async clickButton(name: string): Promise<void> {
    await this.page.getByRole('button', { name }).click()
  }

  async clickLink(name: string | RegExp, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByRole('link', { name, exact: options.exact }).click()
  }
}

/** Whatever page the browser is on, for the pages with no page object of their own. */
export class CurrentPage extends AbstractPage {}

/** The page the browser is on now, with what every page has. */
export function onPage(page: Page): CurrentPage {
  return new CurrentPage(page)
}

/** Goes to any address (a link's, a crawl's), with the server's answer kept. */
export async function visit(page: Page, url: string): Promise<CurrentPage> {
  const response = await page.goto(url)
  const current = new CurrentPage(page)
  current.response = response
  return current
}
