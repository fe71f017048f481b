import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setSetting } from '../../shared/settings.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeChild, makePep, makeSchool, makeUser } from '../../testing/factories.ts'
import type { Role } from '../../domain/roles.ts'
import { hashPassword } from '../../shared/passwords.ts'
import { keepMissingPdfs } from './pep-pdf.service.ts'

/*
 * The carer's views (issue 20) in the PEP's print view and PDF, through HTTP: marked as the
 * carer's (who, when), exactly as typed, and read by whoever reads them on the PEP's contents page
 * (staff and carers), never by the young person; only views sent, never a draft. The PDF read
 * back with poppler's pdftotext, before sign-off (made now) and after (the one kept, and the
 * young person's own copy made without them).
 */

const PASSWORD = 'carer-views-in-the-pdf'
const GOING_WELL = 'Mae hi’n hapus yn yr ysgol 😀 and loves «art» नमस्ते'
const WORRIES = 'Homework on Tuesdays & maths <tests>'
const WOULD_HELP = 'A reading club after school'
const DRAFT_ONLY = 'Zanzibar draft never sent'

let t: TestContext
let passwordHash: string
let authorityId: string
let childId: string
let pepId: string
const people: Record<string, { id: string; email: string; agent: TestAgent }> = {}

async function person(key: string, role: Role, name: string) {
  const user = await makeUser(t.database.db, {
    role,
    authorityId,
    displayName: name,
    passwordHash,
  })
  const agent = new TestAgent(t.app)
  await agent.signIn(user.email, PASSWORD)
  people[key] = { ...user, agent }
}

const base = () => `/children/${childId}/peps/${pepId}`
const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8')
/** pdftotext breaks long lines where the PDF wraps them: compare with spaces collapsed. */
const flat = (text: string) => text.replace(/\s+/g, ' ')
const escaped = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

async function carerSends(key: string, form: Record<string, string>) {
  const agent = people[key]!.agent
  const url = `/my-children/${childId}/peps/${pepId}/views`
  expect((await agent.get(url)).statusCode).toBe(200)
  const response = await agent.post(url, { version: '0', ...form })
  expect(response.statusCode).toBe(303)
}

async function pdfOf(key: string): Promise<string> {
  const response = await people[key]!.agent.get(`${base()}/pep.pdf`)
  expect(response.statusCode, key).toBe(200)
  expect(response.headers['content-type']).toBe('application/pdf')
  return pdfText(response.rawPayload)
}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
  passwordHash = await hashPassword(PASSWORD)
  const school = await makeSchool(db)
  authorityId = school.authorityId
  await person('socialWorker', 'social_worker', 'Sam Social')
  await person('carer', 'carer', 'Taylor Gofalwr')
  await person('otherCarer', 'carer', 'Robin Drafter')
  await person('youngPerson', 'young_person', 'Ffion Young')
  await person('stranger', 'social_worker', 'Off The List')
  childId = await makeChild(db, {
    authorityId,
    schoolId: school.schoolId,
    firstName: 'Ffion',
    recordOwnerId: people.socialWorker!.id,
    access: [
      { userId: people.socialWorker!.id, capacity: 'social_worker' },
      { userId: people.carer!.id, capacity: 'carer' },
      { userId: people.otherCarer!.id, capacity: 'carer' },
      { userId: people.youngPerson!.id, capacity: 'young_person' },
    ],
  })
  pepId = await makePep(db, { childId, createdBy: people.socialWorker!.id })
  // One carer sends their views (one box left blank); the other saves a draft and never sends.
  await carerSends('carer', {
    goingWell: GOING_WELL,
    worries: WORRIES,
    wouldHelp: WOULD_HELP,
    action: 'send',
  })
  await carerSends('otherCarer', { goingWell: DRAFT_ONLY, worries: '', wouldHelp: '' })
})
afterAll(() => t.close())

describe('the carer’s views in the PEP’s print view and PDF', () => {
  it('are in the print view for staff and carers, marked as the carer’s, exactly as typed', async () => {
    for (const key of ['socialWorker', 'carer']) {
      const read = await people[key]!.agent.get(`${base()}/read`)
      expect(read.statusCode, key).toBe(200)
      const body = read.body
      expect(body, key).toContain('The carer’s views')
      expect(body, key).toContain('The answers here are the carer’s own words')
      expect(body, key).toContain('Taylor Gofalwr (carer) sent their views on 23 November 2026')
      for (const typed of [GOING_WELL, WORRIES, WOULD_HELP])
        expect(body, key).toContain(escaped(typed))
      expect(body, key).not.toContain(DRAFT_ONLY)
      expect(body, key).not.toContain('Robin Drafter (carer)')
    }
  })

  it('are in the PDF as it stands for staff and carers, never the young person’s', async () => {
    for (const key of ['socialWorker', 'carer']) {
      const text = flat(await pdfOf(key))
      expect(text, key).toContain('The carer’s views')
      expect(text, key).toContain('are the carer’s own words, sent for the PEP meeting')
      expect(text, key).toContain('Taylor Gofalwr (carer) sent their views on 23 November 2026')
      expect(text, key).toContain('What is going well at school?')
      for (const typed of [WORRIES, WOULD_HELP, 'Mae hi’n hapus yn yr ysgol'])
        expect(text, key).toContain(typed)
      expect(text, key).not.toContain('Zanzibar')
    }
    const forYoungPerson = flat(await pdfOf('youngPerson'))
    expect(forYoungPerson).toContain('Ffion')
    for (const hidden of ['The carer’s views', 'Taylor Gofalwr', 'Homework on Tuesdays'])
      expect(forYoungPerson).not.toContain(hidden)
    // The read view sends the young person to their own page of the PEP (issue 20).
    const sent = await people.youngPerson!.agent.get(`${base()}/read`)
    expect(sent.statusCode).toBe(303)
    const read = await people.youngPerson!.agent.get(String(sent.headers.location))
    expect(read.statusCode).toBe(200)
    expect(read.body).not.toContain('The carer’s views')
    expect(read.body).not.toContain('Homework on Tuesdays')
  })

  it('are kept in the signed-off PDF, and left out of the young person’s own copy', async () => {
    const db = t.database.db
    await db
      .updateTable('pep')
      .set({
        status: 'signed_off',
        submitted_at: t.clock.now(),
        signed_off_at: t.clock.now(),
        signed_off_by: people.socialWorker!.id,
      })
      .where('id', '=', pepId)
      .execute()
    expect(await keepMissingPdfs(db, t.clock.now())).toBe(1)
    const kept = await db
      .selectFrom('pep_pdf')
      .select('content')
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()
    const keptText = flat(pdfText(kept.content))
    expect(keptText).toContain('Taylor Gofalwr (carer) sent their views on 23 November 2026')
    expect(keptText).toContain(WORRIES)
    expect(keptText).not.toContain('DRAFT')
    const forStaff = flat(await pdfOf('socialWorker'))
    expect(forStaff).toContain(WOULD_HELP)
    const forYoungPerson = flat(await pdfOf('youngPerson'))
    expect(forYoungPerson).not.toContain('Taylor Gofalwr')
    expect(forYoungPerson).not.toContain(WORRIES)
  })

  it('reach nobody off the child’s list, not even the child’s name', async () => {
    const stranger = people.stranger!.agent
    for (const url of [`${base()}/read`, `${base()}/pep.pdf`]) {
      const response = await stranger.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.body).not.toContain('Taylor Gofalwr')
      expect(response.body).not.toContain('Ffion')
    }
  })
})
