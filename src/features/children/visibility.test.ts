import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { isYearGroup } from '../../domain/year-group.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { TestAgent } from '../../testing/agent.ts'
import { formatDate } from '../../views/format.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { findPepOfChild } from '../peps/peps.service.ts'
import { linkToChild, makePep, makeUser } from '../../testing/factories.ts'
import { storePdf } from '../peps/pep-pdf.service.ts'

/*
 * Who reads what (issue 13, ADR 10), through the app as each person signs in: the young person
 * (Charlie Young, whose own account it is) and their carer see what is theirs to see, and none of
 * what stays with staff, on the record, the PEP's pages, its read and print view, its history
 * and its PDF; the social worker sees all of it.
 */

let t: TestContext
let childId: string
let otherChildId: string
let pepId: string
let caseReference: string
let legalStatus: string
let dateOfBirth: string
const agents: Record<'yp' | 'carer' | 'sw', TestAgent> = {} as never

/** Words that only staff may read, each written somewhere the carer or young person might look. */
const STAFF_ONLY = {
  note: 'STAFFNOTE mother moved away',
  document: 'STAFFDOC core assessment',
  contact: 'STAFFCONTACT Uncle Bob must not collect',
  health: 'STAFFHEALTH asthma and anxiety',
  vsNotes: 'STAFFVS consultant notes',
  qa: 'STAFFQA a good plan',
}
const FOR_THE_CARER = 'CARERSEES attendance is improving'
const THEIRS = { views: 'YPVIEWS I want to be a vet', target: 'YPTARGET read every night' }

const userId = async (email: string) =>
  (
    await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).id

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  const charlie = await db
    .selectFrom('child')
    .selectAll()
    .where('first_name', '=', 'Charlie')
    .where('last_name', '=', 'Young')
    .executeTakeFirstOrThrow()
  childId = charlie.id
  caseReference = charlie.case_reference
  legalStatus = charlie.legal_status!
  dateOfBirth = formatDate(charlie.date_of_birth)
  otherChildId = (
    await db
      .selectFrom('child')
      .select('id')
      .where('authority_id', '=', charlie.authority_id)
      .where('id', '<>', childId)
      .executeTakeFirstOrThrow()
  ).id
  const sw = await userId('social.worker@example.org')
  await linkToChild(db, { childId, userId: sw, capacity: 'social_worker', unlessListed: true })
  const at = t.clock.now()
  await db
    .insertInto('child_note')
    .values({
      child_id: childId,
      kind: 'case_note',
      body: STAFF_ONLY.note,
      author_id: sw,
      created_at: at,
    })
    .execute()
  await db
    .insertInto('child_document')
    .values({
      child_id: childId,
      title: STAFF_ONLY.document,
      filename: 'assessment.pdf',
      content_type: 'application/pdf',
      size_bytes: 4,
      sha256: '0'.repeat(64),
      content: Buffer.from('%PDF'),
      uploaded_by: sw,
      uploaded_at: at,
    })
    .execute()

  const pages: Record<string, Record<string, unknown>> = {
    'care-information': {
      'legal-status': 'care_order',
      'placement-type': 'foster_care',
      'sharing-restrictions': STAFF_ONLY.contact,
    },
    'education-information': { 'virtual-school-notes': STAFF_ONLY.vsNotes },
    'health-and-wellbeing': { 'health-needs': STAFF_ONLY.health, 'sdq-score': 17 },
    attendance: { 'attendance-comments': FOR_THE_CARER },
    'smart-targets': { targets: [{ id: 'target-1', target: THEIRS.target }] },
    'your-future': { 'yp-future': THEIRS.views },
    'quality-assurance': { 'qa-comments': STAFF_ONLY.qa },
  }
  pepId = await makePep(db, {
    childId,
    state: 'signed_off',
    term: { academicYear: 2021, name: 'autumn' },
    yearGroup: 'Y10',
    meetingOn: '2026-10-01',
    createdBy: sw,
    pages,
    at,
  })
  const row = (await findPepOfChild(db, childId, pepId))!
  await storePdf(
    db,
    {
      ...row,
      template: findTemplate(row.formType, row.templateVersion)!,
      yearGroupValue: isYearGroup(row.yearGroup) ? row.yearGroup : null,
    },
    'Charlie Young',
    at,
  )

  for (const [key, email] of [
    ['yp', 'young.person@example.org'],
    ['carer', 'carer@example.org'],
    ['sw', 'social.worker@example.org'],
  ] as const) {
    agents[key] = new TestAgent(t.app)
    await agents[key].signIn(email, DEMO_PASSWORD)
  }
})
afterAll(() => t.close())

const child = (path = '') => `/children/${childId}${path}`
const pep = (path = '') => child(`/peps/${pepId}${path}`)
/** The young person's own page of their PEP (issue 20), where its staff pages send them. */
const myPep = () => `/my-pep/${childId}/peps/${pepId}`

/** Gets a page, following a redirect to the young person's own page (issue 20). */
async function follow(agent: TestAgent, url: string) {
  const response = await agent.get(url)
  const location = String(response.headers.location ?? '')
  return response.statusCode === 303 && location.startsWith('/my-pep/')
    ? agent.get(location.split('#')[0]!)
    : response
}

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8')
}

/** Every page a reader might open, with what they were given. */
async function everything(agent: TestAgent) {
  const urls = [
    '/',
    `/my-pep/${childId}`,
    myPep(),
    '/my-children',
    child(),
    child('/peps'),
    pep(),
    pep('/read'),
    pep('/pages/care-information'),
    pep('/pages/care-information/history'),
    pep('/pages/attendance'),
    pep('/pages/attendance/history'),
  ]
  const bodies: string[] = []
  for (const url of urls) {
    const response = await agent.get(url)
    if (response.statusCode === 200) bodies.push(response.body)
  }
  const pdf = await agent.get(pep('/pep.pdf'))
  expect(pdf.statusCode).toBe(200)
  return {
    html: bodies.join('\n'),
    pdf: pdfText(pdf.rawPayload),
    filename: decodeURIComponent(
      /filename\*=UTF-8''(.*)$/.exec(String(pdf.headers['content-disposition']))![1]!,
    ),
  }
}

const RESTRICTED_LABELS = [
  'legal status',
  'must not be given information',
  'SDQ',
  'Quality assurance',
]

describe('what the young person and the carer read', () => {
  it('gives the social worker everything', async () => {
    const { html, pdf, filename } = await everything(agents.sw)
    // The file names the child by case reference and the term as the pages do, with its year.
    expect(filename).toBe(`PEP ${caseReference} Autumn term 2021 (2021-22).pdf`)
    for (const text of [
      caseReference,
      legalStatus,
      dateOfBirth,
      'Users with access to this record',
    ])
      expect(html).toContain(text)
    for (const text of [STAFF_ONLY.contact, STAFF_ONLY.vsNotes, FOR_THE_CARER, THEIRS.views])
      expect(html).toContain(text)
    for (const text of [STAFF_ONLY.contact, STAFF_ONLY.health, STAFF_ONLY.qa, THEIRS.target])
      expect(pdf).toContain(text)
    // The print view shows the PDF's cover.
    const read = (await agents.sw.get(pep('/read'))).body
    for (const text of ['Unique pupil number (UPN)', 'Protective marking', 'Professionals'])
      expect(read, text).toContain(text)
    // The cover page: the child's core data, the professionals, the protective marking.
    for (const text of [
      dateOfBirth,
      'Unique pupil number (UPN)',
      caseReference,
      legalStatus,
      'Social worker',
      'social.worker@example.org',
      'Protective marking',
      'Autumn term 2021 (2021/22)',
    ])
      expect(pdf, text).toContain(text)
    for (const label of RESTRICTED_LABELS) expect(pdf).toContain(label)
    expect((await agents.sw.get(child('/notes'))).body).toContain(STAFF_ONLY.note)
    expect((await agents.sw.get(child('/documents'))).body).toContain(STAFF_ONLY.document)
    expect((await agents.sw.get(pep('/pages/health-and-wellbeing'))).body).toContain(
      STAFF_ONLY.health,
    )
  })

  it.each(['carer', 'yp'] as const)(
    'keeps everything staff-only from the %s: record, PEP pages, read view, history and PDF',
    async (who) => {
      const { html, pdf, filename } = await everything(agents[who])
      expect(html).toContain('Charlie Young')
      // Their copy is named by the child's name: the case reference is not theirs to read.
      expect(filename).toMatch(/^PEP Charlie \S+ Autumn term 2021 \(2021-22\)\.pdf$/)
      expect(filename).not.toContain(caseReference)
      for (const text of [
        caseReference,
        legalStatus,
        dateOfBirth,
        'Users with access to this record',
        'Date of birth',
        'Days in care',
        ...Object.values(STAFF_ONLY),
      ]) {
        expect(html, text).not.toContain(text)
        expect(pdf, text).not.toContain(text)
      }
      for (const label of RESTRICTED_LABELS) {
        expect(html, label).not.toContain(label)
        expect(pdf, label).not.toContain(label)
      }
      for (const text of Object.values(THEIRS)) {
        expect(html + pdf).toContain(text)
        expect(pdf).toContain(text)
      }
      // The carer reads the PEP but what is restricted; the young person what is theirs.
      expect(pdf.includes(FOR_THE_CARER)).toBe(who === 'carer')
      // The cover: the school and term for both, the professionals for the carer alone.
      expect(pdf).toContain('Autumn term 2021 (2021/22)')
      expect(pdf).not.toContain('Unique pupil number')
      expect(pdf.includes('social.worker@example.org')).toBe(who === 'carer')
      const read = (await follow(agents[who], pep('/read'))).body
      // The young person's own page names the term as a child would, without the school year.
      expect(read).toContain(who === 'yp' ? 'Autumn term 2021' : 'Autumn term 2021 (2021/22)')
      expect(read).not.toContain('Unique pupil number')
      expect(read.includes('social.worker@example.org')).toBe(who === 'carer')
      expect(html.includes(FOR_THE_CARER)).toBe(who === 'carer')
    },
  )

  it.each(['carer', 'yp'] as const)(
    'refuses the %s the notes, documents, events, access list and restricted pages, and hides their links',
    async (who) => {
      const agent = agents[who]
      const record = await agent.get(child())
      for (const path of ['/notes', '/documents', '/history', '/access-log'])
        expect(record.body).not.toContain(`href="${child(path)}"`)
      const document = /href="(\/children\/[^"]+\/documents\/[0-9a-f-]{36})"/.exec(
        (await agents.sw.get(child('/documents'))).body,
      )![1]!
      for (const url of [
        child('/notes'),
        child('/documents'),
        document,
        child('/history'),
        child('/access-log'),
        pep('/pages/health-and-wellbeing'),
        pep('/pages/health-and-wellbeing/history'),
        pep('/pages/quality-assurance'),
        pep('/pages/quality-assurance/history'),
        // The surfaces added since (issues 15, 18, 19): education, funding, the meeting record,
        // the PEP's documents, and its progress (a step in its life, marking a section complete).
        child('/attendance'),
        child('/attainment'),
        child('/funding'),
        pep('/funding'),
        pep('/funding-impact'),
        pep('/meeting-record'),
        pep('/documents'),
        pep('/actions/delegate'),
        pep('/actions/sign-off'),
        pep('/sections/A/complete'),
        pep('/sections/D/complete'),
      ]) {
        const response = await agent.get(url)
        expect(response.statusCode, url).toBe(404)
        expect(response.body).not.toContain(STAFF_ONLY.health)
      }
      await agent.get(child())
      expect((await agent.post(child('/access'), { person: 'x:carer' })).statusCode).toBe(404)
      expect((await agent.post(child('/notes'), { kind: 'user_note', body: 'x' })).statusCode).toBe(
        404,
      )
    },
  )

  it('shows the carer who the professionals are and how to reach them', async () => {
    const record = await agents.carer.get(child())
    expect(record.body).toContain('Professionals working with Charlie')
    expect(record.body).toContain('social.worker@example.org')
    expect(record.body).not.toContain('young.person@example.org')
  })

  it('lets staff share a page with the young person, and stop; never a restricted one', async () => {
    const yp = agents.yp
    expect((await yp.get(pep('/pages/attendance'))).statusCode).toBe(404)
    const page = await agents.sw.get(pep('/pages/attendance'))
    expect(page.body).toContain('Share this page with Charlie')
    const shared = await agents.sw.post(pep('/pages/attendance/share'), { shared: 'yes' })
    expect(shared.statusCode).toBe(303)
    // Their page of the PEP holds it now; the staff page and read view send them there.
    const now = await yp.get(pep('/pages/attendance'))
    expect(now.statusCode).toBe(303)
    expect(now.headers.location).toBe(`${myPep()}#page-attendance`)
    const mine = await follow(yp, pep('/pages/attendance'))
    expect(mine.body).toContain('id="page-attendance"')
    expect(mine.body).toContain(FOR_THE_CARER)
    expect((await follow(yp, pep('/read'))).body).toContain(FOR_THE_CARER)
    expect(pdfText((await yp.get(pep('/pep.pdf'))).rawPayload)).toContain(FOR_THE_CARER)
    // Sharing a restricted page is refused, and so is sharing by the young person or the carer.
    await agents.sw.get(pep('/pages/attendance'))
    expect(
      (await agents.sw.post(pep('/pages/health-and-wellbeing/share'), { shared: 'yes' }))
        .statusCode,
    ).toBe(404)
    for (const who of ['yp', 'carer'] as const) {
      await agents[who].get(pep())
      expect(
        (await agents[who].post(pep('/pages/attendance/share'), { shared: 'no' })).statusCode,
      ).toBe(404)
    }
    await agents.sw.get(pep('/pages/attendance'))
    await agents.sw.post(pep('/pages/attendance/share'), { shared: 'no' })
    expect((await yp.get(pep('/pages/attendance'))).statusCode).toBe(404)
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'pep.page.share')
      .where('child_id', '=', childId)
      .execute()
    // Both at the test clock's one instant: one event for sharing, one for stopping.
    expect(audit.map((a) => (a.details as { shared: boolean }).shared).sort()).toEqual([
      false,
      true,
    ])
  })
})

describe("a young person's account", () => {
  it('is linked to the child with their own name, and to no other child', async () => {
    const yp = agents.yp
    // Their home is their own page, about the child they are.
    const home = await yp.get('/')
    expect(home.headers.location).toBe(`/my-pep/${childId}`)
    expect((await yp.get(home.headers.location!)).body).toContain('Charlie')
    expect((await yp.get(`/children/${otherChildId}`)).statusCode).toBe(404)
    // Even given another capacity on another child's list, the account reaches only its own.
    const db = t.database.db
    const ypId = await userId('young.person@example.org')
    await linkToChild(db, { childId: otherChildId, userId: ypId, capacity: 'carer' })
    expect((await yp.get(`/children/${otherChildId}`)).statusCode).toBe(404)
    expect((await yp.get(`/children/${otherChildId}/peps`)).statusCode).toBe(404)
    await db
      .deleteFrom('child_access')
      .where('child_id', '=', otherChildId)
      .where('user_id', '=', ypId)
      .execute()
    // A second link, to another child, is refused by the database.
    await expect(
      db
        .insertInto('child_access')
        .values({ child_id: otherChildId, user_id: ypId, capacity: 'young_person' })
        .execute(),
    ).rejects.toThrow()
  })

  it('cannot be linked to a second child, even when linked meanwhile', async () => {
    const db = t.database.db
    const authority = await db
      .selectFrom('child')
      .select('authority_id')
      .where('id', '=', childId)
      .executeTakeFirstOrThrow()
    const robin = await makeUser(db, {
      email: 'robin.young@example.org',
      displayName: 'Robin Young',
      role: 'young_person',
      authorityId: authority.authority_id,
    })
    const admin = new TestAgent(t.app)
    await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const [first, second] = (
      await db
        .selectFrom('child')
        .select('id')
        .where('authority_id', '=', authority.authority_id)
        .where('id', 'not in', [childId, otherChildId])
        .limit(2)
        .execute()
    ).map((c) => c.id)
    expect((await admin.get(`/children/${first}`)).body).toContain(
      `value="${robin.id}:young_person"`,
    )
    expect(
      (await admin.post(`/children/${first}/access`, { person: `${robin.id}:young_person` }))
        .statusCode,
    ).toBe(303)
    // The second child's page was opened before the first link was made.
    await admin.get(`/children/${second}`)
    const refused = await admin.post(`/children/${second}/access`, {
      person: `${robin.id}:young_person`,
    })
    expect(refused.statusCode).toBe(400)
    const links = await db
      .selectFrom('child_access')
      .select('child_id')
      .where('user_id', '=', robin.id)
      .where('removed_at', 'is', null)
      .execute()
    expect(links.map((l) => l.child_id)).toEqual([first])
  })

  it('is not offered to another child’s access list once linked', async () => {
    const admin = new TestAgent(t.app)
    await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const ypId = await userId('young.person@example.org')
    const page = await admin.get(`/children/${otherChildId}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain(`value="${ypId}:young_person"`)
  })
})
