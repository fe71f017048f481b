import { unzipSync, strFromU8 } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { paths } from '../../paths.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeChild, makePep, makeUser } from '../../testing/factories.ts'
import { hashPassword } from '../../shared/passwords.ts'
import { setSetting } from '../../shared/settings.ts'
import { HOUSEKEEPING_JOBS } from '../../jobs/queue.ts'
import { reviewRetention } from './retention.service.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { queueWebhookEvent } from '../../shared/webhooks.ts'
import { rowsLeftAbout } from './retention.repository.ts'
import { foreignKeys, SUBJECT_TABLES, tablesLinkedToAChild } from './subject-access.repository.ts'

/*
 * The data subject's rights (issue 22, ADR 13): a Virtual School administrator downloads a
 * subject access export of one child of their authority (everything held, as JSON, CSV, the
 * documents and the PEPs' PDFs, with an index; audited), and erases records past their
 * authority's retention period, proposed by one administrator and confirmed by another.
 */

let t: TestContext
let hfd: string
let charlie: { id: string; caseReference: string }
const NOTE = 'SARNOTE asked about the school trip'
const DOCUMENT = Buffer.from('%PDF-1.4\nSAR document\n%%EOF\n')
const agents = new Map<string, TestAgent>()
const PASSWORD = 'data-rights-2026'

async function agent(email: string, password = DEMO_PASSWORD) {
  if (!agents.has(email)) {
    const a = new TestAgent(t.app)
    t.clock.advance(1_000)
    await a.signIn(email, password)
    agents.set(email, a)
  }
  return agents.get(email)!
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  hfd = (
    await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
  ).id
  const row = await db
    .selectFrom('child')
    .select(['id', 'case_reference'])
    .where('first_name', '=', 'Charlie')
    .where('last_name', '=', 'Young')
    .executeTakeFirstOrThrow()
  charlie = { id: row.id, caseReference: row.case_reference }
  const admin = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', 'vs.admin@example.org')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('child_note')
    .values({
      child_id: charlie.id,
      kind: 'case_note',
      body: NOTE,
      author_id: admin.id,
      created_at: t.clock.now(),
    })
    .execute()
  await db
    .insertInto('child_document')
    .values({
      child_id: charlie.id,
      title: 'Support plan',
      filename: 'plan.pdf',
      content_type: 'application/pdf',
      size_bytes: DOCUMENT.length,
      sha256: '0'.repeat(64),
      content: DOCUMENT,
      uploaded_by: admin.id,
      uploaded_at: t.clock.now(),
    })
    .execute()
}, 120_000)
afterAll(() => t.close())

const zipOf = (body: Buffer) => unzipSync(new Uint8Array(body))
const json = (files: Record<string, Uint8Array>, name: string) =>
  JSON.parse(strFromU8(files[name]!)) as Record<string, unknown>[]

describe('a subject access export', () => {
  it('gives an administrator everything held about the child, as JSON, CSV and files, with an index, and audits it', async () => {
    const admin = await agent('vs.admin@example.org')
    const page = await admin.get(paths.children.dataRights(charlie.id))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Download the subject access export (ZIP)')
    const response = await admin.get(paths.children.subjectAccessExport(charlie.id))
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/zip')
    expect(response.headers['cache-control']).toBe('no-store')
    expect(String(response.headers['content-disposition'])).toContain(
      'Subject access Charlie Young',
    )
    const files = zipOf(response.rawPayload)

    const index = JSON.parse(strFromU8(files['index.json']!)) as {
      child: { id: string }
      files: { file: string; records: number }[]
    }
    expect(index.child.id).toBe(charlie.id)
    // The index names every file in the ZIP but itself, and every file it names is there.
    const named = index.files.map((f) => f.file).sort()
    expect(named).toEqual(
      Object.keys(files)
        .filter((f) => !f.startsWith('index.'))
        .sort(),
    )
    expect(strFromU8(files['index.txt']!)).toContain('data/child_note.json (')

    expect(json(files, 'data/child.json')[0]!['case_reference']).toBe(charlie.caseReference)
    expect(json(files, 'data/child_note.json').map((n) => n['body'])).toContain(NOTE)
    expect(strFromU8(files['csv/child_note.csv']!)).toContain(NOTE)
    // Every answer with its history, and the young person's link on the access list.
    expect(json(files, 'data/pep_page_revision.json').length).toBeGreaterThan(0)
    expect(json(files, 'data/pep.json').length).toBeGreaterThan(0)
    expect(json(files, 'data/child_access.json').map((a) => a['capacity'])).toContain(
      'young_person',
    )
    // No file bytes inside JSON: they are files of their own.
    expect(json(files, 'data/child_document.json')[0]).not.toHaveProperty('content')
    const document = Object.keys(files).find((f) => f.startsWith('documents/'))!
    expect(document).toMatch(/plan\.pdf$/)
    expect(Buffer.from(files[document]!).equals(DOCUMENT)).toBe(true)
    // Each PEP as a PDF, whole.
    const pdfs = Object.keys(files).filter((f) => f.startsWith('peps/'))
    expect(pdfs.length).toBe(json(files, 'data/pep.json').length)
    for (const pdf of pdfs) expect(strFromU8(files[pdf]!.slice(0, 5))).toBe('%PDF-')
    // The audit trail's events about them, without staff's addresses; and who is who.
    const events = json(files, 'data/audit_event.json')
    expect(events.map((e) => e['action'])).toContain('data-rights.export')
    expect(events[0]).not.toHaveProperty('ip')
    expect(strFromU8(files['people.csv']!)).toContain('Alex Admin')

    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'acting_role'])
      .where('child_id', '=', charlie.id)
      .where('action', '=', 'data-rights.export')
      .execute()
    expect(audit).toEqual([{ action: 'data-rights.export', acting_role: 'vs_admin' }])
  })

  it('covers every table that names a child or a PEP, so a new one cannot be left out', async () => {
    const linked = await tablesLinkedToAChild(t.database.db)
    const covered = new Set(SUBJECT_TABLES.map((s) => s.table))
    expect(linked.filter((table) => table !== 'audit_event' && !covered.has(table))).toEqual([])
    // And every table that refers to one of them (or to the child) by a foreign key, however named.
    const about = new Set([...covered, 'child'])
    const referring = (await foreignKeys(t.database.db)).filter(
      (fk) => about.has(fk.to_table) && fk.from_table !== fk.to_table,
    )
    expect(referring.map((fk) => fk.from_table)).toContain('pep_carer_views_revision')
    expect(referring.filter((fk) => !about.has(fk.from_table))).toEqual([])
  })

  it('is 404 to an administrator of another authority, and to every other role', async () => {
    for (const email of [
      'eastmere.admin@example.org',
      'vs.head@example.org',
      'social.worker@example.org',
      'carer@example.org',
      'young.person@example.org',
      'auditor@example.org',
    ]) {
      const other = await agent(email)
      for (const url of [
        paths.children.dataRights(charlie.id),
        paths.children.subjectAccessExport(charlie.id),
      ]) {
        const response = await other.get(url)
        expect(response.statusCode, `${email} ${url}`).toBe(404)
        expect(response.body).not.toContain(charlie.caseReference)
      }
    }
    // Only the administrator's tab leads there.
    const record = await (await agent('vs.head@example.org')).get(paths.children.show(charlie.id))
    expect(record.body).not.toContain(paths.children.dataRights(charlie.id))
    const own = await (await agent('vs.admin@example.org')).get(paths.children.show(charlie.id))
    expect(own.body).toContain(paths.children.dataRights(charlie.id))
  })
})

describe('retention', () => {
  let paidRun: string
  let second: string
  let due: string
  let recent: string
  let inCare: string

  beforeAll(async () => {
    const db = t.database.db
    const passwordHash = await hashPassword(PASSWORD)
    // Said here rather than left to the demo: this administrator signs in with a password alone.
    await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
    second = (
      await makeUser(db, {
        role: 'vs_admin',
        authorityId: hfd,
        passwordHash,
        displayName: 'Sam Second',
      })
    ).email
    due = await makeChild(db, {
      authorityId: hfd,
      firstName: 'Dana',
      lastName: 'Longago',
      caseReference: 'RET-DUE-1',
      dateOfBirth: '1990-03-01',
      status: 'ceased',
    })
    // Left care long ago (the factory's day is 2026-10-01; this one left in 2008).
    await db.updateTable('child').set({ ceased_on: '2008-03-01' }).where('id', '=', due).execute()
    const duePep = await makePep(db, {
      childId: due,
      pages: { 'your-future': { 'yp-future': 'ERASEME vet' } },
    })
    const someone = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    // Pupil Premium Plus paid for the child in a run since paid; an email and a webhook about them.
    const request = await db
      .insertInto('funding_request')
      .values({
        authority_id: hfd,
        child_id: due,
        pep_id: duePep,
        target_id: '00000000-0000-4000-8000-0000000000e1',
        target_text: 'ERASEME target',
        amount_pence: 45_000,
        purpose: 'ERASEME tutoring',
        category: 'tuition',
        expected_impact: 'ERASEME reading age',
        requested_by: someone.id,
        requested_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const decision = await db
      .insertInto('funding_decision')
      .values({
        request_id: request.id,
        outcome: 'approved',
        amount_pence: 45_000,
        reason: 'ERASEME approved',
        financial_year: 2026,
        decided_on: '2026-11-01',
        is_current: true,
        decided_by: someone.id,
        decided_role: 'vs_head',
        decided_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const run = await db
      .insertInto('payment_run')
      .values({
        authority_id: hfd,
        period_from: '2026-11-01',
        period_to: '2026-11-30',
        created_by: someone.id,
        created_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    paidRun = run.id
    await db
      .insertInto('payment_line')
      .values([
        {
          run_id: run.id,
          authority_id: hfd,
          request_id: request.id,
          decision_id: decision.id,
          kind: 'payment',
          amount_pence: 45_000,
          created_by: someone.id,
          created_at: t.clock.now(),
        },
        {
          run_id: run.id,
          authority_id: hfd,
          request_id: request.id,
          kind: 'correction',
          amount_pence: -5_000,
          reason: 'ERASEME overpaid',
          created_by: someone.id,
          created_at: t.clock.now(),
        },
      ])
      .execute()
    await db
      .updateTable('payment_run')
      .set({ status: 'paid', paid_on: '2026-11-30', paid_reference: 'BACS-1' })
      .where('id', '=', run.id)
      .execute()
    await enqueueEmail(
      db,
      { to: 'social.worker@example.org', subject: 'A PEP needs you', text: 'ERASEME email' },
      t.clock.now(),
      { childId: due },
    )
    await enqueueEmail(
      db,
      { to: 'social.worker@example.org', subject: 'Another child', text: 'KEEPME email' },
      t.clock.now(),
      { childId: charlie.id },
    )
    const client = await db
      .insertInto('api_client')
      .values({
        authority_id: hfd,
        name: 'CMS',
        scopes: ['children:read'],
        secret_hash: 'ab'.repeat(32),
        secret_hint: 'abcd',
        created_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('api_webhook')
      .values({
        client_id: client.id,
        url: 'https://cms.example.org/hook',
        events: ['child.changed'],
        secret_sealed: 'sealed',
        created_at: t.clock.now(),
      })
      .execute()
    for (const childId of [due, charlie.id])
      await queueWebhookEvent(db, {
        authorityId: hfd,
        type: 'child.changed',
        childId,
        at: t.clock.now(),
      })
    await db
      .insertInto('child_note')
      .values({
        child_id: due,
        kind: 'case_note',
        body: 'ERASEME note',
        author_id: someone.id,
        created_at: t.clock.now(),
      })
      .execute()
    recent = await makeChild(db, {
      authorityId: hfd,
      caseReference: 'RET-RECENT',
      status: 'ceased',
    })
    inCare = await makeChild(db, {
      authorityId: hfd,
      caseReference: 'RET-IN-CARE',
      dateOfBirth: '1990-01-01',
    })
  })

  it('lets an administrator set how long records are kept, refusing what is not a period', async () => {
    const admin = await agent('vs.admin@example.org')
    const page = await admin.get(paths.retention.review())
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('No retention period is set: records are kept.')
    const bad = await admin.post(paths.retention.policy(), {
      authority: hfd,
      yearsAfterCare: 'ten',
      untilAge: '',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('There is a problem')
    expect(bad.body).toContain('Years after leaving care must be a whole number from 1 to 100')
    expect(bad.body).toContain('value="ten"')
    const none = await admin.post(paths.retention.policy(), {
      authority: hfd,
      yearsAfterCare: '',
      untilAge: '',
    })
    expect(none.body).toContain('Enter years after leaving care, an age, or both')
    const young = await admin.post(paths.retention.policy(), {
      authority: hfd,
      yearsAfterCare: '',
      untilAge: '12',
    })
    expect(young.body).toContain('The age must be a whole number from 18 to 120')
    const saved = await admin.post(paths.retention.policy(), {
      authority: hfd,
      yearsAfterCare: '10',
      untilAge: '25',
    })
    expect(saved.statusCode).toBe(303)
    const after = await admin.get(String(saved.headers.location))
    expect(after.body).toContain(
      'Records are kept 10 years after the child leaves care, or until the 25th birthday, whichever is later.',
    )
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'retention.policy.update')
      .execute()
    expect(audit.map((a) => a.details)).toContainEqual({ yearsAfterCare: 10, untilAge: 25 })
  })

  it('lists, each night, only the records past their date', async () => {
    const result = await reviewRetention({ db: t.database.db, now: t.clock.now() })
    expect(result.listed).toBeGreaterThanOrEqual(1)
    const listed = await t.database.db
      .selectFrom('retention_review')
      .select(['child_id', 'keep_until'])
      .execute()
    const ids = listed.map((r) => r.child_id)
    expect(ids).toContain(due)
    expect(ids).not.toContain(recent)
    expect(ids).not.toContain(inCare)
    expect(ids).not.toContain(charlie.id)
    // 10 years after leaving care (2018-03-01) or the 25th birthday (2015-03-01): the later.
    expect(listed.find((r) => r.child_id === due)!.keep_until).toBe('2018-03-01')
    // Run again: nothing new.
    expect((await reviewRetention({ db: t.database.db, now: t.clock.now() })).listed).toBe(0)
    expect(HOUSEKEEPING_JOBS.map((j) => j.name)).toContain('retention-review')
  })

  it('erases a record only when a second administrator confirms, keeping in the audit trail that it happened and nothing of what', async () => {
    const db = t.database.db
    const first = await agent('vs.admin@example.org')
    const page = await first.get(paths.retention.review())
    expect(page.body).toContain('Dana Longago')
    expect(page.body).toContain('1 March 2018')

    // Another authority's administrator, or another role, cannot touch it.
    const eastmere = await agent('eastmere.admin@example.org')
    await eastmere.get(paths.retention.review())
    expect((await eastmere.post(paths.retention.propose(due), {})).statusCode).toBe(404)
    const head = await agent('vs.head@example.org')
    expect((await head.get(paths.retention.review())).statusCode).toBe(403)
    expect((await head.post(paths.retention.propose(due), {})).statusCode).toBe(403)

    // Confirming before anyone proposes is refused.
    const secondAgent = await agent(second, PASSWORD)
    await secondAgent.get(paths.retention.review())
    const early = await secondAgent.post(paths.retention.confirm(due), { authority: hfd })
    expect(early.statusCode).toBe(409)
    expect(early.body).toContain('Nobody has proposed erasing this record yet.')

    // An answer's history stays append-only until a proposal to erase the child stands.
    const pepOfDue = await db
      .selectFrom('pep')
      .select('id')
      .where('child_id', '=', due)
      .executeTakeFirstOrThrow()
    await expect(
      db.deleteFrom('pep_page_revision').where('pep_id', '=', pepOfDue.id).execute(),
    ).rejects.toThrow(/append-only/)

    await first.get(paths.retention.review())
    expect((await first.post(paths.retention.propose(due), { authority: hfd })).statusCode).toBe(
      303,
    )
    // Even then, never changed.
    await expect(
      db
        .updateTable('pep_page_revision')
        .set({ version: 9 })
        .where('pep_id', '=', pepOfDue.id)
        .execute(),
    ).rejects.toThrow(/append-only/)
    const own = await first.post(paths.retention.confirm(due), { authority: hfd })
    expect(own.statusCode).toBe(409)
    expect(own.body).toContain(
      'You proposed erasing this record: another administrator must confirm it.',
    )
    expect(await rowsLeftAbout(db, due)).toBeGreaterThan(1)
    const viewed = await first.get(paths.children.show(due))
    expect(viewed.statusCode).toBe(200)

    await secondAgent.get(paths.retention.review())
    const confirmed = await secondAgent.post(paths.retention.confirm(due), { authority: hfd })
    expect(confirmed.statusCode).toBe(303)
    expect(await rowsLeftAbout(db, due)).toBe(0)
    expect((await first.get(paths.children.show(due))).statusCode).toBe(404)

    // The audit trail: earlier events about the child stay (ids, no words), and the erasure is
    // recorded with who proposed and confirmed, and how many rows, never the child's words.
    const events = await db
      .selectFrom('audit_event')
      .select(['action', 'user_id', 'details'])
      .where('child_id', '=', due)
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'child.view',
        'retention.erasure.propose',
        'retention.erasure.confirm',
      ]),
    )
    const erasure = events.find((e) => e.action === 'retention.erasure.confirm')!
    const text = JSON.stringify(events)
    for (const word of ['Dana', 'Longago', 'RET-DUE-1', 'ERASEME']) expect(text).not.toContain(word)
    expect((erasure.details as { rows: Record<string, number> }).rows['pep']).toBe(1)
    expect(
      (
        await db
          .selectFrom('retention_review')
          .select('child_id')
          .where('child_id', '=', due)
          .execute()
      ).length,
    ).toBe(0)
    // The other children are untouched.
    for (const id of [recent, inCare, charlie.id])
      expect(await rowsLeftAbout(db, id)).toBeGreaterThan(0)

    // The money paid stays, without the child: the paid run's lines and total are as they were.
    const lines = await db
      .selectFrom('payment_line')
      .select(['kind', 'amount_pence', 'request_id', 'decision_id', 'reason', 'erased_at'])
      .where('run_id', '=', paidRun)
      .orderBy('amount_pence')
      .execute()
    expect(lines).toEqual([
      {
        kind: 'correction',
        amount_pence: -5_000,
        request_id: null,
        decision_id: null,
        reason: 'Erased',
        erased_at: expect.any(Date),
      },
      {
        kind: 'payment',
        amount_pence: 45_000,
        request_id: null,
        decision_id: null,
        reason: null,
        erased_at: expect.any(Date),
      },
    ])
    expect(
      (erasure.details as { rows: Record<string, number> }).rows['payment_line (kept, unlinked)'],
    ).toBe(2)
    // And a paid line is still never changed otherwise.
    await expect(
      db
        .updateTable('payment_line')
        .set({ amount_pence: 1 })
        .where('run_id', '=', paidRun)
        .execute(),
    ).rejects.toThrow(/never changed/)
    await expect(
      db.deleteFrom('payment_line').where('run_id', '=', paidRun).execute(),
    ).rejects.toThrow(/never changed/)
    // Emails and webhook events about the child are gone; the other child's stay.
    const emails = await db.selectFrom('outbox_email').select('text_body').execute()
    expect(JSON.stringify(emails)).not.toContain('ERASEME')
    expect(JSON.stringify(emails)).toContain('KEEPME')
    const hooks = await db.selectFrom('api_webhook_delivery').select('payload').execute()
    expect(JSON.stringify(hooks)).not.toContain(due)
    expect(JSON.stringify(hooks)).toContain(charlie.id)
  })
})
