import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'

describe.skipIf(!hasChromium)('a Virtual School administrator manages users', () => {
  const journey = browserJourney()

  it('lists, searches, adds a designated teacher, deactivates and reactivates, reads the logs, invites an account of another authority who accepts, and finds them with no roles', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const heading = () => page.getByRole('heading', { level: 1 }).textContent()

    await page.goto(`${journey.app.baseUrl}/sign-in`)
    await expectAccessible(page)
    await page.getByLabel('Email address').fill('vs.admin@example.org')
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/`)
    await expectAccessible(page)

    // The list, and a search.
    await page.getByRole('link', { name: 'Users', exact: true }).click()
    await page.waitForURL(`${journey.app.baseUrl}/admin/users`)
    expect(await heading()).toBe('Users')
    expect(await page.textContent('main')).toContain('Robin Teacher')
    await expectAccessible(page)
    await page.getByLabel('Name or email address').fill('riley')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/\/admin\/users\?q=riley/)
    expect(await page.textContent('main')).toContain('Showing 1 to 1 of 1 users.')
    expect(await page.textContent('main')).toContain('Riley Reviewer')
    await expectAccessible(page)

    // Add a designated teacher, forgetting the school and mistyping the email first.
    await page.getByRole('button', { name: 'Add a user' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/admin/users/new`)
    await expectAccessible(page)
    await page.getByLabel('Email address').fill('dana.teacher@example')
    await page.getByLabel('Full name').fill('Dana Teacher')
    await page.getByLabel('Designated teacher', { exact: true }).check()
    await page.getByRole('button', { name: 'Add user' }).click()
    await expect.poll(() => page.title()).toBe('Error: Add a user – OpenPEP')
    const summary = await page.locator('.govuk-error-summary').textContent()
    expect(summary).toContain('Enter an email address in the correct format')
    expect(summary).toContain('Select the school of the designated teacher or designated person')
    expect(await page.getByLabel('Full name').inputValue()).toBe('Dana Teacher')
    expect(await page.getByLabel('Designated teacher', { exact: true }).isChecked()).toBe(true)
    await expectAccessible(page)
    await page.getByLabel('Email address').fill('dana.teacher@example.org')
    await page.getByLabel('School', { exact: true }).selectOption({ label: 'Kingsmead Academy' })
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/)
    expect(await heading()).toBe('Dana Teacher')
    expect(await page.textContent('main')).toContain(
      'Dana Teacher has been invited as Designated teacher',
    )
    expect(await page.textContent('main')).toContain('Kingsmead Academy')
    await expectAccessible(page)

    // Open an existing user, deactivate and reactivate them.
    await page.goto(`${journey.app.baseUrl}/admin/users?q=jordan`)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Jordan Social' }).click()
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/)
    expect(await heading()).toBe('Jordan Social')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Deactivate account' }).click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Jordan Social has been deactivated and signed out.')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Reactivate account' }).click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Jordan Social has been reactivated and can sign in again.')
    await expectAccessible(page)

    // The children they can see.
    await page.getByRole('link', { name: 'Children they can see' }).click()
    await page.waitForURL(/\/children$/)
    expect(await heading()).toBe('Children they can see')
    await expectAccessible(page)

    // Their activity log, filtered to today.
    await page.getByRole('link', { name: 'Activity log' }).click()
    await page.waitForURL(/\/activity$/)
    expect(await heading()).toBe('Activity log')
    await expectAccessible(page)
    await page.getByRole('group', { name: 'Date from' }).getByLabel('Day').fill('31')
    await page.getByRole('group', { name: 'Date from' }).getByLabel('Month').fill('2')
    await page.getByRole('group', { name: 'Date from' }).getByLabel('Year').fill('2026')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Date from must be a real date',
    )
    await expectAccessible(page)

    // A child's access log.
    await page.goto(`${journey.app.baseUrl}/children`)
    await expectAccessible(page)
    await page.locator('main table a').first().click()
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
    await expectAccessible(page)
    const childName = await heading()
    await page.goto(`${page.url()}/access-log`)
    expect(await heading()).toBe(childName)
    expect(await page.textContent('main')).toContain('Alex Admin')
    await expectAccessible(page)

    // An address with an account in another authority: the same answer as a new address (ADR 9).
    await page.goto(`${journey.app.baseUrl}/admin/users/new`)
    await page.getByLabel('Email address').fill('eastmere.admin@example.org')
    await page.getByLabel('Full name').fill('Avery E')
    await page.getByLabel('Social worker', { exact: true }).check()
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/)
    const invitedPage = page.url()
    expect(await heading()).toBe('Avery E')
    const invited = await page.textContent('main')
    expect(invited).toContain('Avery E has been invited as Social worker')
    expect(invited).toContain('Roles offered')
    expect(invited).not.toContain('Avery Eastmere')
    await expectAccessible(page)

    // They accept while signed in as themselves.
    const theirs = await newContext(journey.browser)
    const them = await theirs.newPage()
    await them.goto(`${journey.app.baseUrl}/account/invitations`)
    await them.getByLabel('Email address').fill('eastmere.admin@example.org')
    await them.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
    await them.getByRole('button', { name: 'Sign in' }).click()
    await them.waitForURL(`${journey.app.baseUrl}/account/invitations`)
    expect(await them.getByRole('heading', { level: 1 }).textContent()).toBe('Invitations')
    expect(await them.textContent('main')).toContain('Harrowfield County Council')
    await expectAccessible(them)
    await them
      .getByRole('button', { name: 'Accept the invitation from Harrowfield County Council' })
      .click()
    await expect
      .poll(() => them.textContent('main'))
      .toContain('You have joined Harrowfield County Council as Social worker.')
    await expectAccessible(them)
    await theirs.close()

    // Now a member with roles elsewhere: Harrowfield may only remove its own roles, and says so.
    await page.goto(invitedPage)
    expect(await heading()).toBe('Avery Eastmere')
    expect(await page.textContent('main')).toContain('also has roles in another authority')
    expect(await page.getByRole('button', { name: 'Deactivate account' }).count()).toBe(0)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Remove from Harrowfield County Council' }).click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Avery Eastmere has been removed from Harrowfield County Council')
    expect(await page.textContent('main')).toContain('No roles.')
    await expectAccessible(page)

    // With no roles left they are still in the list, under "No roles".
    await page.goto(`${journey.app.baseUrl}/admin/users`)
    await page.getByLabel('Role').selectOption({ label: 'No roles' })
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/role=none/)
    expect(await page.textContent('main')).toContain('Avery Eastmere')
    await expectAccessible(page)
    await context.close()
  })

  it('works without JavaScript: adds a user after a mistake, withdraws the invitation, adds and removes a role', async () => {
    const context = await newContext(journey.browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(`${journey.app.baseUrl}/sign-in`)
    await page.getByLabel('Email address').fill('vs.admin@example.org')
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/`)
    await page.goto(`${journey.app.baseUrl}/admin/users/new`)
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/admin/users/new`)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter an email address',
    )
    await page.getByLabel('Email address').fill('kit.carer@example.org')
    await page.getByLabel('Full name').fill('Kit Carer')
    await page.getByLabel('Carer', { exact: true }).check()
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/)
    expect(await page.textContent('main')).toContain('Kit Carer has been invited as Carer')
    // Until they accept there is only the invitation (ADR 9): it can be withdrawn.
    await page.getByRole('button', { name: 'Withdraw the invitation' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/admin/users`)
    expect(await page.textContent('main')).toContain(
      'The invitation to Kit Carer (kit.carer@example.org) has been withdrawn.',
    )
    // A member's roles: add one and remove it.
    await page.goto(`${journey.app.baseUrl}/admin/users?q=riley`)
    await page.getByRole('link', { name: 'Riley Reviewer' }).click()
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/)
    await page.getByLabel('Carer', { exact: true }).check()
    await page.getByRole('button', { name: 'Add role' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Riley Reviewer is now also Carer.')
    await page
      .getByRole('button', { name: 'Remove role Carer of Harrowfield County Council' })
      .click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('The role Carer of Harrowfield County Council has been removed.')
    // axe cannot run where scripts are off; these pages are checked in the journey above.
    await context.close()
  })
})
