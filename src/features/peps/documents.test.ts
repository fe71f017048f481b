import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import type { TestAgent } from '../../testing/agent.ts'
import { FULL_READER } from './pep-context.ts'
import { pepExtras } from './pep-record.presenter.ts'

/*
 * Documents attached to a PEP through HTTP: attached from the PEP, listed on it, kept on the
 * child's record (one store), and refused to whoever may not read the child's documents.
 */

let world: DemoWorld
let t: TestContext
let childId: string
let pepId: string
const agents: Record<string, TestAgent> = {}
const ids: Record<string, string> = {}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

const agent = (email: string) => agents[email]!
const sw = () => agent('social.worker@example.org')
const base = () => `/children/${childId}/peps/${pepId}`

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  Object.assign(ids, world.ids)
  childId = await world.newChild({
    firstName: 'Ash',
    lastName: 'Documents',
    caseReference: 'HFD-DOCS-1',
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
      ['iro@example.org', 'iro'],
      ['carer@example.org', 'carer'],
    ],
  })
  for (const email of [
    'social.worker@example.org',
    'designated.teacher@example.org',
    'iro@example.org',
    'carer@example.org',
    'personal.advisor@example.org',
  ])
    agents[email] = await world.agent(email)
  pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
})
afterAll(() => world.close())

describe('documents attached to a PEP', () => {
  it('are reached from the PEP’s contents page, which says how many there are', async () => {
    const contents = await sw().get(base())
    expect(contents.statusCode).toBe(200)
    expect(contents.body).toContain(`href="${base()}/documents"`)
    expect(contents.body).toContain('None attached')
    const page = await sw().get(`${base()}/documents`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('No documents are attached to this PEP.')
    expect(page.body).toContain('Attach a document')
  })

  it('refuses a form with no title, type or file, naming each field and keeping what was typed', async () => {
    await sw().get(`${base()}/documents`)
    const response = await sw().postMultipart(`${base()}/documents`, { title: 'EHC plan ✓' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('href="#kind"')
    expect(response.body).toContain('Select what the document is')
    expect(response.body).toContain('href="#file"')
    expect(response.body).toContain('Select a file')
    expect(response.body).toContain('value="EHC plan ✓"')
    const empty = await sw().postMultipart(`${base()}/documents`, { kind: 'ehc-plan' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter a title for the document')
    expect(empty.body).toMatch(/value="ehc-plan" checked/)
  })

  it('attaches a document: listed on the PEP, kept on the child’s record, audited', async () => {
    await sw().get(`${base()}/documents`)
    const response = await sw().postMultipart(
      `${base()}/documents`,
      { title: 'EHC plan, annual review', kind: 'ehc-plan' },
      { field: 'file', filename: 'ehcp.pdf', contentType: 'application/pdf', content: PDF },
    )
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`${base()}/documents`)
    const page = await sw().get(`${base()}/documents`)
    expect(page.body).toContain('EHC plan, annual review')
    expect(page.body).toContain('<td class="govuk-table__cell">EHC plan</td>')
    expect((await sw().get(base())).body).toContain('1 attached')

    // One store: it is one of the child's documents, linked to the PEP.
    const rows = await t.database.db
      .selectFrom('child_document')
      .select(['id', 'child_id', 'pep_id', 'kind'])
      .where('child_id', '=', childId)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ pep_id: pepId, kind: 'ehc-plan' })
    const record = await sw().get(`/children/${childId}/documents`)
    expect(record.body).toContain('EHC plan, annual review')
    expect(record.body).toContain('EHC plan, attached to a PEP')
    const download = await sw().get(`/children/${childId}/documents/${rows[0]!.id}`)
    expect(download.statusCode).toBe(200)
    expect(download.rawPayload.equals(PDF)).toBe(true)

    const events = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'child_id', 'details'])
      .where('action', '=', 'pep.document.attach')
      .execute()
    expect(events).toHaveLength(1)
    expect(events[0]!.child_id).toBe(childId)
    expect(events[0]!.details).toMatchObject({ documentId: rows[0]!.id, pepId })
  })

  it('lists them in the PEP’s read view and, for whoever reads documents, its PDF', async () => {
    const read = await sw().get(`${base()}/read`)
    expect(read.body).toContain('Attached documents')
    expect(read.body).toMatch(/EHC plan, annual review \(EHC plan, \d+ November 2026\)/)
    const forStaff = await pepExtras(t.database.db, { id: pepId, childId }, FULL_READER.role)
    expect(forStaff.documents).toEqual([
      { title: 'EHC plan, annual review', type: 'EHC plan', date: '23 November 2026' },
    ])
    const forCarer = await pepExtras(t.database.db, { id: pepId, childId }, 'carer')
    expect(forCarer.documents).toEqual([])
  })

  it('the designated teacher attaches one too; the IRO reads them but may not attach', async () => {
    const dt = agent('designated.teacher@example.org')
    await dt.get(`${base()}/documents`)
    const attached = await dt.postMultipart(
      `${base()}/documents`,
      { title: 'SEN support plan', kind: 'sen-support-plan' },
      { field: 'file', filename: 'plan.pdf', contentType: 'application/pdf', content: PDF },
    )
    expect(attached.statusCode).toBe(303)
    const iro = agent('iro@example.org')
    const page = await iro.get(`${base()}/documents`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('SEN support plan')
    expect(page.body).not.toContain('Attach a document')
    const refused = await iro.postMultipart(
      `${base()}/documents`,
      { title: 'Not allowed', kind: 'other' },
      { field: 'file', filename: 'x.pdf', contentType: 'application/pdf', content: PDF },
    )
    // Refused as the record's documents page refuses it: as if it were not there.
    expect(refused.statusCode).toBe(404)
  })

  it('the carer, who does not read documents, sees none on the PEP and is refused the page (404)', async () => {
    const carer = agent('carer@example.org')
    const contents = await carer.get(base())
    expect(contents.statusCode).toBe(200)
    expect(contents.body).not.toContain(`${base()}/documents`)
    const read = await carer.get(`${base()}/read`)
    expect(read.statusCode).toBe(200)
    expect(read.body).not.toContain('Attached documents')
    expect(read.body).not.toContain('EHC plan, annual review')
    expect((await carer.get(`${base()}/documents`)).statusCode).toBe(404)
    const posted = await carer.postMultipart(
      `${base()}/documents`,
      { title: 'Carer', kind: 'other' },
      { field: 'file', filename: 'x.pdf', contentType: 'application/pdf', content: PDF },
    )
    expect(posted.statusCode).toBe(404)
  })

  it('someone not on the child’s record is refused the page and the upload', async () => {
    const pa = agent('personal.advisor@example.org')
    const page = await pa.get(`${base()}/documents`)
    expect([403, 404]).toContain(page.statusCode)
    expect(page.body).not.toContain('EHC plan, annual review')
    const posted = await pa.postMultipart(
      `${base()}/documents`,
      { title: 'Stranger', kind: 'other' },
      { field: 'file', filename: 'x.pdf', contentType: 'application/pdf', content: PDF },
    )
    expect([403, 404]).toContain(posted.statusCode)
    const count = await t.database.db
      .selectFrom('child_document')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(2)
  })

  it('attaches a document already on the record, once, saying what it is', async () => {
    await sw().get(`/children/${childId}/documents`)
    const uploaded = await sw().postMultipart(
      `/children/${childId}/documents`,
      { title: 'Speech and language report' },
      { field: 'file', filename: 'salt.pdf', contentType: 'application/pdf', content: PDF },
    )
    expect(uploaded.statusCode).toBe(303)
    const doc = await t.database.db
      .selectFrom('child_document')
      .select('id')
      .where('title', '=', 'Speech and language report')
      .executeTakeFirstOrThrow()
    const page = await sw().get(`${base()}/documents`)
    expect(page.body).toContain('Attach a document already on the record')
    expect(page.body).toContain(`value="${doc.id}"`)
    // The documents attached to the PEP are not offered again.
    expect(page.body.match(/name="documentId"/g)).toHaveLength(1)

    const empty = await sw().post(`${base()}/documents/link`, {})
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('<a href="#documentId">Select a document from the record</a>')
    expect(empty.body).toContain('<a href="#linkKind">Select what the document is</a>')

    const linked = await sw().post(`${base()}/documents/link`, {
      documentId: doc.id,
      linkKind: 'report',
    })
    expect(linked.statusCode).toBe(303)
    const after = await sw().get(`${base()}/documents`)
    expect(after.body).toContain('Speech and language report')
    expect(after.body).toContain('<td class="govuk-table__cell">Report or assessment</td>')
    expect(after.body).not.toContain('Attach a document already on the record')

    const again = await sw().post(`${base()}/documents/link`, {
      documentId: doc.id,
      linkKind: 'report',
    })
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('That document is attached to a PEP already')
    const stranger = await sw().post(`${base()}/documents/link`, {
      documentId: '00000000-0000-4000-8000-000000000000',
      linkKind: 'report',
    })
    expect(stranger.statusCode).toBe(409)
    expect(stranger.body).toContain('That document is not on this child’s record')
    const events = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'pep.document.attach')
      .execute()
    expect(events.map((e) => e.details)).toContainEqual(
      expect.objectContaining({ documentId: doc.id, pepId, fromRecord: true }),
    )
    const carer = agent('carer@example.org')
    await carer.get(base())
    const refused = await carer.post(`${base()}/documents/link`, {
      documentId: doc.id,
      linkKind: 'report',
    })
    expect(refused.statusCode).toBe(404)
  })

  it('a PEP id from another child finds nothing', async () => {
    const other = await t.database.db
      .selectFrom('pep')
      .select(['id'])
      .where('child_id', '<>', childId)
      .executeTakeFirst()
    if (!other) return
    expect((await sw().get(`/children/${childId}/peps/${other.id}/documents`)).statusCode).toBe(404)
  })
})
