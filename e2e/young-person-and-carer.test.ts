import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * The young person and their carer (ADR 10): each signs in, opens Charlie Young's record and a
 * PEP, and sees what is theirs to see, never the staff view. Every page they pass is checked
 * with axe.
 */

/**
 * From My work to Charlie's record; answers the record's URL. The carer lands on their home,
 * Children in your care, and follows the child's link. (The young person has no record to open:
 * it sends them to their own home, issue 20.)
 */
async function openCharlie(page: Page): Promise<string> {
  if (page.url().endsWith('/my-children'))
    await page.getByRole('link', { name: 'More about Charlie Young' }).click()
  else await page.locator('main table').getByRole('link', { name: 'Charlie Young' }).click()
  await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Charlie Young')
  const main = (await page.textContent('main'))!
  for (const staffOnly of [
    'Users with access to this record',
    'Case reference',
    'Legal status',
    'Date of birth',
  ])
    expect(main).not.toContain(staffOnly)
  for (const tab of ['Notes', 'Documents', 'School history and events'])
    expect(await page.getByRole('link', { name: tab, exact: true }).count()).toBe(0)
  await expectAccessible(page)
  return page.url()
}

/** From the record to the first PEP, its contents and the whole PEP to read. */
async function readFirstPep(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'PEPs', exact: true }).click()
  await expectAccessible(page)
  await page.locator('main table tbody a').first().click()
  await page.waitForURL(/\/peps\/[0-9a-f-]{36}$/)
  const contents = page.url()
  const main = (await page.textContent('main'))!
  expect(main).toContain("Section C: Young person's views")
  expect(main).not.toContain('Health and emotional wellbeing')
  expect(main).not.toContain('Section D')
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Read or print the whole PEP' }).click()
  const whole = (await page.textContent('main'))!
  expect(whole).not.toContain('legal status')
  expect(whole).not.toContain('must not be given information')
  expect(whole).not.toContain('SDQ')
  await expectAccessible(page)
  return contents
}

/** From the young person's home to their newest PEP, in their words (issue 20). */
async function readOwnPep(page: Page): Promise<string> {
  await page.locator('main a', { hasText: 'Read my PEP for the' }).first().click()
  await page.waitForURL(/\/my-pep\/[0-9a-f-]{36}\/peps\/[0-9a-f-]{36}$/)
  const main = (await page.textContent('main'))!
  expect(main).toContain('What I think')
  for (const staffOnly of [
    'Section C',
    'Section D',
    'Health and emotional wellbeing',
    'legal status',
    'must not be given information',
    'SDQ',
    'Last saved by',
  ])
    expect(main).not.toContain(staffOnly)
  await expectAccessible(page)
  return main
}

describe.skipIf(!hasChromium)('the young person and the carer see what is theirs to see', () => {
  const journey = browserJourney()

  it('the young person reads their own PEP, views, targets and meeting, and nothing of staff', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'young.person@example.org')
    await expectAccessible(page)
    const home = page.url()
    // The staff record, typed in by hand, sends them to their own home (issue 20).
    await page.goto(home.replace(/\/my-pep\//, '/children/'))
    expect(page.url()).toBe(home)
    const mine = await readOwnPep(page)
    expect(mine).toContain('My targets')
    expect(mine).not.toContain('Attendance')
    // The staff contents and read view of the PEP send them to the same page of their own.
    const own = page.url()
    const staffPep = own.replace(/\/my-pep\//, '/children/')
    for (const url of [staffPep, `${staffPep}/read`]) {
      await page.goto(url)
      expect(page.url()).toBe(own)
    }
    // A staff page, typed in by hand, is not there for them.
    const notes = await page.goto(`${home.replace(/\/my-pep\//, '/children/')}/notes`)
    expect(notes?.status()).toBe(404)
    await expectAccessible(page)
    await context.close()
  })

  it('staff share a page with the young person, who can then read it', async () => {
    const young = await newContext(journey.browser)
    const yp = await young.newPage()
    await signInAs(yp, journey.app.baseUrl, 'young.person@example.org')
    await readOwnPep(yp)
    expect(await yp.locator('#page-attendance').count()).toBe(0)
    const contents = yp.url().replace(/\/my-pep\//, '/children/')

    const staff = await newContext(journey.browser)
    const consultant = await staff.newPage()
    await signInAs(consultant, journey.app.baseUrl, 'vs.consultant@example.org')
    await consultant.goto(`${contents}/pages/attendance`)
    await expectAccessible(consultant)
    await consultant.getByRole('button', { name: 'Share this page with Charlie' }).click()
    await expect
      .poll(() => consultant.textContent('main'))
      .toContain('Charlie can now read this page')
    await expectAccessible(consultant)

    await yp.reload()
    expect(await yp.locator('#page-attendance').textContent()).toContain('Attendance')
    await expectAccessible(yp)
    await young.close()
    await staff.close()
  })

  it('the carer reads the PEP but what is restricted, and who the professionals are', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'carer@example.org')
    // Their own home (issue 20): the children in their care, not staff's My work or a tray.
    expect(page.url()).toMatch(/\/my-children$/)
    const home = (await page.textContent('main'))!
    expect(home).toContain('Children in your care')
    expect(home).toContain('Charlie Young')
    for (const staffOnly of ['My work', 'You work in', 'Open my tray', 'Date of birth'])
      expect(home).not.toContain(staffOnly)
    expect(await page.getByRole('link', { name: /^Tray/ }).count()).toBe(0)
    await expectAccessible(page)
    const record = await openCharlie(page)
    expect(await page.textContent('main')).toContain('Professionals working with Charlie')
    const contents = await readFirstPep(page)
    expect(await page.textContent('main')).toContain('Attendance')

    await page.goto(contents)
    await page.getByRole('link', { name: 'Care information' }).click()
    await expect.poll(() => page.title()).toContain('Care information')
    const care = (await page.textContent('main'))!
    expect(care).toContain('placement')
    expect(care).not.toContain('legal status')
    expect(care).not.toContain('must not be given information')
    await expectAccessible(page)

    const documents = await page.goto(`${record}/documents`)
    expect(documents?.status()).toBe(404)
    await expectAccessible(page)
    await context.close()
  })
})
