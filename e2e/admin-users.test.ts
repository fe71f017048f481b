import { describe, expect, it } from 'vitest'
import { hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import {
  InvitationsPage,
  NewUserPage,
  UserPage,
  UsersPage,
} from './support/pages/admin-user-pages.ts'
import { ChildrenPage } from './support/pages/children-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'

describe.skipIf(!hasChromium)('a Virtual School administrator manages users', () => {
  const journey = browserJourney()

  it('lists, searches, adds a designated teacher, deactivates and reactivates, reads the logs, invites an account of another authority who accepts, and finds them with no roles', async () => {
    const base = journey.app.baseUrl
    const context = await newContext(journey.browser)
    const page = await context.newPage()

    const signIn = await SignInPage.open(page, base)
    await signIn.checkAccessible()
    await signIn.submit(DEMO.admin)
    const myWork = await MyWorkPage.waitFor(page, base)
    await myWork.checkAccessible()

    // The list, and a search.
    await myWork.clickLink('Users', { exact: true })
    const users = await UsersPage.waitFor(page, base)
    expect(await users.heading.textContent()).toBe('Users')
    expect(await users.mainText()).toContain('Robin Teacher')
    await users.checkAccessible()
    await users.search('riley')
    await page.waitForURL(/\/admin\/users\?q=riley/)
    expect(await users.mainText()).toContain('Showing 1 to 1 of 1 users.')
    expect(await users.mainText()).toContain('Riley Reviewer')
    await users.checkAccessible()

    // Add a designated teacher, forgetting the school and mistyping the email first.
    const form = await users.addUser(base)
    await form.checkAccessible()
    await form.fill({
      email: 'dana.teacher@example',
      fullName: 'Dana Teacher',
      role: 'Designated teacher',
    })
    await form.submit()
    await expect.poll(() => form.title()).toBe('Error: Add a user – OpenPEP')
    const summary = await form.errorSummary.text()
    expect(summary).toContain('Enter an email address in the correct format')
    expect(summary).toContain('Select the school of the designated teacher or designated person')
    expect(await form.fullName.inputValue()).toBe('Dana Teacher')
    expect(await form.role('Designated teacher').isChecked()).toBe(true)
    await form.checkAccessible()
    const dana = await form.add({ email: 'dana.teacher@example.org', school: 'Kingsmead Academy' })
    expect(await dana.heading.textContent()).toBe('Dana Teacher')
    expect(await dana.mainText()).toContain('Dana Teacher has been invited as Designated teacher')
    expect(await dana.mainText()).toContain('Kingsmead Academy')
    await dana.checkAccessible()

    // Open an existing user, deactivate and reactivate them.
    const found = await UsersPage.open(page, base, '?q=jordan')
    await found.checkAccessible()
    const jordan = await found.openUser('Jordan Social')
    expect(await jordan.heading.textContent()).toBe('Jordan Social')
    await jordan.checkAccessible()
    await jordan.button('Deactivate account').click()
    await expect
      .poll(() => jordan.mainText())
      .toContain('Jordan Social has been deactivated and signed out.')
    await jordan.checkAccessible()
    await jordan.button('Reactivate account').click()
    await expect
      .poll(() => jordan.mainText())
      .toContain('Jordan Social has been reactivated and can sign in again.')
    await jordan.checkAccessible()

    // The children they can see.
    await jordan.follow('Children they can see', /\/children$/)
    expect(await jordan.heading.textContent()).toBe('Children they can see')
    await jordan.checkAccessible()

    // Their activity log, filtered to today.
    await jordan.follow('Activity log', /\/activity$/)
    expect(await jordan.heading.textContent()).toBe('Activity log')
    await jordan.checkAccessible()
    await jordan.filterActivityFrom('31', '2', '2026')
    await expect.poll(() => jordan.title()).toMatch(/^Error: /)
    expect(await jordan.errorSummary.text()).toContain('Date from must be a real date')
    await jordan.checkAccessible()

    // A child's access log.
    const children = await ChildrenPage.open(page, base)
    await children.checkAccessible()
    const record = await children.openFirstChild()
    await record.checkAccessible()
    const childName = await record.heading.textContent()
    await page.goto(`${record.url()}/access-log`)
    expect(await record.heading.textContent()).toBe(childName)
    expect(await record.mainText()).toContain('Alex Admin')
    await record.checkAccessible()

    // An address with an account in another authority: the same answer as a new address (ADR 9).
    const again = await NewUserPage.open(page, base)
    const avery = await again.add({
      email: 'eastmere.admin@example.org',
      fullName: 'Avery E',
      role: 'Social worker',
    })
    const invitedPage = avery.url()
    expect(await avery.heading.textContent()).toBe('Avery E')
    const invited = await page.textContent('main')
    expect(invited).toContain('Avery E has been invited as Social worker')
    expect(invited).toContain('Roles offered')
    expect(invited).not.toContain('Avery Eastmere')
    await avery.checkAccessible()

    // They accept while signed in as themselves.
    const theirs = await newContext(journey.browser)
    const them = await theirs.newPage()
    await them.goto(`${base}/account/invitations`)
    await SignInPage.on(them).submit('eastmere.admin@example.org', DEMO_PASSWORD)
    const invitations = await InvitationsPage.waitFor(them, base)
    expect(await invitations.heading.textContent()).toBe('Invitations')
    expect(await invitations.mainText()).toContain('Harrowfield County Council')
    await invitations.checkAccessible()
    await invitations.accept('Harrowfield County Council')
    await expect
      .poll(() => invitations.mainText())
      .toContain('You have joined Harrowfield County Council as Social worker.')
    await invitations.checkAccessible()
    await theirs.close()

    // Now a member with roles elsewhere: Harrowfield may only remove its own roles, and says so.
    const member = await UserPage.open(page, invitedPage)
    expect(await member.heading.textContent()).toBe('Avery Eastmere')
    expect(await member.mainText()).toContain('also has roles in another authority')
    expect(await member.button('Deactivate account').count()).toBe(0)
    await member.checkAccessible()
    await member.button('Remove from Harrowfield County Council').click()
    await expect
      .poll(() => member.mainText())
      .toContain('Avery Eastmere has been removed from Harrowfield County Council')
    expect(await member.mainText()).toContain('No roles.')
    await member.checkAccessible()

    // With no roles left they are still in the list, under "No roles".
    const list = await UsersPage.open(page, base)
    await list.filterByRole('No roles')
    await page.waitForURL(/role=none/)
    expect(await list.mainText()).toContain('Avery Eastmere')
    await list.checkAccessible()
    await context.close()
  })

  it('works without JavaScript: adds a user after a mistake, withdraws the invitation, adds and removes a role', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, DEMO.admin, { javaScriptEnabled: false })
    const form = await NewUserPage.open(page, base)
    await form.submit()
    await page.waitForURL(`${base}/admin/users/new`)
    expect(await form.errorSummary.text()).toContain('Enter an email address')
    const kit = await form.add({
      email: 'kit.carer@example.org',
      fullName: 'Kit Carer',
      role: 'Carer',
    })
    expect(await kit.mainText()).toContain('Kit Carer has been invited as Carer')
    // Until they accept there is only the invitation (ADR 9): it can be withdrawn.
    await kit.button('Withdraw the invitation').click()
    const users = await UsersPage.waitFor(page, base)
    expect(await users.mainText()).toContain(
      'The invitation to Kit Carer (kit.carer@example.org) has been withdrawn.',
    )
    // A member's roles: add one and remove it.
    const found = await UsersPage.open(page, base, '?q=riley')
    const riley = await found.openUser('Riley Reviewer')
    await riley.addRole('Carer')
    await expect.poll(() => riley.mainText()).toContain('Riley Reviewer is now also Carer.')
    await riley.button('Remove role Carer of Harrowfield County Council').click()
    await expect
      .poll(() => riley.mainText())
      .toContain('The role Carer of Harrowfield County Council has been removed.')
    // axe cannot run where scripts are off; these pages are checked in the journey above.
    await page.context().close()
  })
})
