import { AbstractPage } from './abstract-page.ts'

/** One question of the young person's own views (`/my-pep/:childId/peps/:pepId/views/:id`). */
export class YoungPersonViewPage extends AbstractPage {
  static path(ids: { childId: string; pepId: string; viewId: string }): string {
    return `/my-pep/${ids.childId}/peps/${ids.pepId}/views/${ids.viewId}`
  }

  /** The box for their answer in their own words. */
  get answer() {
    return this.page.locator('#answer')
  }

  /** Presses Save and next; waits for nothing. */
  async saveAndNext(options: { timeout?: number; noWaitAfter?: boolean } = {}): Promise<void> {
    await this.page.getByRole('button', { name: 'Save and next' }).click(options)
  }
}

/** A carer's home (`/my-children`): the children placed with them. */
export class CarerHomePage extends AbstractPage {
  static readonly at = /\/my-children$/

  /** Follows the first "Tell us your views for the …" link to the carer's views form. */
  async openViews(): Promise<CarerViewsPage> {
    await this.page
      .getByRole('link', { name: /Tell us your views for the/ })
      .first()
      .click()
    await this.page.waitForURL(/\/my-children\/[0-9a-f-]{36}\/peps\/[0-9a-f-]{36}\/views$/)
    return new CarerViewsPage(this.page)
  }
}

/** The carer's views on a PEP (`/my-children/:childId/peps/:pepId/views`). */
export class CarerViewsPage extends AbstractPage {
  /** The child's and the PEP's ids, from the address. */
  ids(): { childId: string; pepId: string } {
    const [, childId, pepId] = /my-children\/([0-9a-f-]{36})\/peps\/([0-9a-f-]{36})/.exec(
      this.url(),
    )!
    return { childId: childId!, pepId: pepId! }
  }

  get worries() {
    return this.page.getByLabel('Do you have any worries about their education?')
  }

  get goingWell() {
    return this.page.getByLabel('What is going well at school?')
  }

  async send(): Promise<void> {
    await this.page.getByRole('button', { name: 'Send my views' }).click()
  }

  async saveForLater(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save and come back later' }).click()
  }
}

/** Staff recording the young person's views on their behalf, from the PEP's contents. */
export class OnBehalfViewsPage extends AbstractPage {
  get howGathered() {
    return this.page.getByLabel('How did you gather their views?')
  }

  async record(): Promise<void> {
    await this.page.getByRole('button', { name: 'Record their views on their behalf' }).click()
  }
}

/** The young person's home (`/my-pep/:childId`), where they land after signing in (issue 20). */
export class YoungPersonHomePage extends AbstractPage {
  /** Follows "Read my PEP for the …" to their newest PEP. */
  async openNewestPep(): Promise<YoungPersonPepPage> {
    await this.page.locator('main a', { hasText: 'Read my PEP for the' }).first().click()
    await this.page.waitForURL(/\/my-pep\/[0-9a-f-]{36}\/peps\/[0-9a-f-]{36}$/)
    return new YoungPersonPepPage(this.page)
  }
}

/** A PEP in the young person's own words (`/my-pep/:childId/peps/:pepId`). */
export class YoungPersonPepPage extends AbstractPage {
  /** A page of the PEP that staff have shared with them, by the page's id. */
  sharedPage(pageId: string) {
    return this.page.locator(`#page-${pageId}`)
  }
}
