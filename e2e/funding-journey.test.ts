import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, demoUserId, kingsmeadId, newDemoChild } from './support/demo.ts'
import { ErrorSummary } from './support/pages/error-summary.ts'
import { fillDateByLabel } from './support/pages/fields.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { giveRole, makePep, makePepPage, makeUser } from '../src/testing/factories.ts'

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
    const childId = await newDemoChild(db(), {
      firstName: 'Nia',
      lastName: 'Funding-Journey',
      caseReference: 'HFD-PPJ-1',
      dateOfBirth: '2015-10-15',
      access: [
        [DEMO.socialWorker, 'social_worker'],
        [DT, 'designated_teacher'],
      ],
    })
    const [school, sw, dt] = await Promise.all([
      kingsmeadId(db()),
      demoUserId(db(), DEMO.socialWorker),
      demoUserId(db(), DT),
    ])
    const now = journey.app.clock.now()
    const pepId = await makePep(db(), {
      childId,
      formType: 'primary',
      yearGroup: 'Y6',
      schoolId: school,
      startedOn: '2026-11-01',
      createdBy: sw,
      at: now,
    })
    await makePepPage(db(), {
      pepId,
      pageId: 'smart-targets',
      answers: {
        targets: [
          {
            id: randomUUID(),
            area: 'mathematics',
            target: 'Know the times tables to 12 by Easter',
            'funding-amount': '450.00',
            'funding-purpose': 'Twelve one-to-one sessions',
          },
        ],
      },
      savedBy: dt,
      at: now,
    })
    return { childId, pepId }
  }

  const as = (email: string) => signedIn(journey, email)

  it('requests, decides, pays and shows it paid', { timeout: 240_000 }, async () => {
    const { childId, pepId } = await childWithPep()

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
    await new ErrorSummary(dt).expectToContain(
      'no more than 2 decimal places',
      'Select the category of spending',
    )
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
    await new ErrorSummary(consultant).text()
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
    await fillDateByLabel(paidGroup, '23', '11', '2026')
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

  it(
    'asks a person of two authorities which one, then shows its Pupil Premium Plus',
    { timeout: 120_000 },
    async () => {
      // A head of both demo authorities, signing in with the demo password.
      const [harrowfield, eastmere, demoHead] = await Promise.all([
        db()
          .selectFrom('authority')
          .select(['id', 'name'])
          .where('code', '=', 'HFD')
          .executeTakeFirstOrThrow(),
        db()
          .selectFrom('authority')
          .select(['id', 'name'])
          .where('code', '=', 'EMR')
          .executeTakeFirstOrThrow(),
        db()
          .selectFrom('app_user')
          .select('password_hash')
          .where('email', '=', HEAD)
          .executeTakeFirstOrThrow(),
      ])
      const twoAuthorities = await makeUser(db(), {
        role: 'vs_head',
        authorityId: harrowfield.id,
        displayName: 'Robin Two-Authorities',
        passwordHash: demoHead.password_hash,
        demoAccount: true,
      })
      await giveRole(db(), { userId: twoAuthorities.id, authorityId: eastmere.id, role: 'vs_head' })

      const head = await as(twoAuthorities.email)
      await head.getByRole('link', { name: 'Pupil Premium', exact: true }).click()
      await head.waitForURL(`${base()}/funding`)
      const choose = head.getByRole('heading', { level: 1 })
      expect(await choose.textContent()).toBe('Choose an authority – Pupil Premium Plus')
      expect(await head.title()).toContain('Choose an authority – Pupil Premium Plus')
      const main = head.locator('main')
      expect(await main.textContent()).toContain(
        'You work for more than one authority. Which authority is this for?',
      )
      await head.getByRole('link', { name: eastmere.name }).waitFor()
      await expectAccessible(head)

      await head.getByRole('link', { name: harrowfield.name }).click()
      await head.waitForURL(`${base()}/funding?authority=${harrowfield.id}`)
      expect(await choose.textContent()).toMatch(/^Pupil Premium Plus \d{4}-\d{2}$/)
      expect(await head.title()).toMatch(/^Pupil Premium Plus \d{4}-\d{2} – Harrowfield County/)
      expect(await main.textContent()).not.toContain(eastmere.name)
      await expectAccessible(head)
      await head.context().close()
    },
  )
})
