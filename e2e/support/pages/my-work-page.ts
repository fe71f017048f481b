import { AbstractPage } from './abstract-page.ts'
import { ChildRecordPage } from './child-record-page.ts'

/** What to choose in My work's filter form; nothing is chosen for what is not given. */
export interface MyWorkFilter {
  /** In or out of area: "in" or "out". */
  area?: string
  sort?: string
  order?: 'ascending' | 'descending'
}

/** My work (`/`): the children on the person's list, where staff land after signing in. */
export class MyWorkPage extends AbstractPage {
  /** My work, or a filter of it (`query`, "?area=in…"). */
  static path(query = ''): string {
    return `/${query}`
  }

  /** The first child in the list. */
  get firstChild() {
    return this.page.locator('main table tbody a').first()
  }

  /** The addresses of the group trays My work links to (business support's, the consultants'). */
  groupTrayLinks(): Promise<string[]> {
    return this.main
      .locator('a[href^="/tray/group/"]')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))
  }

  get area() {
    return this.page.getByLabel('In or out of area')
  }

  get sort() {
    return this.page.getByLabel('Sort by')
  }

  get csvLink() {
    return this.page.getByRole('link', { name: 'CSV file of my children' })
  }

  /** The asked filter's query, once the list has reloaded with it. */
  async filter(filter: MyWorkFilter): Promise<URLSearchParams> {
    if (filter.area) await this.area.selectOption(filter.area)
    if (filter.sort) await this.sort.selectOption(filter.sort)
    if (filter.order) await this.page.getByLabel('Order').selectOption(filter.order)
    await this.page.getByRole('button', { name: 'Filter my children' }).click()
    await this.page.waitForURL(/\/\?/)
    return new URL(this.page.url()).searchParams
  }

  /** Follows the first child in the list to their record. */
  async openFirstChild(): Promise<ChildRecordPage> {
    await this.firstChild.click()
    return ChildRecordPage.waitFor(this.page)
  }
}
