import { afterAll, beforeAll } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from './browser.ts'
import { startApp, type RunningApp } from './server.ts'
import { DEMO_PASSWORD } from '../../src/db/seed.ts'

/** For a describe block of browser journeys: the app with the demo seeded, and a browser, shared by its tests. */
export function browserJourney(): { app: RunningApp; browser: Browser } {
  const state = {} as { app: RunningApp; browser: Browser }
  beforeAll(async () => {
    state.app = await startApp()
    state.browser = await launchBrowser()
  })
  afterAll(async () => {
    await state.browser?.close()
    await state.app?.close()
  })
  return state
}

/** Signs in through the sign-in page as a demo user and waits for My work. */
export async function signInAs(
  page: Page,
  baseUrl: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  // Everyone lands on My work, but the young person and the carer on their own homes (issue 20).
  await page.waitForURL(
    (url) =>
      url.href === `${baseUrl}/` ||
      url.href === `${baseUrl}/my-children` ||
      (url.href.startsWith(`${baseUrl}/my-pep/`) &&
        !url.href.slice(baseUrl.length + 8).includes('/')),
  )
}
