import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { attachmentDisposition, safeFilename } from '../../shared/download.ts'

let t: TestContext
let childId: string
let sw: TestAgent

// The smallest real files of each kind, so the type check reads real content.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000000000200015e0f2ad10000000049454e44ae426082',
  'hex',
)

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const row = await t.database.db
    .selectFrom('child_access')
    .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
    .select('child_access.child_id')
    .where('app_user.email', '=', 'social.worker@example.org')
    .executeTakeFirstOrThrow()
  childId = row.child_id
  sw = new TestAgent(t.app)
  await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

describe('notes', () => {
  it('adds a note exactly as typed, with who wrote it and when, newest first', async () => {
    const body =
      'Meeting moved: Year 7 + maths 😀 "quotes" <b>not bold</b> Gŵyl Dewi, Seán\nSecond line'
    await sw.get(`/children/${childId}/notes`)
    const response = await sw.post(`/children/${childId}/notes`, { kind: 'case_note', body })
    expect(response.statusCode).toBe(303)
    const page = await sw.get(`/children/${childId}/notes`)
    expect(page.body).toContain('Note added')
    expect(page.body).toContain('Jordan Social, 23 November 2026 at 10:00am')
    expect(page.body).toContain(
      'Meeting moved: Year 7 + maths 😀 &quot;quotes&quot; &lt;b&gt;not bold&lt;/b&gt; Gŵyl Dewi, Seán\nSecond line',
    )
    const stored = await t.database.db
      .selectFrom('child_note')
      .select(['body', 'kind'])
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ body, kind: 'case_note' })
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'child_id'])
      .where('action', '=', 'child.note.add')
      .executeTakeFirstOrThrow()
    expect(audit.child_id).toBe(childId)
  })

  it('names each missing field, keeps what was typed, and refuses notes over the limit', async () => {
    await sw.get(`/children/${childId}/notes`)
    const empty = await sw.post(`/children/${childId}/notes`, { body: '   ' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('<a href="#kind">Select the type of note</a>')
    expect(empty.body).toContain('<a href="#body">Enter the note</a>')

    const atLimit = await sw.post(`/children/${childId}/notes`, {
      kind: 'user_note',
      body: 'x'.repeat(10_000),
    })
    expect(atLimit.statusCode).toBe(303)
    await sw.get(`/children/${childId}/notes`)
    const over = await sw.post(`/children/${childId}/notes`, {
      kind: 'user_note',
      body: 'y'.repeat(10_001),
    })
    expect(over.statusCode).toBe(400)
    expect(over.body).toContain('The note must be 10,000 characters or fewer')
    expect(over.body).toContain('y'.repeat(10_001))
  })

  it('keeps notes from a carer: neither read nor added (ADR 10: notes are staff-only)', async () => {
    const carerChild = await t.database.db
      .selectFrom('child_access')
      .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
      .select('child_access.child_id')
      .where('app_user.email', '=', 'carer@example.org')
      .executeTakeFirstOrThrow()
    const carer = new TestAgent(t.app)
    await carer.signIn('carer@example.org', DEMO_PASSWORD)
    const page = await carer.get(`/children/${carerChild.child_id}/notes`)
    expect(page.statusCode).toBe(404)
    expect(page.body).not.toContain('Add note')
    expect(
      (await carer.post(`/children/${carerChild.child_id}/notes`, { kind: 'user_note', body: 'x' }))
        .statusCode,
    ).toBe(404)
  })
})

describe('documents', () => {
  it('uploads a PDF and gives it back as a download, byte for byte, never inline', async () => {
    await sw.get(`/children/${childId}/documents`)
    const response = await sw.postMultipart(
      `/children/${childId}/documents`,
      { title: 'EHC plan 2026 ✓' },
      {
        field: 'file',
        filename: 'ehc plan: final?.pdf',
        contentType: 'application/pdf',
        content: PDF,
      },
    )
    expect(response.statusCode).toBe(303)
    const page = await sw.get(`/children/${childId}/documents`)
    expect(page.body).toContain('EHC plan 2026 ✓')
    const href = /href="(\/children\/[^"]+\/documents\/[0-9a-f-]{36})"/.exec(page.body)?.[1]
    expect(href).toBeDefined()
    const download = await sw.get(href!)
    expect(download.statusCode).toBe(200)
    expect(download.headers['content-type']).toBe('application/pdf')
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="ehc plan final.pdf"/,
    )
    expect(download.headers['x-content-type-options']).toBe('nosniff')
    expect(download.rawPayload.equals(PDF)).toBe(true)
  })

  it('checks the type from the content, not the name', async () => {
    await sw.get(`/children/${childId}/documents`)
    const html = Buffer.from('<html><script>alert(1)</script></html>')
    const response = await sw.postMultipart(
      `/children/${childId}/documents`,
      { title: 'Looks like a PDF' },
      { field: 'file', filename: 'report.pdf', contentType: 'application/pdf', content: html },
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain(
      'The selected file must be a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG',
    )
    expect(response.body).toContain('value="Looks like a PDF"')

    const png = await sw.postMultipart(
      `/children/${childId}/documents`,
      { title: 'A picture' },
      {
        field: 'file',
        filename: 'named-wrongly.pdf',
        contentType: 'application/pdf',
        content: PNG,
      },
    )
    expect(png.statusCode).toBe(303)
    const stored = await t.database.db
      .selectFrom('child_document')
      .select(['filename', 'content_type'])
      .where('title', '=', 'A picture')
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ filename: 'named-wrongly.png', content_type: 'image/png' })
  })

  it('refuses a file over 10 MB and asks for a title and a file', async () => {
    await sw.get(`/children/${childId}/documents`)
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)])
    const response = await sw.postMultipart(
      `/children/${childId}/documents`,
      { title: 'Too big' },
      { field: 'file', filename: 'big.pdf', contentType: 'application/pdf', content: big },
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('The selected file must be smaller than 10 MB')
    const empty = await sw.postMultipart(`/children/${childId}/documents`, { title: '' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('<a href="#title">Enter a title for the document</a>')
    expect(empty.body).toContain('<a href="#file">Select a file</a>')
  })

  it("does not serve one child's document under another child's address", async () => {
    const doc = await t.database.db
      .selectFrom('child_document')
      .select('id')
      .executeTakeFirstOrThrow()
    const other = await t.database.db
      .selectFrom('child_access')
      .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
      .select('child_access.child_id')
      .where('app_user.email', '=', 'social.worker@example.org')
      .where('child_access.child_id', '!=', childId)
      .executeTakeFirstOrThrow()
    const response = await sw.get(`/children/${other.child_id}/documents/${doc.id}`)
    expect(response.statusCode).toBe(404)
  })
})

describe('file names', () => {
  it('keeps a safe, exact name for the download', () => {
    expect(safeFilename('ehc plan "final".pdf', 'pdf')).toBe('ehc plan final.pdf')
    expect(safeFilename('../../etc/passwd', 'pdf')).toBe('.. .. etc passwd.pdf')
    expect(safeFilename('', 'png')).toBe('document.png')
    expect(attachmentDisposition('Cynllun Gŵyl.pdf')).toBe(
      `attachment; filename="Cynllun G_yl.pdf"; filename*=UTF-8''Cynllun%20G%C5%B5yl.pdf`,
    )
  })
})
