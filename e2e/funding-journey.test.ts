import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * Pupil Premium Plus from request to paid run (issue 18), across four people: the designated
 * teacher requests funding for a SMART target (refused first, then sent), the head sets the
 * year's budget, the consultant approves it from the requests awaiting a decision, and the
 * administrator makes a payment run, downloads it and marks it paid; the teacher then sees it
 * paid on the child's Pupil Premium tab. axe checks every page on the way.
 */

const DT = 'designated.teacher@example.org'
const HEAD = 'vs.head@example.org'
const CONSULTANT = 'vs.consultant@example.org'
const ADMIN = 'vs.admin@example.org'

describe.skipIf(!hasChromium)('Pupil Premium Plus, from request to paid run', () => {
  const journey = browserJourney()
  const db = () => journey.app.database.db
  const base = () => journey.app.baseUrl

  async function childWithPep(): Promise<{ childId: string; pepId: string }> {
    const [school, authority, sw, dt] = await Promise.all([
      db().selectFrom('school').select('id').where('urn', '=', '990002').executeTakeFirstOrThrow(),
      db().selectFrom('authority').select('id').where('code', '=', 'HFD').executeTakeFirstOrThrow(),
      db()
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'social.worker@example.org')
        .executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', DT).executeTakeFirstOrThrow(),
    ])
    const child = await db()
      .insertInto('child')
      .values({
        authority_id: authority.id,
        first_name: 'Nia',
        last_name: 'Funding-Journey',
        date_of_birth: '2015-10-15',
        gender: 'female',
        case_reference: 'HFD-PPJ-1',
        entered_care_on: '2020-01-01',
        school_id: school.id,
        record_owner_id: sw.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('child_access')
      .values([
        { child_id: child.id, user_id: sw.id, capacity: 'social_worker' },
        { child_id: child.id, user_id: dt.id, capacity: 'designated_teacher' },
      ])
      .execute()
    const now = journey.app.clock.now()
    const pep = await db()
      .insertInto('pep')
      .values({
        child_id: child.id,
        authority_id: authority.id,
        academic_year: 2026,
        term: 'autumn',
        form_type: 'primary',
        template_version: 1,
        year_group: 'Y6',
        school_id: school.id,
        started_on: '2026-11-01',
        created_by: sw.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('pep_page')
      .values({
        pep_id: pep.id,
        page_id: 'smart-targets',
        answers: JSON.stringify({
          targets: [
            {
              id: randomUUID(),
              area: 'mathematics',
              target: 'Know the times tables to 12 by Easter',
              'funding-amount': '450.00',
              'funding-purpose': 'Twelve one-to-one sessions',
            },
          ],
        }),
        version: 1,
        saved_by: dt.id,
        saved_at: now,
      })
      .execute()
    return { childId: child.id, pepId: pep.id }
  }

  async function as(email: string): Promise<Page> {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, base(), email)
    return page
  }

  it('requests, decides, pays and shows it paid', { timeout: 240_000 }, async () => {
    const { childId, pepId } = await childWithPep()
    const summary = (page: Page) => page.locator('.govuk-error-summary')

    // The designated teacher requests funding from the PEP.
    const dt = await as(DT)
    await dt.goto(`${base()}/children/${childId}/peps/${pepId}`)
    await dt.getByRole('link', { name: 'Pupil Premium Plus requests' }).click()
    await dt.waitForURL(`${base()}/children/${childId}/peps/${pepId}/funding`)
    await expectAccessible(dt)
    await dt.getByRole('link', { name: /Request funding/ }).click()
    await expectAccessible(dt)
    await dt.getByLabel('How much is requested?').fill('£450.005')
    await dt.getByRole('button', { name: 'Send the request' }).click()
    await summary(dt).waitFor()
    const errors = (await summary(dt).textContent()) ?? ''
    expect(errors).toContain('no more than 2 decimal places')
    expect(errors).toContain('Select the category of spending')
    expect(await dt.getByLabel('How much is requested?').inputValue()).toBe('£450.005')
    await expectAccessible(dt)
    await dt.getByLabel('How much is requested?').fill('450')
    await dt.getByLabel('Tuition').check()
    await dt.getByLabel('What impact is it expected to have?').fill('Fluent recall of facts')
    await dt.getByRole('button', { name: 'Send the request' }).click()
    await dt.waitForURL(`${base()}/children/${childId}/peps/${pepId}/funding`)
    expect(await dt.locator('main').textContent()).toContain('Awaiting decision')
    await expectAccessible(dt)
    await db().updateTable('pep').set({ status: 'awaiting_qa' }).where('id', '=', pepId).execute()

    // The head sets the year's budget.
    const head = await as(HEAD)
    await head.getByRole('link', { name: 'Pupil Premium', exact: true }).click()
    await expectAccessible(head)
    await head.getByRole('link', { name: 'Budgets and settings' }).click()
    await expectAccessible(head)
    await head.getByRole('link', { name: 'Set the budget for 2026-27' }).click()
    await expectAccessible(head)
    await head.getByLabel('Allocation per child').fill('2,630')
    await head.getByLabel('Devolved to schools each term, per child').fill('600')
    await head.getByLabel('Held centrally by the Virtual School').fill('250,000')
    await head.getByLabel('Grant received').fill('1,000,000.00')
    await head.getByRole('button', { name: 'Save the budget' }).click()
    await head.getByRole('cell', { name: '£2,630.00' }).waitFor()
    await expectAccessible(head)

    // The consultant approves it from the requests awaiting a decision.
    const consultant = await as(CONSULTANT)
    await consultant.goto(`${base()}/funding/decisions`)
    await expectAccessible(consultant)
    await consultant.getByRole('link', { name: 'Nia Funding-Journey' }).click()
    await expectAccessible(consultant)
    await consultant.getByRole('button', { name: 'Record the decision' }).click()
    await summary(consultant).waitFor()
    await expectAccessible(consultant)
    await consultant.getByLabel('Approve £450.00').check()
    await consultant.getByRole('button', { name: 'Record the decision' }).click()
    await consultant.getByText('Approved £450.00 (current)').waitFor()
    await expectAccessible(consultant)

    // The administrator makes the run, downloads it and marks it paid.
    const admin = await as(ADMIN)
    await admin.goto(`${base()}/funding/payment-runs`)
    await expectAccessible(admin)
    await admin.getByRole('button', { name: 'Make the payment run' }).click()
    await admin.waitForURL(/\/funding\/payment-runs\/[0-9a-f-]{36}/)
    await expectAccessible(admin)
    expect(await admin.locator('main').textContent()).toContain('£450.00')
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'CSV' }).click(),
    ])
    const csv = await (await download.createReadStream()).toArray()
    const text = Buffer.concat(csv).toString('utf8')
    expect(text).toContain('HFD-PPJ-1')
    expect(text).not.toContain('Nia')
    const paidGroup = admin.getByRole('group', { name: 'Date paid' })
    await paidGroup.getByLabel('Day').fill('23')
    await paidGroup.getByLabel('Month').fill('11')
    await paidGroup.getByLabel('Year').fill('2026')
    await admin.getByLabel('Finance reference').fill('FIN-26-0042')
    await admin.getByRole('button', { name: 'Mark as paid' }).click()
    await admin.getByText('Paid on 23 November 2026, reference FIN-26-0042').waitFor()
    await expectAccessible(admin)

    // The teacher sees it paid; the authority's figures and report say so too.
    await dt.goto(`${base()}/children/${childId}`)
    await dt.getByRole('link', { name: 'Pupil Premium', exact: true }).click()
    await expectAccessible(dt)
    const tab = (await dt.locator('main').textContent()) ?? ''
    expect(tab).toContain('Approved')
    expect(tab.match(/£450\.00/g)?.length).toBeGreaterThanOrEqual(3)
    await head.goto(`${base()}/funding`)
    await expectAccessible(head)
    await head.getByRole('link', { name: 'Spend and impact report' }).click()
    await expectAccessible(head)
    expect(await head.locator('main').textContent()).toContain('Tuition')
  })
})
