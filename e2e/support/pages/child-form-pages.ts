import type { Locator } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'
import { fillDateByLabel } from './fields.ts'

/** Import children from a CSV file (`/children/import`). */
export class ChildImportPage extends AbstractPage {
  static path(): string {
    return '/children/import'
  }

  /** Chooses the file and presses Check and import; waits for nothing (a report stays here). */
  async upload(file: Buffer, name = 'children.csv'): Promise<void> {
    await this.page
      .getByLabel('CSV file')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: file })
    await this.page.getByRole('button', { name: 'Check and import' }).click()
  }
}

/** What to type on Add a child; nothing is typed for what is not given. Dates are [d, m, y]. */
export interface NewChildForm {
  firstName?: string
  lastName?: string
  dateOfBirth?: readonly [string, string, string]
  /** The gender's label, "Female". */
  gender?: string
  caseReference?: string
  enteredCare?: readonly [string, string, string]
  /** The answer's label, "No". */
  emergencyPlacement?: string
  /** The school's label in the list, "Oakbridge Primary School (URN 990001)". */
  school?: string
}

/** Add a child (`/children/new`). */
export class NewChildPage extends AbstractPage {
  static path(): string {
    return '/children/new'
  }

  get lastName(): Locator {
    return this.page.getByLabel('Last name')
  }

  /** A date by its group's legend. */
  dateGroup(name: 'Date of birth' | 'Date entered care'): Locator {
    return this.page.getByRole('group', { name })
  }

  async fill(form: NewChildForm): Promise<void> {
    if (form.firstName) await this.page.getByLabel('First name').fill(form.firstName)
    if (form.lastName) await this.lastName.fill(form.lastName)
    if (form.dateOfBirth)
      await fillDateByLabel(this.dateGroup('Date of birth'), ...form.dateOfBirth)
    if (form.gender) await this.page.getByLabel(form.gender).check()
    if (form.caseReference) await this.page.getByLabel('Case reference').fill(form.caseReference)
    if (form.enteredCare)
      await fillDateByLabel(this.dateGroup('Date entered care'), ...form.enteredCare)
    if (form.emergencyPlacement)
      await this.page
        .getByRole('group', { name: 'Is this an emergency placement?' })
        .getByLabel(form.emergencyPlacement)
        .check()
    if (form.school)
      await this.page
        .getByLabel('School or setting (optional)')
        .selectOption({ label: form.school })
  }

  /** Presses Add child; waits for nothing (a refusal stays on the form). */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add child' }).click()
  }
}

/** Changing a child's core data (`/children/:id/edit`), and the page when someone saved first. */
export class EditChildPage extends AbstractPage {
  /** Below the record's address (`open(page, recordUrl)`). */
  static path(): string {
    return '/edit'
  }

  get preferredName(): Locator {
    return this.page.getByLabel('Preferred name (optional)')
  }

  /** Presses Save changes; waits for nothing (a conflict stays here). */
  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save changes' }).click()
  }

  /** On a conflict: keeps this person's version. */
  async saveMyVersion(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save my version' }).click()
  }
}
