import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { TestAgent } from '../../testing/agent.ts'
import { makeUser } from '../../testing/factories.ts'

/*
 * A designated teacher passes different parts of the pages delegated to them to different
 * colleagues at once (issue 15), through HTTP on a real database. Each page is with at most one
 * colleague; each colleague has their own part, task and email (naming the pages, never the
 * child) and reaches their pages alone; ending one part leaves the others. The colleagues are the
 * demo's designated person (Jamie College) and a second teacher made here (Sam Second), both on
 * the staff of the child's school and on no child's list.
 */

let t: TestContext
let world: DemoWorld
let serial = 0
const ids: Record<string, string> = {}
const SECOND = 'sam.second@example.org'

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  Object.assign(ids, world.ids)
  const db = t.database.db
  await db
    .updateTable('membership')
    .set({ school_id: world.schoolId })
    .where('user_id', '=', ids['designated.person@example.org']!)
    .where('role', '=', 'designated_person')
    .execute()
  const { password_hash } = await db
    .selectFrom('app_user')
    .select('password_hash')
    .where('email', '=', 'designated.teacher@example.org')
    .executeTakeFirstOrThrow()
  ids[SECOND] = (
    await makeUser(db, {
      email: SECOND,
      displayName: 'Sam Second',
      passwordHash: password_hash,
      role: 'designated_teacher',
      authorityId: world.authorityId,
      schoolId: world.schoolId,
    })
  ).id
  // A fictional account of the demo's, as the others are: signed in without two-step verification.
  await db
    .updateTable('app_user')
    .set({ demo_account: true })
    .where('id', '=', ids[SECOND]!)
    .execute()
})
afterAll(() => world.close())

/** Each person signed in afresh for each test: the clock moves on, sessions idle out. */
let signedIn = new Map<string, Promise<TestAgent>>()
beforeEach(() => {
  signedIn = new Map()
})
function as(email: string): Promise<TestAgent> {
  let agent = signedIn.get(email)
  if (!agent) {
    agent = (async () => {
      const fresh = new TestAgent(t.app)
      await fresh.signIn(email, DEMO_PASSWORD)
      return fresh
    })()
    signedIn.set(email, agent)
  }
  return agent
}
const sw = () => as('social.worker@example.org')
const dt = () => as('designated.teacher@example.org')
const jamie = () => as('designated.person@example.org')
const sam = () => as(SECOND)
const teacherId = () => ids['designated.teacher@example.org']!
const jamieId = () => ids['designated.person@example.org']!
const samId = () => ids[SECOND]!

const due = { 'dueOn-day': '27', 'dueOn-month': '11', 'dueOn-year': '2026' }

async function post(agent: TestAgent, url: string, form: Record<string, string | string[]>) {
  t.clock.advance(60_000)
  await agent.get(url)
  return agent.post(url, form)
}

/** A child with the social worker and teacher on its list, its PEP delegated to the teacher. */
async function delegatedPep() {
  serial += 1
  const childId = await world.newChild({
    firstName: 'Parveen',
    lastName: `Parted-${serial}`,
    caseReference: `HFD-PARTS-${serial}`,
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
    ],
  })
  const pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
  const url = `/children/${childId}/peps/${pepId}`
  const given = await post(await sw(), `${url}/actions/delegate`, {
    ...due,
    delegateTo: teacherId(),
  })
  expect(given.statusCode).toBe(303)
  return { childId, pepId, url }
}

const passOn = async (url: string, to: string, pages: string[]) =>
  post(await dt(), `${url}/actions/pass-on`, { delegateTo: to, choosePages: 'yes', pages })

async function partsOf(pepId: string) {
  return t.database.db
    .selectFrom('pep_delegation')
    .select(['id', 'delegated_to', 'pages', 'status', 'part_of'])
    .where('pep_id', '=', pepId)
    .where('part_of', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

async function openTasks(pepId: string) {
  return t.database.db
    .selectFrom('task')
    .select(['assigned_to', 'kind'])
    .where('pep_id', '=', pepId)
    .where('status', '=', 'open')
    .where('is_alert', '=', false)
    .orderBy('assigned_to')
    .execute()
}

async function lastEmailTo(address: string) {
  return t.database.db
    .selectFrom('outbox_email')
    .select(['text_body', 'subject'])
    .where('to_address', '=', address)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
}

describe('passing parts of the school’s pages to different colleagues', () => {
  it('gives two colleagues their own pages at once: own part, task, email, history and audit', async () => {
    const p = await delegatedPep()
    const page = await (await dt()).get(`${p.url}/actions/pass-on`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Which pages go to your colleague?')
    expect(page.body).toContain('You have not passed any pages on.')
    expect((await passOn(p.url, jamieId(), ['attendance'])).statusCode).toBe(303)
    expect((await passOn(p.url, samId(), ['sen', 'transitions'])).statusCode).toBe(303)

    const parts = await partsOf(p.pepId)
    expect(parts.map((d) => [d.delegated_to, d.pages, d.status])).toEqual([
      [jamieId(), ['attendance'], 'delegated'],
      [samId(), ['sen', 'transitions'], 'delegated'],
    ])
    // The teacher keeps the school's part and its task; each colleague has their own task.
    expect(await openTasks(p.pepId)).toEqual(
      [teacherId(), jamieId(), samId()]
        .sort()
        .map((id) => ({ assigned_to: id, kind: 'complete-school-sections' })),
    )
    // Each email names that colleague's pages, and never the child.
    const toJamie = await lastEmailTo('designated.person@example.org')
    expect(toJamie.text_body).toContain('Section B: Attendance')
    expect(toJamie.text_body).not.toContain('Special educational needs')
    const toSam = await lastEmailTo(SECOND)
    expect(toSam.text_body).toContain(
      'Section B: Special educational needs\n\nSection B: Transitions',
    )
    expect(toSam.text_body).not.toContain('Attendance')
    for (const email of [toJamie, toSam]) {
      expect(email.text_body).toContain('A colleague at your school has asked you')
      expect(`${email.subject}${email.text_body}`).not.toContain('Parveen')
      expect(`${email.subject}${email.text_body}`).not.toContain('Parted')
    }
    // An audit event and a history line for each.
    const audits = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'pep.transition')
      .where('child_id', '=', p.childId)
      .execute()
    expect(audits.filter((a) => a.details?.['transition'] === 'pass-on')).toHaveLength(2)
    const contents = (await (await sw()).get(p.url)).body
    expect(contents.match(/Passed pages of the school’s sections to a colleague/g)).toHaveLength(2)
    expect(contents).toContain('Robin Teacher passed 1 page on to Jamie College.')
    expect(contents).toContain('Robin Teacher passed 2 pages on to Sam Second.')
    expect(contents).toContain('Delegated to Jamie College')
    expect(contents.match(/Delegated to Sam Second/g)).toHaveLength(2)

    // Each changes their own pages alone; the teacher no longer changes the pages passed on.
    const save = (agent: TestAgent, pageId: string) =>
      post(agent, `${p.url}/pages/${pageId}`, { version: '0', 'attendance-percentage': '97' })
    expect((await save(await jamie(), 'attendance')).statusCode).toBe(303)
    expect((await (await jamie()).post(`${p.url}/pages/sen`, { version: '0' })).statusCode).toBe(
      404,
    )
    expect((await (await sam()).get(`${p.url}/pages/sen`)).body).toContain('name="version"')
    expect((await (await sam()).get(`${p.url}/pages/attendance`)).statusCode).toBe(404)
    expect(
      (await (await dt()).post(`${p.url}/pages/attendance`, { version: '1' })).statusCode,
    ).toBe(403)
    // The teacher's own pages stay theirs.
    expect(
      (await (await dt()).get(`${p.url}/pages/social-emotional-mental-health`)).body,
    ).toContain('name="version"')
    // The pass-on page lists who holds what, and offers only the pages still with the teacher.
    const listed = (await (await dt()).get(`${p.url}/actions/pass-on`)).body
    expect(listed).toContain('Pages with colleagues')
    expect(listed).toMatch(
      /Jamie College<\/th>\s*<td class="govuk-table__cell">\s*<ul class="govuk-list"><li>Attendance<\/li><\/ul>/,
    )
    expect(listed).not.toContain('value="attendance"')
    expect(listed).toContain('value="social-emotional-mental-health"')
  })

  it('refuses a page already with a colleague, at the field, changing nothing', async () => {
    const p = await delegatedPep()
    expect((await passOn(p.url, jamieId(), ['attendance'])).statusCode).toBe(303)
    const overlap = await passOn(p.url, samId(), ['sen', 'attendance'])
    expect(overlap.statusCode).toBe(409)
    expect(overlap.body).toContain('govuk-error-summary')
    expect(overlap.body).toContain('href="#pages"')
    expect(overlap.body).toContain(
      '‘Attendance’ is already with Jamie College: take it back first, or choose other pages',
    )
    // What was chosen is kept: the colleague, and SEN ticked.
    expect(overlap.body).toMatch(/value="sen" checked/)
    expect(overlap.body).toMatch(new RegExp(`value="${samId()}" checked`))
    expect((await partsOf(p.pepId)).map((d) => d.delegated_to)).toEqual([jamieId()])
    expect((await openTasks(p.pepId)).map((x) => x.assigned_to).sort()).toEqual(
      [teacherId(), jamieId()].sort(),
    )
    // No page at all: said at the field.
    const none = await post(await dt(), `${p.url}/actions/pass-on`, {
      delegateTo: samId(),
      choosePages: 'yes',
    })
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('Select the pages your colleague completes')
  })

  it('adds pages to a colleague’s part when given more: one part, one task, an email for the new pages', async () => {
    const p = await delegatedPep()
    expect((await passOn(p.url, jamieId(), ['attendance'])).statusCode).toBe(303)
    expect((await passOn(p.url, jamieId(), ['sen'])).statusCode).toBe(303)
    const parts = await partsOf(p.pepId)
    expect(parts.map((d) => [d.delegated_to, d.pages])).toEqual([
      [jamieId(), ['attendance', 'sen']],
    ])
    expect((await openTasks(p.pepId)).filter((x) => x.assigned_to === jamieId())).toHaveLength(1)
    const email = await lastEmailTo('designated.person@example.org')
    expect(email.text_body).toContain('Section B: Special educational needs')
    expect(email.text_body).not.toContain('Section B: Attendance')
    // The teacher cannot give their colleague to themselves.
    const self = await passOn(p.url, teacherId(), ['social-emotional-mental-health'])
    expect(self.statusCode).toBe(400)
  })

  it('ends one of two parts, leaving the other: taken back by the teacher, handed back by the colleague', async () => {
    const p = await delegatedPep()
    expect((await passOn(p.url, jamieId(), ['attendance'])).statusCode).toBe(303)
    expect((await passOn(p.url, samId(), ['sen'])).statusCode).toBe(303)
    const [jamiePart, samPart] = await partsOf(p.pepId)
    /** Ends a part as this person would, with a token from the page they were on. */
    const end = async (agent: TestAgent, partId: string, from = p.url) => {
      t.clock.advance(60_000)
      await agent.get(from)
      return agent.post(`${p.url}/parts/${partId}/end`, {})
    }

    // Nobody else ends a part: the social worker, or the other colleague.
    expect((await end(await sw(), jamiePart!.id)).statusCode).toBe(404)
    expect((await end(await sam(), jamiePart!.id)).statusCode).toBe(404)

    const back = await end(await dt(), jamiePart!.id, `${p.url}/actions/pass-on`)
    expect(back.statusCode).toBe(303)
    expect(back.headers.location).toBe(`${p.url}/actions/pass-on`)
    const after = await partsOf(p.pepId)
    expect(after.map((d) => [d.delegated_to, d.status])).toEqual([
      [jamieId(), 'retracted'],
      [samId(), 'delegated'],
    ])
    expect((await openTasks(p.pepId)).map((x) => x.assigned_to).sort()).toEqual(
      [teacherId(), samId()].sort(),
    )
    // Jamie reaches nothing of it now; Sam still reaches theirs; the teacher has the page back.
    expect((await (await jamie()).get(p.url)).statusCode).toBe(404)
    expect((await (await jamie()).get(`${p.url}/pages/attendance`)).statusCode).toBe(404)
    expect((await (await sam()).get(`${p.url}/pages/sen`)).statusCode).toBe(200)
    expect((await (await dt()).get(`${p.url}/pages/attendance`)).body).toContain('name="version"')
    const alerts = await t.database.db
      .selectFrom('task')
      .select('title')
      .where('pep_id', '=', p.pepId)
      .where('is_alert', '=', true)
      .where('assigned_to', '=', jamieId())
      .execute()
    expect(alerts.map((a) => a.title)).toEqual([
      'Pages of a PEP passed to you were taken back: what you saved is kept',
    ])

    // Sam hands theirs back from the PEP's contents.
    const contents = (await (await sam()).get(p.url)).body
    expect(contents).toContain('Hand the pages back to Robin Teacher')
    const handed = await end(await sam(), samPart!.id)
    expect(handed.statusCode).toBe(303)
    expect((await partsOf(p.pepId)).map((d) => d.status)).toEqual(['retracted', 'done'])
    expect((await (await sam()).get(p.url)).statusCode).toBe(404)
    const history = (await (await sw()).get(p.url)).body
    expect(history).toContain('Took back pages passed to a colleague')
    expect(history).toContain('Handed back pages passed on to them')
    // Ended already: ending it again is nothing to end.
    expect((await end(await dt(), samPart!.id)).statusCode).toBe(404)
    const audits = await t.database.db
      .selectFrom('audit_event')
      .select(['outcome', 'details'])
      .where('action', '=', 'pep.delegation.part-ended')
      .where('child_id', '=', p.childId)
      .orderBy('occurred_at')
      .execute()
    expect(
      audits.map((a) => [a.outcome, a.details?.['handedBack'] ?? a.details?.['code']]),
    ).toEqual([
      ['denied', 'part.not-yours'],
      ['denied', 'part.not-yours'],
      ['success', false],
      ['success', true],
      ['denied', 'part.not-found'],
    ])
  })

  it('ends every part when the social worker retracts the school’s part', async () => {
    const p = await delegatedPep()
    expect((await passOn(p.url, jamieId(), ['attendance'])).statusCode).toBe(303)
    expect((await passOn(p.url, samId(), ['sen'])).statusCode).toBe(303)
    expect((await post(await sw(), `${p.url}/actions/retract`, {})).statusCode).toBe(303)
    expect((await partsOf(p.pepId)).map((d) => d.status)).toEqual(['retracted', 'retracted'])
    expect(await openTasks(p.pepId)).toEqual([])
    expect((await (await jamie()).get(p.url)).statusCode).toBe(404)
    expect((await (await sam()).get(p.url)).statusCode).toBe(404)
  })
})

describe('what a colleague given part of the pages may read', () => {
  it('reaches the PEP’s contents and their pages, and nothing else of the PEP or the child', async () => {
    const p = await delegatedPep()
    expect((await passOn(p.url, jamieId(), ['attendance'])).statusCode).toBe(303)
    const me = await jamie()
    const contents = await me.get(p.url)
    expect(contents.statusCode).toBe(200)
    // Their page is listed; no other page's title, link or answer.
    expect(contents.body).toContain(`href="${p.url}/pages/attendance"`)
    expect(contents.body).not.toContain(`${p.url}/pages/sen`)
    expect(contents.body).not.toContain('Special educational needs')
    expect(contents.body).not.toContain('Read or print the whole PEP')
    expect(contents.body).not.toContain('History of this PEP')
    for (const path of [
      '/pages/sen',
      '/pages/personal-information',
      '/pages/sen/history',
      '/read',
      '/pep.pdf',
      '/documents',
      '/meeting-record',
      '/actions/pass-on',
      '/actions/submit-contribution',
    ]) {
      const answer = await me.get(`${p.url}${path}`)
      expect(answer.statusCode, path).toBe(404)
      expect(answer.body, path).not.toContain('Parveen')
    }
    for (const path of ['', '/notes', '/peps', '/attendance']) {
      const answer = await me.get(`/children/${p.childId}${path}`)
      expect(answer.statusCode, path).toBe(404)
      expect(answer.body, path).not.toContain('Parveen')
    }
    // Their tray names the child without a link into the record; the task leads to the PEP, and
    // no group task's page is theirs (those are for the Virtual School's trays).
    const tray = (await me.get('/tray')).body
    expect(tray).toContain('Complete the pages of the PEP passed to you')
    expect(tray).toContain(`href="${p.url}"`)
    expect(tray).not.toContain(`href="/children/${p.childId}"`)
    const mine = await t.database.db
      .selectFrom('task')
      .select('id')
      .where('pep_id', '=', p.pepId)
      .where('assigned_to', '=', jamieId())
      .executeTakeFirstOrThrow()
    const taskPage = await me.get(`/tray/tasks/${mine.id}`)
    expect(taskPage.statusCode).toBe(403)
    expect(taskPage.body).not.toContain('Parveen')
    // Their own page's history is theirs to read.
    expect((await me.get(`${p.url}/pages/attendance/history`)).statusCode).toBe(200)
    // Sam, given nothing, reaches nothing at all.
    const other = await (await sam()).get(p.url)
    expect(other.statusCode).toBe(404)
    expect(other.body).not.toContain('Parveen')
    // After saving their page, they are taken back to the contents, not to a page not theirs.
    const saved = await post(me, `${p.url}/pages/attendance`, {
      version: '0',
      'attendance-percentage': '95',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(p.url)
  })
})
