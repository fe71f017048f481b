import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

describe.skipIf(!hasChromium)('a Virtual School administrator changes the settings', () => {
  const journey = browserJourney()

  it('sets the school’s due date in working days, adds a closure day, turns on the business support check', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const base = journey.app.baseUrl
    const heading = () => page.getByRole('heading', { level: 1 }).textContent()
    const main = () => page.textContent('main')

    await signInAs(page, base, 'vs.admin@example.org')
    await expectAccessible(page)

    // The overview, from the menu.
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.waitForURL(`${base}/admin/settings`)
    expect(await heading()).toBe('Settings')
    expect(await main()).toContain('14 calendar days after the meeting')
    await expectAccessible(page)

    // The school's due date: 10 working days.
    await page.getByRole('link', { name: 'Change school’s due date' }).click()
    await page.waitForURL(/\/admin\/settings\/timescales\?authority=/)
    expect(await heading()).toBe('Timescales')
    await expectAccessible(page)
    await page.getByLabel('The school’s due date when its sections are delegated').fill('10')
    await page.getByLabel('Working days').check()
    await page.getByRole('button', { name: 'Save timescales' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)
    expect(await main()).toContain('Timescales saved')
    expect(await main()).toContain('10 working days after the meeting')
    await expectAccessible(page)

    // A closure day: first on Christmas Day by mistake, then on the right day.
    await page.getByRole('link', { name: 'Change closure days to come' }).click()
    await page.waitForURL(/\/admin\/settings\/closure-days\?authority=/)
    expect(await heading()).toBe('Closure days')
    await expectAccessible(page)
    await page.getByLabel('Day').fill('25')
    await page.getByLabel('Month').fill('12')
    await page.getByLabel('Year').fill('2026')
    await page.getByLabel('Description').fill('Office closed between Christmas and New Year')
    await page.getByRole('button', { name: 'Add closure day' }).click()
    await expect.poll(() => page.title()).toBe('Error: Closure days – OpenPEP')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      '25 December 2026 is already a bank holiday (Christmas Day)',
    )
    expect(await page.getByLabel('Description').inputValue()).toBe(
      'Office closed between Christmas and New Year',
    )
    await expectAccessible(page)
    await page.getByLabel('Day').fill('29')
    await page.getByRole('button', { name: 'Add closure day' }).click()
    await expect.poll(main).toContain('29 December 2026 added as a closure day')
    expect(await page.locator('table').textContent()).toContain(
      'Office closed between Christmas and New Year',
    )
    await expectAccessible(page)

    // The business support check.
    await page.getByRole('link', { name: 'Back to settings' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)
    await page.getByRole('link', { name: 'Change business support check' }).click()
    await page.waitForURL(/\/admin\/settings\/quality-assurance\?authority=/)
    expect(await heading()).toBe('Quality assurance')
    await expectAccessible(page)
    await page.getByLabel('Yes').check()
    await page.getByRole('button', { name: 'Save quality assurance' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)
    expect(await main()).toContain('Quality assurance saved')
    const qa = page.locator('.govuk-summary-card', { hasText: 'Business support check' })
    expect(await qa.textContent()).toMatch(/Business support check\s*On/)
    expect(await main()).toContain('29 December 2026')
    await expectAccessible(page)
    await context.close()
  })

  it('stops the carers’ email when a PEP is signed off, and turns it on again', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const base = journey.app.baseUrl
    const carers = () => page.locator('.govuk-summary-card', { hasText: 'Email carers' })
    await signInAs(page, base, 'vs.admin@example.org')
    await page.goto(`${base}/admin/settings`)
    expect(await carers().textContent()).toContain(
      'On: a link to sign in and read it, never the PEP itself',
    )
    await page.getByRole('link', { name: 'Change email carers when a PEP is signed off' }).click()
    await page.waitForURL(/\/admin\/settings\/carers\?authority=/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Carers')
    const question = page.getByRole('group', { name: 'Email carers when a PEP is signed off?' })
    expect(await question.getByLabel('Yes').isChecked()).toBe(true)
    await expectAccessible(page)
    await question.getByLabel('No').check()
    await page.getByRole('button', { name: 'Save carers' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)
    expect(await page.textContent('main')).toContain('Carers saved')
    expect(await carers().textContent()).toMatch(/Email carers when a PEP is signed off\s*Off/)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Change email carers when a PEP is signed off' }).click()
    await page.waitForURL(/\/admin\/settings\/carers\?authority=/)
    expect(await question.getByLabel('No').isChecked()).toBe(true)
    await question.getByLabel('Yes').check()
    await page.getByRole('button', { name: 'Save carers' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)
    expect(await carers().textContent()).toContain('On: a link to sign in')
    await context.close()
  })

  it('sees what OpenPEP did by itself for the authority, and when it runs next', async () => {
    const { db } = journey.app.database
    const authority = await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    for (const [kind, at] of [
      ['due-soon', '2026-11-22T06:00:00Z'],
      ['escalate-to-social-worker', '2026-11-22T06:00:01Z'],
      ['no-pep', '2026-11-02T01:00:00Z'],
    ] as const)
      await db
        .insertInto('scheduled_notice')
        .values({
          kind,
          subject_id: randomUUID(),
          for_date: at.slice(0, 10),
          authority_id: authority.id,
          created_at: new Date(at),
        })
        .execute()
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const base = journey.app.baseUrl
    await signInAs(page, base, 'vs.admin@example.org')
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.waitForURL(`${base}/admin/settings`)
    await page
      .getByRole('link', { name: 'See what OpenPEP did by itself and when it runs next' })
      .click()
    await page.waitForURL(/\/admin\/settings\/scheduled-work\?authority=/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Scheduled work')
    const main = await page.textContent('main')
    expect(main).toContain('Reminders to schools and escalations')
    expect(main).toContain('24 November 2026 at 6am')
    const table = page.getByRole('table')
    expect(await table.getByRole('columnheader').allTextContents()).toEqual([
      'Day',
      'Due-date reminders',
      'Escalations to social workers',
      'No-PEP alerts',
    ])
    expect(await table.getByRole('row', { name: /22 November 2026/ }).textContent()).toMatch(
      /22 November 2026\s*1\s*1\s*0/,
    )
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Back to settings' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)
    await context.close()
  })

  it('changes a term window after a mistake, reads the reminders, and chooses between two authorities', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const base = journey.app.baseUrl
    await signInAs(page, base, 'vs.admin@example.org')
    await page.goto(`${base}/admin/settings`)

    await page.getByRole('link', { name: 'Change autumn term deadline' }).click()
    await page.waitForURL(/\/admin\/settings\/term-windows\?authority=/)
    await expectAccessible(page)
    const autumn = page.getByRole('group', { name: 'Autumn term deadline' })
    await autumn.getByLabel('Day').fill('31')
    await autumn.getByLabel('Month').fill('2')
    await page.getByRole('button', { name: 'Save term windows' }).click()
    expect(await page.textContent('.govuk-error-summary')).toContain(
      'Autumn term deadline must be a real date',
    )
    expect(await autumn.getByLabel('Day').inputValue()).toBe('31')
    await expectAccessible(page)
    await autumn.getByLabel('Day').fill('10')
    await autumn.getByLabel('Month').fill('12')
    await page.getByRole('button', { name: 'Save term windows' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)
    expect(await page.textContent('main')).toContain('10 December')

    await page.getByRole('link', { name: 'Change reminders and escalations' }).click()
    await page.waitForURL(/\/admin\/settings\/reminders\?authority=/)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save reminders and escalations' }).click()
    await page.waitForURL(/\/admin\/settings\?authority=/)

    // An administrator of two authorities chooses one first.
    const db = journey.app.database.db
    const [admin, eastmere] = await Promise.all([
      db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'vs.admin@example.org')
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('authority')
        .select(['id', 'name'])
        .where('code', '!=', 'HFD')
        .executeTakeFirstOrThrow(),
    ])
    await db
      .insertInto('membership')
      .values({ user_id: admin.id, authority_id: eastmere.id, role: 'vs_admin' })
      .execute()
    try {
      await page.goto(`${base}/admin/settings`)
      expect(await page.textContent('main')).toContain('Choose the authority')
      await expectAccessible(page)
      await page.getByRole('link', { name: eastmere.name }).click()
      await page.waitForURL(/\/admin\/settings\?authority=/)
      await expectAccessible(page)
    } finally {
      await db
        .deleteFrom('membership')
        .where('user_id', '=', admin.id)
        .where('authority_id', '=', eastmere.id)
        .execute()
    }
    await context.close()
  })
})
