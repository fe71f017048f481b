import { AbstractPage } from './abstract-page.ts'
import { fillDateByLabel } from './fields.ts'
import { PepContentsPage } from './pep-pages.ts'

/** A child's record (`/children/:id`) and its tabs. */
export class ChildRecordPage extends AbstractPage {
  static path(childId: string): string {
    return `/children/${childId}`
  }

  /** The record, once the browser has arrived on it (after following a link to it). */
  static readonly at = /\/children\/[0-9a-f-]{36}$/

  /** One of the record's tabs (or any other link), by its exact name. */
  tab(name: string) {
    return this.page.getByRole('link', { name, exact: true })
  }

  /** Follows one of the record's tabs (or any other link) by its exact name. */
  async openTab(name: string): Promise<void> {
    await this.tab(name).click()
  }

  /** On the Notes tab: chooses the type, types the note, and presses Add note; waits for nothing. */
  async addNote(note: { type?: string; note?: string }): Promise<void> {
    if (note.type) await this.page.getByLabel(note.type).check()
    if (note.note) await this.page.getByLabel('Note', { exact: true }).fill(note.note)
    await this.page.getByRole('button', { name: 'Add note' }).click()
  }

  /** On the Documents tab: a title and a file, then Upload; waits for nothing. */
  async uploadDocument(
    title: string,
    file: { name: string; mimeType: string; buffer: Buffer },
  ): Promise<void> {
    await this.page.getByLabel('Title').fill(title)
    await this.page.getByLabel('File').setInputFiles(file)
    await this.page.getByRole('button', { name: 'Upload' }).click()
  }

  get newPlacement() {
    return this.page.getByLabel('New placement')
  }

  /** On Record a change of placement: the placement and the date, then Save; waits for nothing. */
  async recordPlacementChange(
    placement: string,
    [day, month, year]: readonly [string, string, string],
  ): Promise<void> {
    await this.newPlacement.fill(placement)
    await fillDateByLabel(this.page, day, month, year)
    await this.page.getByRole('button', { name: 'Save' }).click()
  }

  /** On the PEPs tab: follows the first PEP in the table to its contents. */
  async openFirstPep(): Promise<PepContentsPage> {
    await this.page.locator('main table tbody a').first().click()
    return PepContentsPage.waitFor(this.page)
  }
}
