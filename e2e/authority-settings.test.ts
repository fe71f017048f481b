import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, demoAuthorityId, demoUserId } from './support/demo.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SettingsPage } from './support/pages/settings-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { giveRole } from '../src/testing/factories.ts'

describe.skipIf(!hasChromium)('a Virtual School administrator changes the settings', () => {
  const journey = browserJourney()

  it('sets the school’s due date in working days, adds a closure day, turns on the business support check', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, DEMO.admin)
    await new MyWorkPage(page).checkAccessible()

    // The overview, from the menu.
    const settings = await SettingsPage.fromMenu(page, base)
    expect(await settings.heading.textContent()).toBe('Settings')
    expect(await settings.mainText()).toContain('14 calendar days after the meeting')
    await settings.checkAccessible()

    // The school's due date: 10 working days.
    const timescales = await settings.change(
      'Change school’s due date',
      /\/admin\/settings\/timescales\?authority=/,
    )
    expect(await timescales.heading.textContent()).toBe('Timescales')
    await timescales.checkAccessible()
    await timescales.field('The school’s due date when its sections are delegated').fill('10')
    await timescales.field('Working days').check()
    const saved = await timescales.saveAndReturn('Save timescales')
    expect(await saved.mainText()).toContain('Timescales saved')
    expect(await saved.mainText()).toContain('10 working days after the meeting')
    await saved.checkAccessible()

    // A closure day: first on Christmas Day by mistake, then on the right day.
    const closures = await saved.change(
      'Change closure days to come',
      /\/admin\/settings\/closure-days\?authority=/,
    )
    expect(await closures.heading.textContent()).toBe('Closure days')
    await closures.checkAccessible()
    await closures.fillDate('25', '12', '2026')
    await closures.field('Description').fill('Office closed between Christmas and New Year')
    await closures.save('Add closure day')
    await expect.poll(() => closures.title()).toBe('Error: Closure days – OpenPEP')
    expect(await closures.errorSummary.text()).toContain(
      '25 December 2026 is already a bank holiday (Christmas Day)',
    )
    expect(await closures.field('Description').inputValue()).toBe(
      'Office closed between Christmas and New Year',
    )
    await closures.checkAccessible()
    await closures.field('Day').fill('29')
    await closures.save('Add closure day')
    await expect
      .poll(() => closures.mainText())
      .toContain('29 December 2026 added as a closure day')
    expect(await page.locator('table').textContent()).toContain(
      'Office closed between Christmas and New Year',
    )
    await closures.checkAccessible()

    // The business support check.
    const back = await closures.backToSettings()
    const qaForm = await back.change(
      'Change business support check',
      /\/admin\/settings\/quality-assurance\?authority=/,
    )
    expect(await qaForm.heading.textContent()).toBe('Quality assurance')
    await qaForm.checkAccessible()
    await qaForm.field('Yes').check()
    const after = await qaForm.saveAndReturn('Save quality assurance')
    expect(await after.mainText()).toContain('Quality assurance saved')
    expect(await after.card('Business support check').textContent()).toMatch(
      /Business support check\s*On/,
    )
    expect(await after.mainText()).toContain('29 December 2026')
    await after.checkAccessible()
    await page.context().close()
  })

  it('stops the carers’ email when a PEP is signed off, and turns it on again', async () => {
    const page = await signedIn(journey, DEMO.admin)
    const settings = await SettingsPage.open(page, journey.app.baseUrl)
    const carers = settings.card('Email carers')
    const change = 'Change email carers when a PEP is signed off'
    const carersForm = /\/admin\/settings\/carers\?authority=/
    const question = 'Email carers when a PEP is signed off?'
    expect(await carers.textContent()).toContain(
      'On: a link to sign in and read it, never the PEP itself',
    )
    const form = await settings.change(change, carersForm)
    expect(await form.heading.textContent()).toBe('Carers')
    expect(await form.field('Yes', { group: question }).isChecked()).toBe(true)
    await form.checkAccessible()
    await form.field('No', { group: question }).check()
    const saved = await form.saveAndReturn('Save carers')
    expect(await saved.mainText()).toContain('Carers saved')
    expect(await carers.textContent()).toMatch(/Email carers when a PEP is signed off\s*Off/)
    await saved.checkAccessible()
    const again = await saved.change(change, carersForm)
    expect(await again.field('No', { group: question }).isChecked()).toBe(true)
    await again.field('Yes', { group: question }).check()
    await again.saveAndReturn('Save carers')
    expect(await carers.textContent()).toContain('On: a link to sign in')
    await page.context().close()
  })

  it('sees what OpenPEP did by itself for the authority, and when it runs next', async () => {
    const { db } = journey.app.database
    const authorityId = await demoAuthorityId(db)
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
          authority_id: authorityId,
          created_at: new Date(at),
        })
        .execute()
    const page = await signedIn(journey, DEMO.admin)
    const settings = await SettingsPage.fromMenu(page, journey.app.baseUrl)
    const scheduled = await settings.change(
      'See what OpenPEP did by itself and when it runs next',
      /\/admin\/settings\/scheduled-work\?authority=/,
    )
    expect(await scheduled.heading.textContent()).toBe('Scheduled work')
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
    await scheduled.checkAccessible()
    await scheduled.backToSettings()
    await page.context().close()
  })

  it('changes a term window after a mistake, reads the reminders, and chooses between two authorities', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, DEMO.admin)
    const settings = await SettingsPage.open(page, base)

    const windows = await settings.change(
      'Change autumn term deadline',
      /\/admin\/settings\/term-windows\?authority=/,
    )
    await windows.checkAccessible()
    const autumn = 'Autumn term deadline'
    await windows.field('Day', { group: autumn }).fill('31')
    await windows.field('Month', { group: autumn }).fill('2')
    await windows.save('Save term windows')
    expect(await windows.errorSummary.text()).toContain('Autumn term deadline must be a real date')
    expect(await windows.field('Day', { group: autumn }).inputValue()).toBe('31')
    await windows.checkAccessible()
    await windows.field('Day', { group: autumn }).fill('10')
    await windows.field('Month', { group: autumn }).fill('12')
    const saved = await windows.saveAndReturn('Save term windows')
    expect(await saved.mainText()).toContain('10 December')

    const reminders = await saved.change(
      'Change reminders and escalations',
      /\/admin\/settings\/reminders\?authority=/,
    )
    await reminders.checkAccessible()
    await reminders.saveAndReturn('Save reminders and escalations')

    // An administrator of two authorities chooses one first.
    const db = journey.app.database.db
    const adminId = await demoUserId(db, DEMO.admin)
    const eastmere = await db
      .selectFrom('authority')
      .select(['id', 'name'])
      .where('code', '!=', 'HFD')
      .executeTakeFirstOrThrow()
    await giveRole(db, { userId: adminId, authorityId: eastmere.id, role: 'vs_admin' })
    try {
      const choose = await SettingsPage.open(page, base)
      expect(await choose.mainText()).toContain('Choose the authority')
      await choose.checkAccessible()
      await choose.clickLink(eastmere.name)
      const chosen = await SettingsPage.waitFor(page)
      await chosen.checkAccessible()
    } finally {
      await db
        .deleteFrom('membership')
        .where('user_id', '=', adminId)
        .where('authority_id', '=', eastmere.id)
        .execute()
    }
    await page.context().close()
  })
})
