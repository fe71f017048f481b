import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { onPage } from './support/pages/abstract-page.ts'
import { ChildRecordPage } from './support/pages/child-record-page.ts'
import { PepContentsPage, PepPagePage } from './support/pages/pep-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import {
  CarerHomePage,
  YoungPersonHomePage,
  YoungPersonPepPage,
} from './support/pages/young-person-pages.ts'

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
  const record = await ChildRecordPage.waitFor(page)
  expect(await record.heading.textContent()).toContain('Charlie Young')
  const main = await record.mainText()
  for (const staffOnly of [
    'Users with access to this record',
    'Case reference',
    'Legal status',
    'Date of birth',
  ])
    expect(main).not.toContain(staffOnly)
  for (const tab of ['Notes', 'Documents', 'School history and events'])
    expect(await record.tab(tab).count()).toBe(0)
  await record.checkAccessible()
  return record.url()
}

/** From the record to the first PEP, its contents and the whole PEP to read. */
async function readFirstPep(page: Page): Promise<string> {
  const record = await ChildRecordPage.waitFor(page)
  await record.openTab('PEPs')
  await record.checkAccessible()
  const contents = await record.openFirstPep()
  const main = await contents.mainText()
  expect(main).toContain("Section C: Young person's views")
  expect(main).not.toContain('Health and emotional wellbeing')
  expect(main).not.toContain('Section D')
  await contents.checkAccessible()
  await contents.readWhole()
  const whole = (await page.textContent('main'))!
  expect(whole).not.toContain('legal status')
  expect(whole).not.toContain('must not be given information')
  expect(whole).not.toContain('SDQ')
  await contents.checkAccessible()
  return contents.contentsUrl
}

/** From the young person's home to their newest PEP, in their words (issue 20). */
async function readOwnPep(page: Page): Promise<string> {
  const own = await YoungPersonHomePage.on(page).openNewestPep()
  const main = await own.mainText()
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
  await own.checkAccessible()
  return main
}

describe.skipIf(!hasChromium)('the young person and the carer see what is theirs to see', () => {
  const journey = browserJourney()

  it('the young person reads their own PEP, views, targets and meeting, and nothing of staff', async () => {
    const page = await signedIn(journey, DEMO.youngPerson)
    await YoungPersonHomePage.on(page).checkAccessible()
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
    await onPage(page).checkAccessible()
    await page.context().close()
  })

  it('staff share a page with the young person, who can then read it', async () => {
    const yp = await signedIn(journey, DEMO.youngPerson)
    await readOwnPep(yp)
    const own = new YoungPersonPepPage(yp)
    expect(await own.sharedPage('attendance').count()).toBe(0)
    const contents = yp.url().replace(/\/my-pep\//, '/children/')

    const consultant = await signedIn(journey, DEMO.consultant)
    const attendance = await PepPagePage.open(consultant, contents, 'attendance')
    await attendance.checkAccessible()
    await attendance.clickButton('Share this page with Charlie')
    await expect.poll(() => attendance.mainText()).toContain('Charlie can now read this page')
    await attendance.checkAccessible()

    await yp.reload()
    expect(await own.sharedPage('attendance').textContent()).toContain('Attendance')
    await own.checkAccessible()
    await yp.context().close()
    await consultant.context().close()
  })

  it('the carer reads the PEP but what is restricted, and who the professionals are', async () => {
    const page = await signedIn(journey, DEMO.carer)
    // Their own home (issue 20): the children in their care, not staff's My work or a tray.
    expect(page.url()).toMatch(/\/my-children$/)
    const carerHome = await CarerHomePage.waitFor(page)
    const home = await carerHome.mainText()
    expect(home).toContain('Children in your care')
    expect(home).toContain('Charlie Young')
    for (const staffOnly of ['My work', 'You work in', 'Open my tray', 'Date of birth'])
      expect(home).not.toContain(staffOnly)
    expect(await page.getByRole('link', { name: /^Tray/ }).count()).toBe(0)
    await carerHome.checkAccessible()
    const record = await openCharlie(page)
    expect(await onPage(page).mainText()).toContain('Professionals working with Charlie')
    const contents = await readFirstPep(page)
    expect(await onPage(page).mainText()).toContain('Attendance')

    const pep = await PepContentsPage.open(page, contents)
    await pep.clickLink('Care information')
    await expect.poll(() => pep.title()).toContain('Care information')
    const care = (await page.textContent('main'))!
    expect(care).toContain('placement')
    expect(care).not.toContain('legal status')
    expect(care).not.toContain('must not be given information')
    await onPage(page).checkAccessible()

    const documents = await page.goto(`${record}/documents`)
    expect(documents?.status()).toBe(404)
    await onPage(page).checkAccessible()
    await page.context().close()
  })
})
