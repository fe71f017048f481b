import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { keepMissingPdfs } from './pep-pdf.service.ts'

let t: TestContext
let made = 0
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const started = performance.now()
  made = await keepMissingPdfs(t.database.db, t.clock.now())
  console.log(`keepMissingPdfs: ${made} PDFs in ${(performance.now() - started).toFixed(0)} ms`)
}, 120_000)
afterAll(() => t.close())

describe('the demo’s signed-off PEPs', () => {
  it('each have the PDF sign-off keeps, made once', async () => {
    const db = t.database.db
    const signedOff = await db
      .selectFrom('pep')
      .leftJoin('pep_pdf', 'pep_pdf.pep_id', 'pep.id')
      .select(['pep.id', 'pep_pdf.sha256'])
      .where('pep.status', '=', 'signed_off')
      .execute()
    expect(signedOff.length).toBeGreaterThan(10)
    expect(made).toBe(signedOff.length)
    for (const pep of signedOff) expect(pep.sha256, pep.id).toMatch(/^[0-9a-f]{64}$/)
    expect(await keepMissingPdfs(db, t.clock.now())).toBe(0)
  })

  it('are downloaded from their contents page, signed off, never DRAFT', async () => {
    const db = t.database.db
    const pep = await db
      .selectFrom('pep')
      .innerJoin('child as c', 'c.id', 'pep.child_id')
      .innerJoin('child_access as ca', 'ca.child_id', 'c.id')
      .innerJoin('app_user as u', 'u.id', 'ca.user_id')
      .select(['pep.id', 'pep.child_id', 'c.first_name', 'c.last_name', 'c.case_reference'])
      .where('pep.status', '=', 'signed_off')
      .where('u.email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    const sw = new TestAgent(t.app)
    await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
    const base = `/children/${pep.child_id}/peps/${pep.id}`
    expect((await sw.get(base)).body).toContain('Download the signed-off PEP (PDF)')
    const pdf = await sw.get(`${base}/pep.pdf`)
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-disposition']).toContain(`PEP ${pep.case_reference} `)
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.rawPayload }).toString('utf8')
    expect(text).toContain(`${pep.first_name} ${pep.last_name}`)
    expect(text).toContain('Signed off')
    expect(text).not.toContain('DRAFT')
  })
})
