import { AbstractPage } from './abstract-page.ts'
import { ChildRecordPage } from './child-record-page.ts'

/** What to choose in the children list's search form; nothing is chosen for what is not given. */
export interface ChildrenSearch {
  /** Name, case reference or UPN. */
  text?: string
  status?: string
  sort?: string
  order?: 'ascending' | 'descending'
}

/** The children of the authority (`/children`): the list, its search form and its export. */
export class ChildrenPage extends AbstractPage {
  static path(): string {
    return '/children'
  }

  get status() {
    return this.page.getByLabel('Status')
  }

  get csvLink() {
    return this.page.getByRole('link', { name: 'CSV file of these children' })
  }

  /** Chooses the filters and order and presses Search; waits for nothing. */
  async search(search: ChildrenSearch): Promise<void> {
    if (search.text) await this.page.getByLabel('Name, case reference or UPN').fill(search.text)
    if (search.status) await this.status.selectOption(search.status)
    if (search.sort) await this.page.getByLabel('Sort by').selectOption(search.sort)
    if (search.order) await this.page.getByLabel('Order').selectOption(search.order)
    await this.page.getByRole('button', { name: 'Search' }).click()
  }

  /** Follows the first child in the list to their record. */
  async openFirstChild(): Promise<ChildRecordPage> {
    await this.page.locator('main table a').first().click()
    return ChildRecordPage.waitFor(this.page)
  }
}
