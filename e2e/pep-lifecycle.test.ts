import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { newDemoChild } from './support/demo.ts'
import { onPage } from './support/pages/abstract-page.ts'
import { ChildRecordPage } from './support/pages/child-record-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { PepActionPage, PepContentsPage, PepsTabPage } from './support/pages/pep-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { TrayPage } from './support/pages/tray-page.ts'
import { currentTemplate } from '../src/forms/templates/index.ts'
import { holds } from '../src/forms/conditions.ts'
import { sampleAnswers } from '../src/forms/sample-answers.ts'
import { writePage } from '../src/features/peps/peps.repository.ts'
import { setAuthoritySettings } from '../src/testing/factories.ts'

/*
 * The life of a PEP in the browser, each person in their own session: the social worker starts
 * it and delegates the school's part, the designated teacher contributes and confirms the
 * meeting, the social worker submits it, business support checks it, and a Virtual School
 * consultant signs it off or returns it for improvement. axe checks every page each one sees.
 * The answers themselves are written straight to the database: filling the pages is the
 * journey in pep-form.test.ts. Each journey is a run of steps in order, as in
 * src/features/peps/workflow.test.ts, split so that no one step outlasts a loaded machine.
 */

const secondary = currentTemplate('secondary')

const SW = 'social.worker@example.org'
const DT = 'designated.teacher@example.org'
const BSO = 'business.support@example.org'
const VS = 'vs.consultant@example.org'

/** The links under "What you can do next" (the transitions' descriptions). */
const STEP = {
  delegate: "Delegate the school's sections to the designated teacher",
  submitContribution: "Send the school's contribution to the social worker",
  confirmMeeting: 'Confirm the meeting took place',
  submitToVs: 'Check and submit the PEP to the Virtual School',
  bsoPass: 'Pass the business support check',
  qaReturn: 'Return the PEP for improvement',
  signOff: 'Sign off the PEP',
} as const

const TIMEOUT = 180_000

/** One child's PEP and the people working on it, each in their own browser session. */
interface Life {
  childId: string
  childName: string
  pepId: string
  contentsUrl: string
  pages: Map<string, Page>
  contexts: BrowserContext[]
}

describe.skipIf(!hasChromium)('the life of a PEP in the browser', () => {
  const journey = browserJourney()
  const db = () => journey.app.database.db
  const base = () => journey.app.baseUrl

  /** Steps taken so far, and the step at which each page last loaded a PEP's contents. */
  let stepsTaken = 0
  const loadedAt = new WeakMap<Page, number>()

  async function userId(email: string) {
    const user = await db()
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    return user.id
  }

  async function authorityId() {
    const authority = await db()
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    return authority.id
  }

  /** A Year 9 child at Kingsmead, of the social worker and the designated teacher. */
  async function newLife(firstName: string, lastName: string, caseReference: string) {
    const childId = await newDemoChild(db(), {
      firstName,
      lastName,
      caseReference,
      recordOwner: SW,
      access: [
        [SW, 'social_worker'],
        [DT, 'designated_teacher'],
      ],
    })
    return {
      childId,
      childName: `${firstName} ${lastName}`,
      pepId: '',
      contentsUrl: '',
      pages: new Map(),
      contexts: [],
    } satisfies Life
  }

  async function setBsoCheck(on: boolean) {
    const authority = await authorityId()
    await db()
      .deleteFrom('authority_setting')
      .where('authority_id', '=', authority)
      .where('key', '=', 'bsoCheck')
      .execute()
    if (on) await setAuthoritySettings(db(), authority, { bsoCheck: true }, journey.app.clock.now())
  }

  /** Every page of the PEP answered, as the social worker, teacher and consultant would have. */
  async function answerEverything(pepId: string) {
    const random = (() => {
      let n = 7
      return () => (n = (n * 16807) % 2147483647) / 2147483647
    })()
    const savedBy = await userId(SW)
    for (const section of secondary.sections)
      for (const page of section.pages) {
        if (!holds(page.condition, { yearGroup: 'Y9', answers: {} })) continue
        const answers = { ...sampleAnswers(page, random, randomUUID, '2026-11-20') }
        if (page.id === 'attendance') answers['attendance-percentage'] = 96
        // Rated Good, so the consultant may sign it off (Inadequate needs the head and a reason).
        if (page.id === 'quality-assurance') answers['qa-overall'] = 'good'
        if (page.id === 'pep-meeting') {
          answers['next-meeting-date'] = '2027-03-04'
          answers['next-meeting-time'] = '14:30'
        }
        await writePage(db(), {
          pepId,
          pageId: page.id,
          answers,
          version: 1,
          savedBy,
          at: journey.app.clock.now(),
          kind: 'saved',
        })
      }
  }

  async function pepState(pepId: string) {
    const pep = await db()
      .selectFrom('pep')
      .select('status')
      .where('id', '=', pepId)
      .executeTakeFirstOrThrow()
    const sections = await db()
      .selectFrom('pep_section')
      .select('section_id')
      .where('pep_id', '=', pepId)
      .where('completed_at', 'is not', null)
      .orderBy('section_id')
      .execute()
    const delegation = await db()
      .selectFrom('pep_delegation')
      .select('status')
      .where('pep_id', '=', pepId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()
    return {
      status: pep.status,
      complete: sections.map((s) => s.section_id).join(''),
      delegation: delegation?.status ?? 'none',
    }
  }

  async function pagesOf(pepId: string) {
    return db()
      .selectFrom('pep_page')
      .select(['page_id', 'answers', 'version', 'saved_by', 'saved_at'])
      .where('pep_id', '=', pepId)
      .orderBy('page_id')
      .execute()
  }

  /** A person's browser session in this life, signed in (on My work) the first time. */
  async function as(life: Life, email: string): Promise<Page> {
    const known = life.pages.get(email)
    if (known) return known
    const page = await signedIn(journey, email)
    life.contexts.push(page.context())
    page.setDefaultTimeout(30_000)
    const myWork = new MyWorkPage(page)
    expect(await myWork.headingText()).toBe('My work')
    await myWork.checkAccessible()
    life.pages.set(email, page)
    return page
  }

  const h1 = (page: Page) => onPage(page).headingText()
  const main = (page: Page) => onPage(page).mainText()
  const banner = (page: Page) => onPage(page).bannerText()

  /** Marks the page as showing the PEP's contents as they are after the latest step. */
  function loaded(page: Page) {
    loadedAt.set(page, stepsTaken)
  }

  /**
   * The PEP's contents page, checked by axe; loaded again only if this person is not already
   * looking at it as it stands (someone has taken a step since).
   */
  async function openContents(page: Page, life: Life): Promise<PepContentsPage> {
    if (page.url() === life.contentsUrl && loadedAt.get(page) === stepsTaken)
      return PepContentsPage.waitFor(page, life.contentsUrl)
    const contents = await PepContentsPage.open(page, life.contentsUrl)
    expect(contents.url()).toBe(life.contentsUrl)
    expect(await contents.caption.textContent()).toContain(life.childName)
    await contents.checkAccessible()
    loaded(page)
    return contents
  }

  /**
   * One step of the PEP's life, from its link under "What you can do next" on the contents page
   * to the button on the step's page, and back to the contents with the step done.
   */
  async function step(
    page: Page,
    life: Life,
    link: string,
    button: string,
    fill?: (action: PepActionPage) => Promise<void>,
  ) {
    journey.app.clock.advance(5_000)
    const contents = await openContents(page, life)
    const action = await contents.followNextStep(link)
    expect(await action.headingText()).toBe(link)
    await action.checkAccessible()
    await fill?.(action)
    await action.confirm(button)
    const done = await PepContentsPage.waitFor(page, life.contentsUrl)
    stepsTaken += 1
    expect(await done.bannerText()).toContain(`${link}: done`)
    await done.checkAccessible()
    loaded(page)
  }

  /** Marks a section complete with its button on the contents page. */
  async function complete(page: Page, life: Life, section: string, by: string) {
    journey.app.clock.advance(5_000)
    const contents = await openContents(page, life)
    const asking = await contents.askToCompleteSection(section)
    await asking.checkAccessible()
    await asking.confirm(section)
    const done = await PepContentsPage.waitFor(page, life.contentsUrl)
    stepsTaken += 1
    expect(await done.bannerText()).toMatch(new RegExp(`Section ${section}: .* is marked complete`))
    expect(await done.sectionStatus(section).textContent()).toContain(`Marked complete by ${by}`)
    await done.checkAccessible()
    loaded(page)
  }

  /** The social worker starts the autumn PEP from the child's PEPs tab. */
  async function startPep(life: Life) {
    const page = await as(life, SW)
    const record = await ChildRecordPage.open(page, base(), life.childId)
    await record.checkAccessible()
    await record.openTab('PEPs')
    const tab = await PepsTabPage.waitFor(page, base(), life.childId)
    expect(await tab.mainText()).toContain('There are no PEPs yet.')
    await tab.checkAccessible()
    const starting = await tab.startPep()
    await starting.checkAccessible()
    // The meeting was on Friday 20 November, so it can be confirmed; the PEP is due on the 27th.
    const contents = await starting.start({
      term: 'Autumn term 2026',
      meeting: { day: '20', month: '11', year: '2026', time: '10:00' },
    })
    expect(await contents.headingText()).toBe('Secondary PEP, Autumn term 2026 In progress')
    expect(await contents.caption.textContent()).toContain(life.childName)
    await contents.checkAccessible()
    life.contentsUrl = contents.contentsUrl
    life.pepId = contents.pepId
    expect(await pepState(life.pepId)).toEqual({
      status: 'in_progress',
      complete: '',
      delegation: 'none',
    })
    // The answers, straight into the database: the page shown is now out of date.
    await answerEverything(life.pepId)
    stepsTaken += 1
  }

  /** The social worker delegates the school's sections with a due date. */
  async function delegate(life: Life) {
    const page = await as(life, SW)
    await step(page, life, STEP.delegate, 'Delegate', async (action) => {
      // The date offered is the PEP's target date, 7 days after the meeting (14 days after it,
      // the authority's rule for the school, would be after the target date).
      expect(await action.dueOn('day').inputValue()).toBe('27')
      expect(await action.dueOn('month').inputValue()).toBe('11')
      expect(await action.dueOn('year').inputValue()).toBe('2026')
      expect(await action.mainText()).toContain(
        'On or before the PEP’s target date, 27 November 2026',
      )
    })
    expect(await main(page)).toContain(
      'The school’s sections are delegated to Robin Teacher, due 27 November 2026.',
    )
    expect((await pepState(life.pepId)).delegation).toBe('delegated')
  }

  /** The designated teacher opens the PEP from the task in their tray. */
  async function openFromTray(life: Life, task: string) {
    const page = await as(life, DT)
    const tray = await TrayPage.open(page, base())
    await tray.checkAccessible()
    await tray.openTask(life.childName, task)
    const contents = await PepContentsPage.waitFor(page, life.contentsUrl)
    expect(await contents.caption.textContent()).toContain(life.childName)
    await contents.checkAccessible()
    loaded(page)
    return contents
  }

  /** The school's part: B and C complete, sent to the social worker, the meeting confirmed. */
  async function contribute(life: Life) {
    const contents = await openFromTray(life, 'Complete the school’s sections of the PEP')
    const page = contents.page
    expect(await contents.mainText()).toContain('Delegated to Robin Teacher')
    await complete(page, life, 'B', 'Robin Teacher')
    await complete(page, life, 'C', 'Robin Teacher')
    await step(page, life, STEP.submitContribution, 'Send to the social worker')
    expect(await main(page)).toContain('Robin Teacher has sent the school’s contribution to check.')
    // Sent: the school can no longer change its sections, nor send them twice.
    expect(await contents.link(STEP.submitContribution).count()).toBe(0)
    await step(page, life, STEP.confirmMeeting, 'Confirm the meeting took place', async (action) =>
      expect(await action.mainText()).toContain(
        'I, Robin Teacher, confirm that the PEP meeting took place.',
      ),
    )
    expect(await main(page)).toContain('Robin Teacher confirmed the meeting took place')
    expect(await pepState(life.pepId)).toEqual({
      status: 'in_progress',
      complete: 'BC',
      delegation: 'submitted',
    })
  }

  /** The social worker completes Section A and submits the PEP to the Virtual School. */
  async function submit(life: Life, waitingFor: string) {
    const page = await as(life, SW)
    await complete(page, life, 'A', 'Jordan Social')
    await step(page, life, STEP.submitToVs, 'Submit to the Virtual School')
    const contents = await PepContentsPage.waitFor(page, life.contentsUrl)
    expect(await contents.headingText()).toBe(`Secondary PEP, Autumn term 2026 ${waitingFor}`)
    // Locked: no section to complete, and nothing to submit.
    expect(await contents.button(/^Mark Section . as complete$/).count()).toBe(0)
    expect(await contents.link(STEP.submitToVs).count()).toBe(0)
  }

  describe('from start to sign-off across social worker, designated teacher, business support and Virtual School consultant', () => {
    let life: Life
    afterAll(async () => {
      for (const context of life?.contexts ?? []) await context.close()
    })

    it(
      'the social worker starts the PEP and delegates the school’s sections',
      async () => {
        await setBsoCheck(true)
        life = await newLife('Wren', 'Lifecycle', 'HFD-LIFE-B1')
        await startPep(life)
        await delegate(life)
      },
      TIMEOUT,
    )

    it(
      'the designated teacher completes the school’s sections from their tray, sends them and confirms the meeting',
      async () => {
        await contribute(life)
      },
      TIMEOUT,
    )

    it(
      'the social worker submits it and business support passes it to quality assurance',
      async () => {
        await submit(life, 'Waiting for a business support check')
        expect(await pepState(life.pepId)).toEqual({
          status: 'awaiting_bso_check',
          complete: 'ABC',
          delegation: 'done',
        })
        const bso = await as(life, BSO)
        await step(bso, life, STEP.bsoPass, 'Pass to quality assurance')
        expect(await h1(bso)).toBe('Secondary PEP, Autumn term 2026 Waiting for quality assurance')
        expect((await pepState(life.pepId)).status).toBe('awaiting_qa')
      },
      TIMEOUT,
    )

    it(
      'the Virtual School consultant completes the quality assurance and signs it off',
      async () => {
        const vs = await as(life, VS)
        const contents = await openContents(vs, life)
        // Signing off is not offered until Section D is complete, and refused if asked for.
        expect(await contents.link(STEP.signOff).count()).toBe(0)
        const early = await PepActionPage.open(vs, life.contentsUrl, 'sign-off')
        expect(early.responseStatus()).toBe(409)
        expect(await early.mainText()).toContain(
          'You cannot do this now. Complete the quality assurance (Section D) first.',
        )
        await early.checkAccessible()
        await complete(vs, life, 'D', 'Sam Consultant')
        await step(vs, life, STEP.signOff, 'Sign off the PEP')
        expect(await banner(vs)).toContain('Next term’s PEP has been started')
        expect(await h1(vs)).toBe('Secondary PEP, Autumn term 2026 Signed off')
        expect(await pepState(life.pepId)).toEqual({
          status: 'signed_off',
          complete: 'ABCD',
          delegation: 'done',
        })
      },
      TIMEOUT,
    )

    it(
      'the social worker sees it signed off, downloads its PDF and finds next term’s PEP',
      async () => {
        const sw = await as(life, SW)
        const contents = await openContents(sw, life)
        expect(await contents.headingText()).toBe('Secondary PEP, Autumn term 2026 Signed off')
        expect(await contents.mainText()).toMatch(/Signed off \d{1,2} November 2026/)
        expect(await contents.mainText()).toContain('Signed off the PEP')
        expect(await contents.nextStepsHeading.count()).toBe(0)
        const pdfLink = contents.link('Download the signed-off PEP (PDF)')
        const pdfHref = await pdfLink.getAttribute('href')
        expect(pdfHref).toBe(`/children/${life.childId}/peps/${life.pepId}/pep.pdf`)
        const pdf = await sw.request.get(`${base()}${pdfHref}`)
        expect(pdf.status()).toBe(200)
        expect(pdf.headers()['content-type']).toBe('application/pdf')
        expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-')

        await contents.clickLink(`Back to ${life.childName}'s PEPs`)
        const tab = await PepsTabPage.waitFor(sw, base(), life.childId)
        await tab.checkAccessible()
        expect(await tab.pepLinks.allTextContents()).toEqual([
          'Secondary PEP, Spring term 2027',
          'Secondary PEP, Autumn term 2026',
        ])
        const next = await db()
          .selectFrom('pep')
          .select(['id', 'status', 'carried_from_id'])
          .where('child_id', '=', life.childId)
          .where('id', '!=', life.pepId)
          .executeTakeFirstOrThrow()
        expect(next).toMatchObject({ status: 'in_progress', carried_from_id: life.pepId })
        await tab.clickLink('Secondary PEP, Spring term 2027')
        const spring = await PepContentsPage.waitFor(
          sw,
          `${base()}/children/${life.childId}/peps/${next.id}`,
        )
        expect(await spring.headingText()).toBe('Secondary PEP, Spring term 2027 In progress')
        await spring.checkAccessible()
      },
      TIMEOUT,
    )
  })

  describe('a return-for-amendment loop', () => {
    let life: Life
    let before: Awaited<ReturnType<typeof pagesOf>>
    const comments = 'Targets need dates: "by Easter" is not enough 📅'
    afterAll(async () => {
      for (const context of life?.contexts ?? []) await context.close()
    })

    it(
      'the PEP is started, delegated and the school contributes',
      async () => {
        await setBsoCheck(false)
        life = await newLife('Ash', 'Amendment', 'HFD-LIFE-B2')
        await startPep(life)
        await delegate(life)
        await contribute(life)
      },
      TIMEOUT,
    )

    it(
      'is submitted to the Virtual School, which the designated teacher cannot sign off',
      async () => {
        await submit(life, 'Waiting for quality assurance')
        expect(await pepState(life.pepId)).toEqual({
          status: 'awaiting_qa',
          complete: 'ABC',
          delegation: 'done',
        })
        before = await pagesOf(life.pepId)
        expect(before.length).toBeGreaterThan(20)

        const dt = await as(life, DT)
        const refused = await PepActionPage.open(dt, life.contentsUrl, 'sign-off')
        expect(refused.responseStatus()).toBe(409)
        expect(await refused.headingText()).toBe('Sign off the PEP')
        expect(await refused.mainText()).toContain(
          'You cannot do this now. Your role cannot do this.',
        )
        expect(await refused.button('Sign off the PEP').count()).toBe(0)
        await refused.checkAccessible()
        expect((await pepState(life.pepId)).status).toBe('awaiting_qa')
      },
      TIMEOUT,
    )

    it(
      'the consultant returns it for improvement with comments, reopening Section B',
      async () => {
        const vs = await as(life, VS)
        await step(vs, life, STEP.qaReturn, 'Return for improvement', async (action) => {
          // Forgetting to say which sections is refused, with the comments kept.
          await action.comments.fill(comments)
          await action.button('Return for improvement').click()
          await expect.poll(() => action.title()).toMatch(/^Error: /)
          expect(await action.errorSummary.text()).toContain('Select the sections to reopen')
          expect(await action.comments.inputValue()).toBe(comments)
          await action.checkAccessible()
          await action.page.getByLabel('Section B: Designated teacher').check()
        })
        expect(await h1(vs)).toBe('Secondary PEP, Autumn term 2026 In progress')
        expect(await pepState(life.pepId)).toEqual({
          status: 'in_progress',
          complete: 'AC',
          delegation: 'delegated',
        })
      },
      TIMEOUT,
    )

    it(
      'the designated teacher reads the comments, completes Section B again and the PEP is resubmitted, with nothing lost',
      async () => {
        const contents = await openFromTray(
          life,
          'Make the improvements the Virtual School asked for',
        )
        const dt = contents.page
        const said = ((await contents.latestHistory.textContent()) ?? '').replace(/\s+/g, ' ')
        expect(said).toContain('Returned the PEP for improvement')
        expect(said).toContain(comments)
        expect(said).toContain('Sam Consultant')
        // Section C stays complete; B is open to them again.
        expect(await contents.button('Mark Section C as complete').count()).toBe(0)
        await complete(dt, life, 'B', 'Robin Teacher')
        await step(dt, life, STEP.submitContribution, 'Send to the social worker')

        const sw = await as(life, SW)
        await step(sw, life, STEP.submitToVs, 'Submit to the Virtual School')
        expect(await h1(sw)).toBe('Secondary PEP, Autumn term 2026 Waiting for quality assurance')
        expect(await pepState(life.pepId)).toEqual({
          status: 'awaiting_qa',
          complete: 'ABC',
          delegation: 'done',
        })
        expect(await pagesOf(life.pepId)).toEqual(before)
      },
      TIMEOUT,
    )
  })
})
