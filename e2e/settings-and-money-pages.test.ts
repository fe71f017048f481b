import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { hasChromium, launchBrowser, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { onPage } from './support/pages/abstract-page.ts'
import { ApiClientsPage } from './support/pages/api-client-pages.ts'
import {
  FundingImpactPage,
  PaymentRunPage,
  PaymentRunsPage,
} from './support/pages/funding-pages.ts'
import { SettingsPage } from './support/pages/settings-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { fundingWorld, type FundingWorld } from '../src/testing/funding-world.ts'
import { serveAxeCore } from './support/server.ts'

/*
 * The newer pages in Chromium, axe on each state: an administrator's API clients (the list, the
 * form refused, the secret shown once, revoking), the API's readable documentation, and Pupil
 * Premium Plus's discarding of an unpaid payment run and the impact form's earlier records after
 * a correction (its data made through HTTP as the funding tests do, then the pages visited).
 */

describe.skipIf(!hasChromium)('API clients and the API documentation', () => {
  const journey = browserJourney()

  it('adds a client (refused first), sees its secret once, and revokes it', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, DEMO.admin)

    await SettingsPage.fromMenu(page, base)
    const clients = await ApiClientsPage.open(page, base)
    expect(await clients.heading.textContent()).toBe('API clients')
    expect(await clients.mainText()).toContain('Harrowfield County Council has no API clients.')
    await clients.checkAccessible()

    const form = await clients.addClient()
    await form.checkAccessible()
    await form.submit()
    const errors = await form.errorSummary.text()
    expect(errors).toContain('Enter a name for the system')
    expect(errors).toContain('Select what the system may do')
    await form.checkAccessible()

    await form.add({ name: 'Mosaic (live)', scopes: ['Read PEPs and their states'] })
    const secret = await form.secret()
    expect(secret).toMatch(/^opep_[\w-]{43}$/)
    expect(await form.mainText()).toContain('Copy the secret now. It is shown only once')
    await form.checkAccessible()

    const list = await form.backToClients()
    expect(await list.mainText()).toContain('Mosaic (live)')
    expect(await list.mainText()).toContain(`…${secret.slice(-4)}`)
    expect(await list.mainText()).not.toContain(secret)
    await list.checkAccessible()

    await list.revoke('Mosaic (live)')
    expect(await list.heading.textContent()).toBe('Are you sure you want to revoke Mosaic (live)?')
    await list.checkAccessible()
    await list.confirmRevoke('Mosaic (live)')
    await page.getByText('Mosaic (live) is revoked: its secret no longer works').waitFor()
    expect(await list.card('Mosaic (live)').textContent()).toMatch(/Status\s*Revoked/)
    await list.checkAccessible()

    await list.clickLink('Read the API’s documentation')
    await page.waitForURL(`${base}/api/v1/docs`)
    await page.context().close()
  })

  it('reads the API’s documentation without signing in', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await page.goto(`${journey.app.baseUrl}/api/v1/docs`)
    const docs = onPage(page)
    expect(await docs.heading.textContent()).toBe('OpenPEP API')
    const main = (await page.textContent('main')) ?? ''
    expect(main).toContain('Signing calls')
    expect(main).toContain('Read PEPs and their states')
    expect(main).toContain('GET /api/v1/peps')
    await docs.checkAccessible()
    await context.close()
  })
})

describe.skipIf(!hasChromium)('Pupil Premium Plus: a run discarded, an impact corrected', () => {
  let w: FundingWorld
  let browser: Browser
  let base = ''
  let child: { childId: string; pepId: string; targetIds: string[] }
  let nextPepId = ''
  let requestId = ''
  let runPath = ''

  beforeAll(async () => {
    w = await fundingWorld({ testRoutes: serveAxeCore })
    await w.setBudget(2026, 263_000)
    child = await w.childWithTargets('HFD-AXE-1', ['Maths'])
    requestId = await w.request(child.childId, child.pepId, child.targetIds[0]!, '300')
    const consultant = await w.agent('vs.consultant@example.org')
    expect(await w.decide(consultant, child.childId, requestId, { outcome: 'approved' })).toBe(303)
    nextPepId = await w.startPep(child.childId, { term: '2027-spring' })
    const dt = await w.agent('designated.teacher@example.org')
    const impact = `/children/${child.childId}/peps/${nextPepId}/funding-impact/${requestId}`
    await dt.get(impact)
    const recorded = await dt.post(impact, {
      outcome: 'achieved',
      difference: 'Now secure in fractions',
      version: '0',
    })
    expect(recorded.statusCode).toBe(303)
    const admin = await w.agent('vs.admin@example.org')
    await admin.get('/funding/payment-runs')
    const made = await admin.post('/funding/payment-runs', {
      'from-day': '1',
      'from-month': '11',
      'from-year': '2026',
      'to-day': '30',
      'to-month': '11',
      'to-year': '2026',
    })
    expect(made.statusCode).toBe(303)
    runPath = made.headers.location!
    await (w.t.app as FastifyInstance).listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(w.t.app.server.address() as AddressInfo).port}`
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await w?.close()
  })

  const as = (email: string): Promise<Page> => signedIn({ browser, app: { baseUrl: base } }, email)

  it('discards an unpaid payment run after confirming', async () => {
    const page = await as(DEMO.admin)
    const run = await PaymentRunPage.open(page, base, runPath)
    await run.checkAccessible()
    const discard = await run.startDiscarding()
    expect(await page.textContent('main')).toContain('The run has 1 line, £300.00 in all')
    await discard.checkAccessible()
    // A reason past its limit: the error names the field and keeps what was typed.
    await discard.reason.fill('x'.repeat(501))
    await discard.discard()
    expect(await discard.errorSummary.text()).toContain(
      'The reason must be 500 characters or fewer',
    )
    expect(await discard.reason.inputValue()).toBe('x'.repeat(501))
    await discard.checkAccessible()
    await discard.reason.fill('Made for the wrong period')
    await discard.discard()
    const runs = await PaymentRunsPage.waitFor(page)
    expect(await page.textContent('main')).toContain('Payment run discarded: 1 line unpaid again')
    const row = runs.discardedRow
    expect(await row.textContent()).toMatch(
      /Discarded on 23 November 2026 at .+ by .+: Made for the wrong period/,
    )
    await runs.checkAccessible()
    // The discarded run is kept and read only: no downloads, no payment, no discarding.
    await row.getByRole('link').click()
    const discarded = await PaymentRunPage.waitFor(page)
    const main = (await page.textContent('main')) ?? ''
    expect(main).toContain('cannot be exported, paid or changed')
    expect(await discarded.csvLink.count()).toBe(0)
    expect(await discarded.markAsPaid.count()).toBe(0)
    await discarded.checkAccessible()
    await page.context().close()
  })

  it('corrects an impact, the earlier record kept and shown', async () => {
    const page = await as(DEMO.designatedTeacher)
    const form = `${base}/children/${child.childId}/peps/${nextPepId}/funding-impact/${requestId}`
    const impact = await FundingImpactPage.open(page, form)
    await impact.checkAccessible()
    expect(await impact.difference.inputValue()).toBe('Now secure in fractions')
    await impact.record('Partly achieved', 'Fractions mostly secure')
    await page.waitForURL(/\/funding-impact(\?|$)/)
    expect(await page.textContent('main')).toContain('Fractions mostly secure')
    await impact.checkAccessible()
    const corrected = await FundingImpactPage.open(page, form)
    const earlier = (await page.textContent('main')) ?? ''
    expect(earlier).toContain('Earlier records')
    expect(earlier).toContain('A correction keeps what was recorded before.')
    expect(earlier).toContain('Achieved: Now secure in fractions')
    expect(await corrected.difference.inputValue()).toBe('Fractions mostly secure')
    await corrected.checkAccessible()
    await page.context().close()
  })
})
