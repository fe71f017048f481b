import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makePep } from '../../testing/factories.ts'

/*
 * The carer's views for a PEP, and staff recording the young person's views on their behalf
 * (issue 20), through HTTP: kept exactly as typed with every save, a stale form refused with what
 * was typed kept, sending alerts the social worker and the designated teacher (tray and email,
 * never naming the child), staff read them in the PEP, and nobody else reaches either page.
 */

let t: TestContext
let charlieId: string
let otherChildId: string
let pepId: string
let onBehalfPepId: string
const ids: Record<string, string> = {}
const agents: Record<string, TestAgent> = {}

const TYPED = 'Mae’n hapus yn yr ysgol 😀 +1: «ok» नमस्ते\nSecond line'

async function agent(email: string): Promise<TestAgent> {
  if (!agents[email]) {
    agents[email] = new TestAgent(t.app)
    await agents[email].signIn(email, DEMO_PASSWORD)
  }
  return agents[email]
}

const viewsUrl = (childId: string, pep: string) => `/my-children/${childId}/peps/${pep}/views`
const onBehalfUrl = (pep: string) => `/children/${charlieId}/peps/${pep}/views-on-behalf`

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute())
    ids[u.email] = u.id
  const charlie = await db
    .selectFrom('child')
    .selectAll()
    .where('first_name', '=', 'Charlie')
    .where('last_name', '=', 'Young')
    .executeTakeFirstOrThrow()
  charlieId = charlie.id
  otherChildId = (
    await db
      .selectFrom('child')
      .select('id')
      .where('authority_id', '=', charlie.authority_id)
      .where('id', '<>', charlieId)
      .executeTakeFirstOrThrow()
  ).id
  const pep = (term: 'spring' | 'summer') =>
    makePep(db, {
      childId: charlieId,
      term: { academicYear: 2031, name: term },
      yearGroup: 'Y10',
      startedOn: '2026-11-20',
      createdBy: ids['social.worker@example.org']!,
      at: t.clock.now(),
    })
  pepId = await pep('spring')
  onBehalfPepId = await pep('summer')
})
afterAll(() => t.close())

describe('the carer’s views', () => {
  it('are saved exactly as typed, each save kept, and changeable until sent', async () => {
    const carer = await agent('carer@example.org')
    const home = await carer.get('/my-children')
    expect(home.body).toContain(`href="/my-children/${charlieId}/peps/`)
    const page = await carer.get(viewsUrl(charlieId, pepId))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Your views for the PEP')
    expect(page.body).toContain('What is going well at school?')
    const saved = await carer.post(viewsUrl(charlieId, pepId), {
      goingWell: TYPED,
      worries: '',
      wouldHelp: 'A reading club',
      version: '0',
      action: 'save',
    })
    expect(saved.statusCode).toBe(303)
    const again = await carer.get(viewsUrl(charlieId, pepId))
    expect(again.body).toContain('Your views are saved. They are not sent yet.')
    const second = await carer.post(viewsUrl(charlieId, pepId), {
      goingWell: TYPED,
      worries: 'Homework 📚',
      wouldHelp: 'A reading club',
      version: '1',
      action: 'save',
    })
    expect(second.statusCode).toBe(303)
    const row = await t.database.db
      .selectFrom('pep_carer_views')
      .selectAll()
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(row.going_well).toBe(TYPED)
    expect(row.worries).toBe('Homework 📚')
    expect(row.version).toBe(2)
    expect(row.sent_at).toBeNull()
    const revisions = await t.database.db
      .selectFrom('pep_carer_views_revision')
      .select(['version', 'worries'])
      .where('views_id', '=', row.id)
      .orderBy('version')
      .execute()
    expect(revisions).toEqual([
      { version: 1, worries: '' },
      { version: 2, worries: 'Homework 📚' },
    ])
  })

  it('refuses a stale form and an empty send, keeping what was typed', async () => {
    const carer = await agent('carer@example.org')
    await carer.get(viewsUrl(charlieId, pepId))
    const stale = await carer.post(viewsUrl(charlieId, pepId), {
      goingWell: 'Typed in an old window',
      worries: '',
      wouldHelp: '',
      version: '1',
      action: 'save',
    })
    expect(stale.statusCode).toBe(400)
    expect(stale.body).toContain('There is a problem')
    expect(stale.body).toContain('changed in another window')
    expect(stale.body).toContain('Typed in an old window')
    const empty = await carer.post(viewsUrl(charlieId, pepId), {
      goingWell: '  ',
      worries: '',
      wouldHelp: '',
      version: '2',
      action: 'send',
    })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Write at least one answer before you send your views')
    expect(empty.body).toContain('href="#goingWell"')
    const long = await carer.post(viewsUrl(charlieId, pepId), {
      goingWell: 'x'.repeat(5001),
      version: '2',
      action: 'save',
    })
    expect(long.statusCode).toBe(400)
    expect(long.body).toContain('5,000 characters or fewer')
    const row = await t.database.db
      .selectFrom('pep_carer_views')
      .select(['version', 'going_well'])
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ version: 2, going_well: TYPED })
  })

  it('when sent, alert the social worker and designated teacher and are read by staff in the PEP', async () => {
    const carer = await agent('carer@example.org')
    await carer.get(viewsUrl(charlieId, pepId))
    const sent = await carer.post(viewsUrl(charlieId, pepId), {
      goingWell: TYPED,
      worries: 'Homework 📚',
      wouldHelp: 'A reading club',
      version: '2',
      action: 'send',
    })
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe('/my-children')
    const alerts = await t.database.db
      .selectFrom('task')
      .select(['assigned_to', 'title'])
      .where('pep_id', '=', pepId)
      .where('kind', '=', 'views-sent')
      .orderBy('assigned_to')
      .execute()
    expect(alerts.map((a) => a.assigned_to).sort()).toEqual(
      [ids['social.worker@example.org'], ids['designated.person@example.org']].sort(),
    )
    expect(alerts[0]!.title).toBe('The carer sent their views for the PEP')
    const emails = await t.database.db
      .selectFrom('outbox_email')
      .select(['to_address', 'subject', 'text_body'])
      .where('subject', '=', 'A carer has sent their views for a Personal Education Plan')
      .execute()
    expect(emails.map((e) => e.to_address).sort()).toEqual(
      ['designated.person@example.org', 'social.worker@example.org'].sort(),
    )
    for (const e of emails) {
      expect(e.text_body).not.toContain('Charlie')
      expect(e.text_body).toContain('/tray')
    }
    // Sent: no longer theirs to change.
    const view = await carer.get(viewsUrl(charlieId, pepId))
    expect(view.body).toContain('You sent your views on')
    expect(view.body).not.toContain('Send my views')
    const late = await carer.post(viewsUrl(charlieId, pepId), {
      goingWell: 'Changed after sending',
      version: '3',
      action: 'save',
    })
    expect(late.statusCode).toBe(303)
    const row = await t.database.db
      .selectFrom('pep_carer_views')
      .select('going_well')
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(row.going_well).toBe(TYPED)
    // Staff read them in Section C of the PEP, exactly as typed.
    const sw = await agent('social.worker@example.org')
    const contents = await sw.get(`/children/${charlieId}/peps/${pepId}`)
    expect(contents.body).toContain('Taylor Carer (carer) sent their views on')
    expect(contents.body).toContain('Homework 📚')
    expect(contents.body).toContain('Mae’n hapus yn yr ysgol 😀 +1: «ok» नमस्ते')
    // The young person does not.
    const yp = await agent('young.person@example.org')
    const ypRead = await yp.get(`/children/${charlieId}/peps/${pepId}`)
    expect(ypRead.body).not.toContain('Homework 📚')
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('user_id', '=', ids['carer@example.org']!)
      .where('action', 'in', ['carer.views.save', 'carer.views.send'])
      .execute()
    // One instant on the test clock: the order is by action.
    expect(audit.map((a) => a.action).sort()).toEqual([
      'carer.views.save',
      'carer.views.save',
      'carer.views.send',
    ])
  })

  it('are the carer’s alone, and only for a child placed with them', async () => {
    const carer = await agent('carer@example.org')
    expect((await carer.get(viewsUrl(otherChildId, pepId))).statusCode).toBe(404)
    expect(
      (await carer.get(viewsUrl(charlieId, '00000000-0000-4000-8000-000000000000'))).statusCode,
    ).toBe(404)
    for (const email of [
      'social.worker@example.org',
      'young.person@example.org',
      'eastmere.admin@example.org',
    ]) {
      const other = await agent(email)
      const response = await other.get(viewsUrl(charlieId, pepId))
      expect([403, 404], email).toContain(response.statusCode)
      expect(response.body, email).not.toContain('Homework')
    }
  })
})

describe('staff recording the young person’s views on their behalf', () => {
  it('asks how they were gathered, keeping what was typed', async () => {
    const sw = await agent('social.worker@example.org')
    const contents = await sw.get(`/children/${charlieId}/peps/${onBehalfPepId}`)
    expect(contents.body).toContain(`href="${onBehalfUrl(onBehalfPepId)}"`)
    const page = await sw.get(onBehalfUrl(onBehalfPepId))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Record Charlie’s views on their behalf')
    const blank = await sw.post(onBehalfUrl(onBehalfPepId), { howGathered: '   ' })
    expect(blank.statusCode).toBe(400)
    expect(blank.body).toContain('There is a problem')
    expect(blank.body).toContain('Enter how you gathered their views')
  })

  it('marks them as recorded by that person on the child’s behalf, and alerts the others', async () => {
    const sw = await agent('social.worker@example.org')
    await sw.get(onBehalfUrl(onBehalfPepId))
    const done = await sw.post(onBehalfUrl(onBehalfPepId), {
      howGathered: 'Talked with Charlie at school 😀',
    })
    expect(done.statusCode).toBe(303)
    const contents = await sw.get(`/children/${charlieId}/peps/${onBehalfPepId}`)
    expect(contents.body).toContain('Recorded by Jordan Social on behalf of Charlie')
    expect(contents.body).toContain('Talked with Charlie at school 😀')
    expect(contents.body).not.toContain(`href="${onBehalfUrl(onBehalfPepId)}"`)
    // Marked so (who, when, how gathered) in the read view and the PDF, not as Charlie's words.
    const marked =
      /Recorded by Jordan Social on behalf of Charlie( Young)?, on 23 November 2026 at [^.]+\. How their views were gathered: Talked with Charlie at school 😀/
    const read = await sw.get(`/children/${charlieId}/peps/${onBehalfPepId}/read`)
    expect(read.body).toMatch(marked)
    const pdf = await sw.get(`/children/${charlieId}/peps/${onBehalfPepId}/pep.pdf`)
    expect(pdf.statusCode).toBe(200)
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.rawPayload })
      .toString('utf8')
      .replace(/\s+/g, ' ')
    expect(text).toMatch(
      /Recorded by Jordan Social on behalf of Charlie Young, on 23 November 2026/,
    )
    expect(text).toContain('How their views were gathered: Talked with Charlie at school')
    expect(text).not.toContain('The answers in this section are the young person’s own words')
    const row = await t.database.db
      .selectFrom('pep_young_person_views')
      .selectAll()
      .where('pep_id', '=', onBehalfPepId)
      .executeTakeFirstOrThrow()
    expect(row.on_behalf).toBe(true)
    expect(row.sent_by).toBe(ids['social.worker@example.org'])
    // The social worker recorded them: only the designated teacher is told.
    const alerts = await t.database.db
      .selectFrom('task')
      .select('assigned_to')
      .where('pep_id', '=', onBehalfPepId)
      .where('kind', '=', 'views-sent')
      .execute()
    expect(alerts.map((a) => a.assigned_to)).toEqual([ids['designated.person@example.org']])
    // The young person can no longer change them.
    const yp = await agent('young.person@example.org')
    const mine = await yp.get(`/my-pep/${charlieId}/peps/${onBehalfPepId}/views`)
    expect(mine.body).toContain('Jordan Social wrote down your views for you on')
    expect(mine.body).not.toContain('Send my views')
  })

  it('is refused to the carer, the young person and staff of another authority', async () => {
    for (const email of [
      'carer@example.org',
      'young.person@example.org',
      'eastmere.admin@example.org',
    ]) {
      const other = await agent(email)
      const response = await other.get(onBehalfUrl(pepId))
      expect([403, 404], email).toContain(response.statusCode)
    }
  })
})
