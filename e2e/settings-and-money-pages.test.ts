import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { expectAccessible, hasChromium, launchBrowser, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { fundingWorld, type FundingWorld } from '../src/features/funding/funding-world.ts'

/*
 * The newer pages in Chromium, axe on each state: an administrator's API clients (the list, the
 * form refused, the secret shown once, revoking), the API's readable documentation, and Pupil
 * Premium Plus's discarding of an unpaid payment run and the impact form's earlier records after
 * a correction (its data made through HTTP as the funding tests do, then the pages visited).
 */

describe.skipIf(!hasChromium)('API clients and the API documentation', () => {
  const journey = browserJourney()

  it('adds a client (refused first), sees its secret once, and revokes it', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const base = journey.app.baseUrl
    const main = () => page.textContent('main')
    await signInAs(page, base, 'vs.admin@example.org')

    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.waitForURL(`${base}/admin/settings`)
    await page.goto(`${base}/admin/settings/api-clients`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('API clients')
    expect(await main()).toContain('Harrowfield County Council has no API clients.')
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Add an API client' }).click()
    await page.waitForURL(/\/admin\/settings\/api-clients\/new/)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Add API client' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    const errors = (await page.textContent('.govuk-error-summary')) ?? ''
    expect(errors).toContain('Enter a name for the system')
    expect(errors).toContain('Select what the system may do')
    await expectAccessible(page)

    await page.getByLabel('Name of the system').fill('Mosaic (live)')
    await page.getByLabel('Read PEPs and their states').check()
    await page.getByRole('button', { name: 'Add API client' }).click()
    await page.getByText('API client added').waitFor()
    const secret = (await page.textContent('#secret')) ?? ''
    expect(secret).toMatch(/^opep_[\w-]{43}$/)
    expect(await main()).toContain('Copy the secret now. It is shown only once')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Back to API clients' }).click()
    await page.waitForURL(/\/admin\/settings\/api-clients/)
    expect(await main()).toContain('Mosaic (live)')
    expect(await main()).toContain(`…${secret.slice(-4)}`)
    expect(await main()).not.toContain(secret)
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Revoke Mosaic (live)' }).click()
    await page.waitForURL(/\/api-clients\/[\w-]+\/revoke/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Are you sure you want to revoke Mosaic (live)?',
    )
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Yes, revoke Mosaic (live)' }).click()
    await page.getByText('Mosaic (live) is revoked: its secret no longer works').waitFor()
    const card = page.locator('.govuk-summary-card', { hasText: 'Mosaic (live)' })
    expect(await card.textContent()).toMatch(/Status\s*Revoked/)
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Read the API’s documentation' }).click()
    await page.waitForURL(`${base}/api/v1/docs`)
    await context.close()
  })

  it('reads the API’s documentation without signing in', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await page.goto(`${journey.app.baseUrl}/api/v1/docs`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('OpenPEP API')
    const main = (await page.textContent('main')) ?? ''
    expect(main).toContain('Signing calls')
    expect(main).toContain('Read PEPs and their states')
    expect(main).toContain('GET /api/v1/peps')
    await expectAccessible(page)
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
    w = await fundingWorld()
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

  async function as(email: string): Promise<Page> {
    const page = await (await newContext(browser)).newPage()
    await signInAs(page, base, email)
    return page
  }

  it('discards an unpaid payment run after confirming', async () => {
    const page = await as('vs.admin@example.org')
    await page.goto(`${base}${runPath}`)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'discard it' }).click()
    await page.waitForURL(/\/discard\?/)
    expect(await page.textContent('main')).toContain('The run has 1 line, £300.00 in all')
    await expectAccessible(page)
    // A reason past its limit: the error names the field and keeps what was typed.
    const reasonBox = page.getByLabel('Why are you discarding it? (optional)')
    await reasonBox.fill('x'.repeat(501))
    await page.getByRole('button', { name: 'Discard this run' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    expect(await page.textContent('.govuk-error-summary')).toContain(
      'The reason must be 500 characters or fewer',
    )
    expect(await reasonBox.inputValue()).toBe('x'.repeat(501))
    await expectAccessible(page)
    await reasonBox.fill('Made for the wrong period')
    await page.getByRole('button', { name: 'Discard this run' }).click()
    await page.waitForURL(/\/funding\/payment-runs\?authority=/)
    expect(await page.textContent('main')).toContain('Payment run discarded: 1 line unpaid again')
    const row = page.locator('tr', { hasText: 'Discarded on' })
    expect(await row.textContent()).toMatch(
      /Discarded on 23 November 2026 at .+ by .+: Made for the wrong period/,
    )
    await expectAccessible(page)
    // The discarded run is kept and read only: no downloads, no payment, no discarding.
    await row.getByRole('link').click()
    await page.waitForURL(/\/funding\/payment-runs\/[^/?]+\?authority=/)
    const main = (await page.textContent('main')) ?? ''
    expect(main).toContain('cannot be exported, paid or changed')
    expect(await page.getByRole('link', { name: 'CSV' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Mark as paid' }).count()).toBe(0)
    await expectAccessible(page)
    await page.context().close()
  })

  it('corrects an impact, the earlier record kept and shown', async () => {
    const page = await as('designated.teacher@example.org')
    const form = `${base}/children/${child.childId}/peps/${nextPepId}/funding-impact/${requestId}`
    await page.goto(form)
    await expectAccessible(page)
    expect(await page.getByLabel('What difference did the funding make?').inputValue()).toBe(
      'Now secure in fractions',
    )
    await page.getByLabel('Partly achieved').check()
    await page.getByLabel('What difference did the funding make?').fill('Fractions mostly secure')
    await page.getByRole('button', { name: 'Save the impact' }).click()
    await page.waitForURL(/\/funding-impact(\?|$)/)
    expect(await page.textContent('main')).toContain('Fractions mostly secure')
    await expectAccessible(page)
    await page.goto(form)
    const earlier = (await page.textContent('main')) ?? ''
    expect(earlier).toContain('Earlier records')
    expect(earlier).toContain('A correction keeps what was recorded before.')
    expect(earlier).toContain('Achieved: Now secure in fractions')
    expect(await page.getByLabel('What difference did the funding make?').inputValue()).toBe(
      'Fractions mostly secure',
    )
    await expectAccessible(page)
    await page.context().close()
  })
})
