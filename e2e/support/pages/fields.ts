import type { Locator, Page } from 'playwright-core'

/** A GOV.UK date input by its fields' ids (`<prefix>-day`, `-month`, `-year`). */
export async function fillDateById(
  page: Page,
  prefix: string,
  day: string,
  month: string,
  year: string,
): Promise<void> {
  await page.locator(`#${prefix}-day`).fill(day)
  await page.locator(`#${prefix}-month`).fill(month)
  await page.locator(`#${prefix}-year`).fill(year)
}

/** A GOV.UK date input by its labels (Day, Month, Year), on the page or inside one group. */
export async function fillDateByLabel(
  scope: Page | Locator,
  day: string,
  month: string,
  year: string,
): Promise<void> {
  await scope.getByLabel('Day').fill(day)
  await scope.getByLabel('Month').fill(month)
  await scope.getByLabel('Year').fill(year)
}
