import type { Locator } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'
import { fillDateByLabel } from './fields.ts'

const USER_PAGE = /\/admin\/users\/[0-9a-f-]{36}$/

/** What to type on Add a user; nothing is typed for what is not given. */
export interface NewUserForm {
  email?: string
  fullName?: string
  /** The role's label, "Designated teacher". */
  role?: string
  /** The school's name, for a school's roles. */
  school?: string
}

/** The authority's users (`/admin/users`): the list, its search, and adding a user. */
export class UsersPage extends AbstractPage {
  /** The list, or a search of it (`?q=…`). */
  static path(query = ''): string {
    return `/admin/users${query}`
  }

  /** Types into the search and presses Search; waits for nothing. */
  async search(text: string): Promise<void> {
    await this.page.getByLabel('Name or email address').fill(text)
    await this.page.getByRole('button', { name: 'Search' }).click()
  }

  /** Chooses a role (by its label) and presses Search; waits for nothing. */
  async filterByRole(role: string): Promise<void> {
    await this.page.getByLabel('Role').selectOption({ label: role })
    await this.page.getByRole('button', { name: 'Search' }).click()
  }

  /** Presses Add a user and arrives on the form. */
  async addUser(baseUrl: string): Promise<NewUserPage> {
    await this.page.getByRole('button', { name: 'Add a user' }).click()
    await this.page.waitForURL(`${baseUrl}/admin/users/new`)
    return new NewUserPage(this.page)
  }

  /** Follows a user's name in the list to their page. */
  async openUser(name: string): Promise<UserPage> {
    await this.page.getByRole('link', { name }).click()
    return UserPage.waitFor(this.page)
  }
}

/** Add a user (`/admin/users/new`). */
export class NewUserPage extends AbstractPage {
  static path(): string {
    return '/admin/users/new'
  }

  get email(): Locator {
    return this.page.getByLabel('Email address')
  }

  get fullName(): Locator {
    return this.page.getByLabel('Full name')
  }

  /** A role's radio, by its label. */
  role(label: string): Locator {
    return this.page.getByLabel(label, { exact: true })
  }

  async fill(form: NewUserForm): Promise<void> {
    if (form.email !== undefined) await this.email.fill(form.email)
    if (form.fullName !== undefined) await this.fullName.fill(form.fullName)
    if (form.role) await this.role(form.role).check()
    if (form.school)
      await this.page.getByLabel('School', { exact: true }).selectOption({ label: form.school })
  }

  /** Presses Add user; waits for nothing (a refusal stays on the form). */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add user' }).click()
  }

  /** Fills the form, adds the user, and arrives on their page. */
  async add(form: NewUserForm): Promise<UserPage> {
    await this.fill(form)
    await this.submit()
    return UserPage.waitFor(this.page)
  }
}

/** One user's page (`/admin/users/:id`): their roles, their account, their logs. */
export class UserPage extends AbstractPage {
  /** Opened by its whole address (`open(page, url)`), or waited for at any user's. */
  static readonly at = USER_PAGE

  /** Ticks a role (by its label) and presses Add role; waits for nothing. */
  async addRole(label: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).check()
    await this.page.getByRole('button', { name: 'Add role' }).click()
  }

  /** Follows a link from their page and waits for where it goes. */
  async follow(link: string, url: RegExp): Promise<void> {
    await this.page.getByRole('link', { name: link }).click()
    await this.page.waitForURL(url)
  }

  /** On their activity log: types the Date from and applies the filters; waits for nothing. */
  async filterActivityFrom(day: string, month: string, year: string): Promise<void> {
    await fillDateByLabel(this.page.getByRole('group', { name: 'Date from' }), day, month, year)
    await this.page.getByRole('button', { name: 'Apply filters' }).click()
  }
}

/** Someone's invitations (`/account/invitations`), to accept a role in an authority. */
export class InvitationsPage extends AbstractPage {
  static path(): string {
    return '/account/invitations'
  }

  async accept(authority: string): Promise<void> {
    await this.page.getByRole('button', { name: `Accept the invitation from ${authority}` }).click()
  }
}
