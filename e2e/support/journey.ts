import { afterAll, beforeAll } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from './browser.ts'
import { startApp, type RunningApp } from './server.ts'
import { DEMO_PASSWORD } from '../../src/db/seed.ts'
import { SignInPage } from './pages/sign-in-page.ts'

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

/** Signs in through the sign-in page as a demo user and waits for their home page. */
export async function signInAs(
  page: Page,
  baseUrl: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await (await SignInPage.open(page, baseUrl)).signIn(email, password)
}
