import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { withCheckLetter } from '../../domain/upn.ts'
import { giveRole } from '../../testing/factories.ts'

let t: TestContext
let admin: TestAgent
let hfd: string
let emr: string
let oakbridge: string
let socialWorker: string

const date = (prefix: string, d: string, m: string, y: string) => ({
  [`${prefix}-day`]: d,
  [`${prefix}-month`]: m,
  [`${prefix}-year`]: y,
})

const validChild = (overrides: Record<string, string> = {}) => ({
  firstName: 'Siân',
  lastName: "O'Brien-Ŵyn 😀",
  preferredName: 'Síofra',
  ...date('dateOfBirth', '29', '2', '2016'),
  gender: 'female',
  upn: withCheckLetter('123456789012'),
  uln: '',
  caseReference: 'HF-NEW-1',
  ...date('enteredCareOn', '1', '3', '2020'),
  emergencyPlacement: 'no',
  legalStatus: 'Full care order (C2)',
  placement: 'Foster care with the Ó Briain family',
  school: oakbridge,
  senStatus: 'sen_support',
  yearGroupOverride: '',
  recordOwner: socialWorker,
  ...overrides,
})

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
  emr = (
    await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'EMR')
      .executeTakeFirstOrThrow()
  ).id
  oakbridge = (
    await db.selectFrom('school').select('id').where('urn', '=', '990001').executeTakeFirstOrThrow()
  ).id
  socialWorker = (
    await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
  ).id
  admin = new TestAgent(t.app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

async function childByCaseReference(reference: string) {
  return t.database.db
    .selectFrom('child')
    .selectAll()
    .where('case_reference', '=', reference)
    .executeTakeFirst()
}

describe('adding a child', () => {
  it('shows the form with the authority’s open schools and social workers', async () => {
    const page = await admin.get('/children/new')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Add a child')
    expect(page.body).toContain('Oakbridge Primary School (URN 990001)')
    expect(page.body).not.toContain('Fenside Primary School')
    expect(page.body).toContain('Jordan Social')
  })

  it('names each field in its error and keeps everything typed', async () => {
    await admin.get('/children/new')
    const response = await admin.post('/children/new', {
      ...validChild({
        firstName: '',
        upn: 'A12345',
        uln: '12345',
        ...date('dateOfBirth', '31', '2', '2016'),
        ...date('enteredCareOn', '1', '1', '2028'),
        caseReference: 'HF-KEEP',
      }),
      authority: hfd,
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Error: Add a child')
    expect(response.body).toContain('Enter the child&#39;s first name')
    expect(response.body).toContain('Date of birth must be a real date')
    expect(response.body).toContain('UPN must be 13 characters')
    expect(response.body).toContain('ULN must be 10 digits')
    expect(response.body).toContain(
      'Date entered care must be no more than 90 days from today (a planned entry into care)',
    )
    expect(response.body).toContain('href="#dateOfBirth-day"')
    expect(response.body).toContain('value="HF-KEEP"')
    expect(response.body).toContain('value="31"')
    expect(response.body).toContain('O&#39;Brien-Ŵyn 😀')
    expect(await childByCaseReference('HF-KEEP')).toBeUndefined()
  })

  it('records a planned entry into care ahead of the day, its initial PEP clock starting then', async () => {
    await admin.get('/children/new')
    const response = await admin.post('/children/new', {
      ...validChild({
        caseReference: 'HF-PLANNED',
        upn: withCheckLetter('123456789099'),
        ...date('enteredCareOn', '4', '1', '2027'),
      }),
      authority: hfd,
    })
    expect(response.statusCode).toBe(303)
    const child = (await childByCaseReference('HF-PLANNED'))!
    expect(child.entered_care_on).toBe('2027-01-04')
    const record = await admin.get(`/children/${child.id}`)
    expect(record.body).toContain('Planned: enters care 4 January 2027')
    // 10 and 20 working days from 4 January 2027, neither late today (23 November 2026).
    expect(record.body).toContain('Initiate by 18 January 2027')
    expect(record.body).toContain('Meeting held by 1 February 2027')
    expect(record.body).not.toMatch(/govuk-tag--red">\s*Late/)
  })

  it('refuses a UPN with the wrong check letter and a date entered care before birth', async () => {
    await admin.get('/children/new')
    const response = await admin.post('/children/new', {
      ...validChild({ upn: 'B123456789012', ...date('enteredCareOn', '28', '2', '2016') }),
      authority: hfd,
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('UPN is not valid: check the first letter and every digit')
    expect(response.body).toContain('Date entered care must be on or after the date of birth')
  })

  it('saves the child exactly as typed, with a school history row, a created event and an audit event', async () => {
    await admin.get('/children/new')
    const response = await admin.post('/children/new', { ...validChild(), authority: hfd })
    expect(response.statusCode).toBe(303)
    const child = (await childByCaseReference('HF-NEW-1'))!
    expect(response.headers.location).toBe(`/children/${child.id}`)
    expect(child).toMatchObject({
      authority_id: hfd,
      first_name: 'Siân',
      last_name: "O'Brien-Ŵyn 😀",
      preferred_name: 'Síofra',
      date_of_birth: '2016-02-29',
      entered_care_on: '2020-03-01',
      school_id: oakbridge,
      sen_status: 'sen_support',
      record_owner_id: socialWorker,
      placement: 'Foster care with the Ó Briain family',
      version: 1,
    })
    const db = t.database.db
    const history = await db
      .selectFrom('child_school')
      .selectAll()
      .where('child_id', '=', child.id)
      .execute()
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({
      school_id: oakbridge,
      started_on: '2026-11-23',
      ended_on: null,
    })
    const events = await db
      .selectFrom('child_event')
      .selectAll()
      .where('child_id', '=', child.id)
      .execute()
    expect(events.map((e) => e.kind)).toEqual(['created'])
    const audit = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('child_id', '=', child.id)
      .where('action', '=', 'child.create')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      authority_id: hfd,
      acting_role: 'vs_admin',
      outcome: 'success',
    })
    const access = await db
      .selectFrom('child_access')
      .select('user_id')
      .where('child_id', '=', child.id)
      .execute()
    expect(access.map((a) => a.user_id)).toContain(socialWorker)
    const page = await admin.get(`/children/${child.id}`)
    expect(page.body).toContain('Siân')
    expect(page.body).toContain('O&#39;Brien-Ŵyn 😀')
    expect(page.body).toContain('Siân O&#39;Brien-Ŵyn 😀 added')
  })

  it('refuses a case reference another child of the authority has', async () => {
    await admin.get('/children/new')
    const response = await admin.post('/children/new', { ...validChild(), authority: hfd })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Case reference HF-NEW-1 is already used by another child')
  })

  it('answers 404 for another authority and 403 for roles that may not manage children', async () => {
    await admin.get('/children/new')
    const other = await admin.post('/children/new', {
      ...validChild({ caseReference: 'HF-OTHER' }),
      authority: emr,
    })
    expect(other.statusCode).toBe(404)
    expect((await admin.get(`/children/new?authority=${emr}`)).statusCode).toBe(404)
    const worker = new TestAgent(t.app)
    await worker.signIn('social.worker@example.org', DEMO_PASSWORD)
    expect((await worker.get('/children/new')).statusCode).toBe(403)
    expect((await worker.get('/children/import')).statusCode).toBe(403)
  })
})

describe('editing core data', () => {
  let childId: string

  beforeAll(async () => {
    childId = (await childByCaseReference('HF-NEW-1'))!.id
  })

  it('shows the stored values and saves a change, bumping the version and naming the changed fields', async () => {
    const form = await admin.get(`/children/${childId}/edit`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('value="Siân"')
    expect(form.body).toContain('name="version" value="1"')
    const response = await admin.post(`/children/${childId}/edit`, {
      ...validChild({ preferredName: 'Sioned ŷ', senStatus: 'ehc_plan' }),
      version: '1',
    })
    expect(response.statusCode).toBe(303)
    const child = (await childByCaseReference('HF-NEW-1'))!
    expect(child).toMatchObject({ preferred_name: 'Sioned ŷ', sen_status: 'ehc_plan', version: 2 })
    const event = await t.database.db
      .selectFrom('child_event')
      .selectAll()
      .where('child_id', '=', childId)
      .where('kind', '=', 'updated')
      .executeTakeFirstOrThrow()
    expect(event.details).toEqual({ fields: ['preferredName', 'senStatus'] })
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['details'])
      .where('child_id', '=', childId)
      .where('action', '=', 'child.update')
      .executeTakeFirstOrThrow()
    expect(audit.details).toEqual({ fields: ['preferredName', 'senStatus'] })
  })

  it('keeps the typed values on a validation error', async () => {
    await admin.get(`/children/${childId}/edit`)
    const response = await admin.post(`/children/${childId}/edit`, {
      ...validChild({ lastName: '', preferredName: 'Typed 🙂' }),
      version: '2',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Enter the child&#39;s last name')
    expect(response.body).toContain('value="Typed 🙂"')
  })

  it('shows both versions when someone else saved meanwhile, and saves neither silently', async () => {
    const other = new TestAgent(t.app)
    await other.signIn('vs.head@example.org', DEMO_PASSWORD)
    await admin.get(`/children/${childId}/edit`)
    await other.get(`/children/${childId}/edit`)
    const first = await other.post(`/children/${childId}/edit`, {
      ...validChild({ preferredName: 'Theirs', senStatus: 'ehc_plan' }),
      version: '2',
    })
    expect(first.statusCode).toBe(303)
    const second = await admin.post(`/children/${childId}/edit`, {
      ...validChild({ preferredName: 'Mine', senStatus: 'ehc_plan' }),
      version: '2',
    })
    expect(second.statusCode).toBe(409)
    expect(second.body).toContain('Someone else has changed this record')
    expect(second.body).toContain('Theirs')
    expect(second.body).toContain('Mine')
    expect((await childByCaseReference('HF-NEW-1'))!.preferred_name).toBe('Theirs')
    // Choosing "Save my version" posts the conflict page's own form: what was typed, their version.
    const hidden = Object.fromEntries(
      [...second.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
        .filter(([, name]) => name !== '_csrf')
        .map(([, name, value]) => [name!, value!.replace(/&#39;/g, "'")]),
    )
    expect(hidden).toMatchObject({ version: '3', preferredName: 'Mine', 'dateOfBirth-day': '29' })
    const mine = await admin.post(`/children/${childId}/edit`, hidden)
    expect(mine.statusCode).toBe(303)
    expect(await childByCaseReference('HF-NEW-1')).toMatchObject({
      preferred_name: 'Mine',
      version: 4,
    })
  })

  it('refuses to edit a child who has ceased to be in care', async () => {
    await t.database.db
      .updateTable('child')
      .set({ status: 'ceased', ceased_on: '2026-11-01', ceased_reason: 'Returned home' })
      .where('case_reference', '=', 'HF-NEW-1')
      .execute()
    const form = await admin.get(`/children/${childId}/edit`)
    expect(form.statusCode).toBe(409)
    expect(form.body).toContain('This record is read-only')
    const response = await admin.post(`/children/${childId}/edit`, {
      ...validChild({ preferredName: 'Late' }),
      version: '4',
    })
    expect(response.statusCode).toBe(409)
    expect((await childByCaseReference('HF-NEW-1'))!.preferred_name).toBe('Mine')
  })

  it("answers 404 to another authority's administrator", async () => {
    const eastmere = new TestAgent(t.app)
    await eastmere.signIn('eastmere.admin@example.org', DEMO_PASSWORD)
    expect((await eastmere.get(`/children/${childId}/edit`)).statusCode).toBe(404)
    const response = await eastmere.post(`/children/${childId}/edit`, {
      ...validChild(),
      version: '4',
    })
    expect(response.statusCode).toBe(404)
  })
})

describe('a Virtual School member of two authorities', () => {
  it('chooses the authority first, and gets that authority’s schools', async () => {
    const db = t.database.db
    const user = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'vs.consultant@example.org')
      .executeTakeFirstOrThrow()
    await giveRole(db, { userId: user.id, authorityId: emr, role: 'vs_consultant' })
    const both = new TestAgent(t.app)
    await both.signIn('vs.consultant@example.org', DEMO_PASSWORD)
    const chooser = await both.get('/children/new')
    expect(chooser.statusCode).toBe(200)
    expect(chooser.body).toContain('Which authority is this for?')
    expect(chooser.body).toContain(`/children/new?authority=${emr}`)
    expect(chooser.body).toContain(`/children/new?authority=${hfd}`)
    const form = await both.get(`/children/new?authority=${emr}`)
    expect(form.body).toContain('Eastmere Borough Council')
    expect(form.body).toContain('Fenside Primary School')
    expect(form.body).not.toContain('Oakbridge Primary School')
    const saved = await both.post('/children/new', {
      ...validChild({ caseReference: 'EMR-NEW-1', school: oakbridge, recordOwner: '' }),
      authority: emr,
    })
    expect(saved.statusCode).toBe(400)
    expect(saved.body).toContain('Select a school from the list')
  })
})

describe('a UPN identifies one pupil', () => {
  const eastmereChild = () =>
    t.database.db
      .selectFrom('child')
      .select(['upn', 'first_name', 'last_name'])
      .where('authority_id', '=', emr)
      .where('upn', 'is not', null)
      .executeTakeFirstOrThrow()

  it("refuses adding or editing a child with another authority's child's UPN, naming no one", async () => {
    const other = await eastmereChild()
    const typed = ` ${other.upn!.toLowerCase()} `
    await admin.get('/children/new')
    const added = await admin.post('/children/new', {
      ...validChild({ caseReference: 'HF-UPN-1', upn: typed }),
      authority: hfd,
    })
    expect(added.statusCode).toBe(400)
    expect(added.body).toContain(`UPN ${other.upn} is already used by another child`)
    expect(added.body).toContain('href="#upn"')
    expect(added.body).not.toContain(other.last_name)
    expect(await childByCaseReference('HF-UPN-1')).toBeUndefined()

    const mine = await t.database.db
      .selectFrom('child')
      .selectAll()
      .where('authority_id', '=', hfd)
      .where('status', '=', 'in_care')
      .where('case_reference', '!=', 'HF-NEW-1')
      .executeTakeFirstOrThrow()
    await admin.get(`/children/${mine.id}/edit`)
    const edited = await admin.post(`/children/${mine.id}/edit`, {
      ...validChild({ upn: typed, caseReference: mine.case_reference }),
      version: String(mine.version),
    })
    expect(edited.statusCode).toBe(400)
    expect(edited.body).toContain(`UPN ${other.upn} is already used by another child`)
    expect(edited.body).not.toContain(other.last_name)
    expect((await childByCaseReference(mine.case_reference))!.upn).toBe(mine.upn)
  })

  it('is kept by the database: one child per UPN, stored in capitals', async () => {
    const other = await eastmereChild()
    const insert = (upn: string) =>
      t.database.db
        .insertInto('child')
        .values({
          authority_id: hfd,
          first_name: 'Direct',
          last_name: 'Insert',
          date_of_birth: '2014-01-01',
          gender: 'female',
          case_reference: `HF-DIRECT-${upn}`,
          entered_care_on: '2020-01-01',
          upn,
        })
        .execute()
    await expect(insert(other.upn!)).rejects.toMatchObject({
      code: '23505',
      constraint: 'child_upn_key',
    })
    await expect(insert(withCheckLetter('555555555555').toLowerCase())).rejects.toMatchObject({
      code: '23514',
    })
  })
})
