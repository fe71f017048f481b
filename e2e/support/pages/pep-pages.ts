import type { FieldQuestion, Question } from '../../../src/forms/types.ts'
import { AbstractPage } from './abstract-page.ts'
import { fillDateById, fillDateByLabel } from './fields.ts'

/** What to type on the Start a PEP page; nothing is typed for what is not given. */
export interface StartPepForm {
  /** The term's label, "Autumn term 2026". */
  term?: string
  meeting?: { day: string; month: string; year: string; time: string; where?: string }
  /** People to invite, by the label of their box ("Robin Teacher" matches "Robin Teacher, …"). */
  invite?: readonly string[]
  /** Anyone else to invite, by email address. */
  others?: string
}

/** Start a PEP (`/children/:id/peps/start`). */
export class StartPepPage extends AbstractPage {
  static path(childId: string): string {
    return `/children/${childId}/peps/start`
  }

  /** The page, once the browser is on it (after the PEPs tab's Start a PEP button). */
  static readonly at = /\/peps\/start$/

  async fill(form: StartPepForm): Promise<void> {
    if (form.term) await this.page.getByLabel(form.term).check()
    if (form.meeting) {
      const { day, month, year, time, where } = form.meeting
      await fillDateByLabel(this.page, day, month, year)
      await this.page.getByLabel('Time of the meeting').fill(time)
      if (where) await this.page.getByLabel('Where the meeting is').fill(where)
    }
    for (const name of form.invite ?? []) await this.page.getByLabel(new RegExp(name)).check()
    if (form.others) await this.page.getByLabel('Anyone else to invite').fill(form.others)
  }

  /** Presses Start the PEP; waits for nothing (a refusal stays on this page). */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start the PEP' }).click()
  }

  /** Fills the form, starts the PEP, and arrives on its contents. */
  async start(form: StartPepForm = {}): Promise<PepContentsPage> {
    await this.fill(form)
    await this.submit()
    return PepContentsPage.waitFor(this.page)
  }
}

/** A PEP's contents (`/children/:id/peps/:pepId`): its sections, pages and next steps. */
export class PepContentsPage extends AbstractPage {
  /** Opened by the contents' address (`open(page, contentsUrl)`), or waited for at any PEP's. */
  static readonly at = /\/peps\/[0-9a-f-]{36}$/

  /** The contents' address, as the browser arrived on them. */
  readonly contentsUrl = this.page.url()

  get pepId(): string {
    return this.contentsUrl.split('/').at(-1)!
  }

  /** Follows one of the PEP's pages from the contents, by its title. */
  async openPage(title: string): Promise<PepPagePage> {
    await this.page.getByRole('link', { name: title, exact: true }).click()
    return new PepPagePage(this.page)
  }

  /** The heading over the next steps: there only while someone can take one. */
  get nextStepsHeading() {
    return this.page.locator('h2:text-is("What you can do next")')
  }

  /** Follows a link under "What you can do next" (a step of the workflow) to its page. */
  async followNextStep(link: string): Promise<PepActionPage> {
    const next = this.page.locator('h2:text-is("What you can do next") + ul')
    await next.getByRole('link', { name: link, exact: true }).click()
    return PepActionPage.waitFor(this.page)
  }

  /** Presses "Mark Section X as complete", and arrives on the page that asks to be sure. */
  async askToCompleteSection(section: string): Promise<CompleteSectionPage> {
    await this.page.getByRole('button', { name: `Mark Section ${section} as complete` }).click()
    await this.page.waitForURL(`${this.contentsUrl}/sections/${section}/complete`)
    return new CompleteSectionPage(this.page)
  }

  /** The line under a section's heading, saying who marked it complete. */
  sectionStatus(section: string) {
    return this.page.locator(`xpath=//h2[@id="section-${section}"]/following-sibling::p[1]`)
  }

  /** The newest entry of the PEP's history. */
  get latestHistory() {
    return this.page.locator('.moj-timeline__item').first()
  }

  /** Marks a section complete: the button, then the page that asks, then yes. */
  async markSectionComplete(section: string): Promise<void> {
    await this.page.getByRole('button', { name: `Mark Section ${section} as complete` }).click()
    await this.page
      .getByRole('button', { name: `Yes, mark Section ${section} as complete` })
      .click()
  }

  /** Follows Read or print the whole PEP. */
  async readWhole(): Promise<void> {
    await this.page.getByRole('link', { name: 'Read or print the whole PEP' }).click()
  }
}

/** Marking a section complete (`/children/:id/peps/:pepId/sections/:section/complete`). */
export class CompleteSectionPage extends AbstractPage {
  /** Presses "Yes, mark Section X as complete"; waits for nothing. */
  async confirm(section: string): Promise<void> {
    await this.page
      .getByRole('button', { name: `Yes, mark Section ${section} as complete` })
      .click()
  }
}

/** One step of a PEP's workflow (`/children/:id/peps/:pepId/actions/:action`): delegate, sign off… */
export class PepActionPage extends AbstractPage {
  /** Below the PEP's contents (`open(page, contentsUrl, action)`; 409 when it cannot be taken). */
  static path(action: string): string {
    return `/actions/${action}`
  }

  /** The step's page, once the browser has arrived on it from the PEP's contents. */
  static readonly at = /\/actions\/[a-z-]+$/

  /** One box of the due date the step offers (delegating the school's sections). */
  dueOn(part: 'day' | 'month' | 'year') {
    return this.page.locator(`#dueOn-${part}`)
  }

  get comments() {
    return this.page.getByLabel('Comments')
  }

  /** Presses the step's button, by its exact name; waits for nothing. */
  async confirm(button: string): Promise<void> {
    await this.page.getByRole('button', { name: button, exact: true }).click()
  }
}

/** A child's PEPs tab (`/children/:id/peps`): the PEPs, newest first, and Start a PEP. */
export class PepsTabPage extends AbstractPage {
  static path(childId: string): string {
    return `/children/${childId}/peps`
  }

  /** The PEPs' names in the table, as links. */
  get pepLinks() {
    return this.page.locator('tbody th a')
  }

  /** Presses Start a PEP, and arrives on its form. */
  async startPep(): Promise<StartPepPage> {
    await this.page.getByRole('button', { name: 'Start a PEP' }).click()
    return StartPepPage.waitFor(this.page)
  }
}

/** One page of a PEP's form (`/children/:id/peps/:pepId/pages/:pageId`). */
export class PepPagePage extends AbstractPage {
  /** Below the PEP's contents (`open(page, contentsUrl, pageId)`). */
  static path(pageId: string): string {
    return `/pages/${pageId}`
  }

  /** The PEP's contents this page belongs to (the address without `/pages/…`). */
  get contentsUrl(): string {
    return this.page.url().replace(/\/pages\/.*$/, '')
  }

  /** Presses Save and come back later; waits for nothing (a refusal stays on the page). */
  async saveAndComeBackLater(
    options: { timeout?: number; noWaitAfter?: boolean } = {},
  ): Promise<void> {
    await this.page.getByRole('button', { name: 'Save and come back later' }).click(options)
  }

  /** A long answer's box, by its question's id. */
  textArea(questionId: string) {
    return this.page.locator(`textarea[name="${questionId}"]`)
  }

  /** Saves and comes back to the PEP's contents. */
  async saveAndReturn(): Promise<PepContentsPage> {
    await this.saveAndComeBackLater()
    return PepContentsPage.waitFor(this.page, this.contentsUrl)
  }

  /** Presses Save and continue; waits for nothing. */
  async saveAndContinue(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save and continue' }).click()
  }

  /** Fills a question if the page shows it (a condition on another page may hide it). */
  async fillQuestion(question: Question, date = '2026-09-14'): Promise<void> {
    const shown = async (name: string) => (await this.page.locator(`[id^="${name}"]`).count()) > 0
    if (question.type !== 'repeating') {
      if (await shown(question.id)) await this.fillField(question, question.id, date)
      return
    }
    for (const field of question.fields) {
      const name = `${question.id}--0--${field.id}`
      if (await shown(name)) await this.fillField(field, name, date)
    }
  }

  /** Fills one field the way a person would, from its id in the page. */
  async fillField(question: FieldQuestion, name: string, date: string): Promise<void> {
    const field = this.page.locator(`#${name}`)
    switch (question.type) {
      case 'date': {
        const [year, month, day] = date.split('-')
        await fillDateById(this.page, name, String(Number(day)), String(Number(month)), year!)
        return
      }
      case 'yesNo':
      case 'singleChoice':
      case 'multipleChoice':
        await field.check()
        return
      case 'number':
        await field.fill(String(question.min ?? 1))
        return
      case 'percentage':
        await field.fill('95')
        return
      case 'money':
        await field.fill('120')
        return
      case 'time':
        await field.fill('2:30pm')
        return
      default: {
        const max = 'maxLength' in question && question.maxLength ? question.maxLength : 250
        await field.fill([...`Ffion 😀 + ŵ: ${question.label}`].slice(0, max).join(''))
      }
    }
  }
}

/** The whole PEP to read or print (`/children/:id/peps/:pepId/read`). */
export class PepReadPage extends AbstractPage {
  /** Below the PEP's contents (`open(page, contentsUrl)`). */
  static path(): string {
    return '/read'
  }

  /** One section of the PEP, by its letter. */
  section(letter: string) {
    return this.page.locator('section', { has: this.page.locator(`#read-section-${letter}`) })
  }
}
