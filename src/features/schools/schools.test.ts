import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { makeSchool } from '../../testing/factories.ts'

let t: TestContext
let admin: TestAgent
let hfd: string

const school = (overrides: Record<string, string> = {}) => ({
  name: 'Ysgol Gymraeg Ŵy 😀',
  urn: '123456',
  dfeNumber: '999/2222',
  type: 'maintained',
  phase: 'primary',
  open: 'yes',
  ...overrides,
})

const idOf = async (urn: string) =>
  (
    await t.database.db
      .selectFrom('school')
      .select('id')
      .where('urn', '=', urn)
      .executeTakeFirstOrThrow()
  ).id

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  hfd = (
    await t.database.db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
  ).id
  admin = new TestAgent(t.app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

describe('the list of schools', () => {
  it('shows only the authority’s schools, with search and filters', async () => {
    const page = await admin.get('/schools')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Oakbridge Primary School')
    expect(page.body).not.toContain('Fenside Primary School')
    expect(page.body).toContain('href="/schools"')
    const byUrn = await admin.get('/schools?q=990002')
    expect(byUrn.body).toContain('Kingsmead Academy')
    expect(byUrn.body).not.toContain('Oakbridge Primary School')
    const byDfe = await admin.get('/schools?q=999%2F7001')
    expect(byDfe.body).toContain('Willowbank Special School')
    const byType = await admin.get('/schools?type=nursery&phase=nursery&status=open')
    expect(byType.body).toContain('Little Acorns Nursery')
    expect(byType.body).not.toContain('Kingsmead Academy')
    expect((await admin.get('/schools?status=closed')).body).toContain(
      'No schools match your search.',
    )
  })

  it('is only for Virtual School administrators', async () => {
    const head = new TestAgent(t.app)
    await head.signIn('vs.head@example.org', DEMO_PASSWORD)
    expect((await head.get('/schools')).statusCode).toBe(403)
  })
})

describe('adding and changing a school', () => {
  it('names each field in its error and keeps what was typed', async () => {
    await admin.get('/schools/new')
    const response = await admin.post('/schools/new', {
      ...school({ urn: '12345', dfeNumber: '9992222', type: '', phase: 'college' }),
      authority: hfd,
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('URN must be 6 digits, like 123456')
    expect(response.body).toContain('DfE establishment number must be like 123/4567')
    expect(response.body).toContain('Select the type of school')
    expect(response.body).toContain('Phase must be one of')
    expect(response.body).toContain('value="Ysgol Gymraeg Ŵy 😀"')
    expect(response.body).toContain('value="12345"')
  })

  it('refuses a URN another school has', async () => {
    await admin.get('/schools/new')
    const response = await admin.post('/schools/new', {
      ...school({ urn: '990006' }),
      authority: hfd,
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('URN 990006 is already used by another school')
  })

  it('adds a school exactly as typed, audited', async () => {
    await admin.get('/schools/new')
    const response = await admin.post('/schools/new', { ...school(), authority: hfd })
    expect(response.statusCode).toBe(303)
    const id = await idOf('123456')
    expect(response.headers.location).toBe(`/schools/${id}`)
    const page = await admin.get(`/schools/${id}`)
    expect(page.body).toContain('Ysgol Gymraeg Ŵy 😀')
    expect(page.body).toContain('999/2222')
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['details', 'authority_id'])
      .where('action', '=', 'school.add')
      .executeTakeFirstOrThrow()
    expect(audit).toEqual({ details: { schoolId: id }, authority_id: hfd })
  })

  it('changes a school, and refuses a stale form', async () => {
    const id = await idOf('123456')
    const form = await admin.get(`/schools/${id}/edit`)
    const version = /name="version" value="([^"]+)"/.exec(form.body)![1]!
    const saved = await admin.post(`/schools/${id}/edit`, {
      ...school({ phase: 'all-through' }),
      version,
    })
    expect(saved.statusCode).toBe(303)
    const stale = await admin.post(`/schools/${id}/edit`, {
      ...school({ phase: 'secondary' }),
      version,
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.body).toContain('Someone else changed this school')
    const row = await t.database.db
      .selectFrom('school')
      .select('phase')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.phase).toBe('all-through')
  })

  it("answers 404 for another authority's school", async () => {
    const fenside = await idOf('990006')
    expect((await admin.get(`/schools/${fenside}`)).statusCode).toBe(404)
    expect((await admin.get(`/schools/${fenside}/edit`)).statusCode).toBe(404)
    await admin.get('/schools')
    expect(
      (await admin.post(`/schools/${fenside}/edit`, { ...school({ urn: '990006' }), version: 'x' }))
        .statusCode,
    ).toBe(404)
    expect((await admin.post(`/schools/${fenside}/academy-conversion`, {})).statusCode).toBe(404)
    expect((await admin.get('/schools/not-a-uuid')).statusCode).toBe(404)
  })
})

describe('an academy conversion', () => {
  it('opens the academy, closes the old school and moves its children, keeping their history', async () => {
    const db = t.database.db
    const oak = await idOf('990001')
    const children = await db
      .selectFrom('child')
      .select(['id', 'version'])
      .where('school_id', '=', oak)
      .where('status', '=', 'in_care')
      .execute()
    expect(children.length).toBeGreaterThan(0)
    await admin.get(`/schools/${oak}/academy-conversion`)
    const bad = await admin.post(`/schools/${oak}/academy-conversion`, {
      name: 'Oakbridge Academy',
      urn: '990002',
      dfeNumber: '999/5001',
      'convertedOn-day': '31',
      'convertedOn-month': '2',
      'convertedOn-year': '2026',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('URN 990002 is already used by another school')
    expect(bad.body).toContain('The date of conversion must be a real date')
    const response = await admin.post(`/schools/${oak}/academy-conversion`, {
      name: 'Oakbridge Academy',
      urn: '990101',
      dfeNumber: '999/5001',
      'convertedOn-day': '1',
      'convertedOn-month': '11',
      'convertedOn-year': '2026',
    })
    expect(response.statusCode).toBe(303)
    const academy = await idOf('990101')
    expect(response.headers.location).toBe(`/schools/${academy}`)
    const old = await db
      .selectFrom('school')
      .selectAll()
      .where('id', '=', oak)
      .executeTakeFirstOrThrow()
    expect(old).toMatchObject({ open: false, closed_on: '2026-11-01' })
    const created = await db
      .selectFrom('school')
      .selectAll()
      .where('id', '=', academy)
      .executeTakeFirstOrThrow()
    expect(created).toMatchObject({
      predecessor_id: oak,
      type: 'academy',
      opened_on: '2026-11-01',
      open: true,
    })
    for (const child of children) {
      const row = await db
        .selectFrom('child')
        .select(['school_id', 'version'])
        .where('id', '=', child.id)
        .executeTakeFirstOrThrow()
      expect(row).toEqual({ school_id: academy, version: child.version + 1 })
      const history = await db
        .selectFrom('child_school')
        .select(['school_id', 'ended_on', 'reason', 'started_on'])
        .where('child_id', '=', child.id)
        .orderBy('started_on')
        .execute()
      expect(history.at(-2)).toMatchObject({ school_id: oak, ended_on: '2026-11-01' })
      expect(history.at(-1)).toEqual({
        school_id: academy,
        ended_on: null,
        reason: 'academy conversion',
        started_on: '2026-11-01',
      })
      const audit = await db
        .selectFrom('audit_event')
        .select('action')
        .where('child_id', '=', child.id)
        .where('action', '=', 'school.convert')
        .execute()
      expect(audit).toHaveLength(1)
    }
    const page = await admin.get(`/schools/${academy}`)
    expect(page.body).toContain(`${children.length} children moved to the academy`)
    expect(page.body).toContain('Replaced')
    expect(page.body).toContain('Oakbridge Primary School (URN 990001)')
    const oldPage = await admin.get(`/schools/${oak}`)
    expect(oldPage.body).toContain('Replaced by')
    expect(oldPage.body).toContain('Oakbridge Academy (URN 990101)')
    expect(oldPage.body).not.toContain('Record an academy conversion')
    // A second conversion of the closed school is refused.
    await admin.get(`/schools/${oak}/academy-conversion`)
    const again = await admin.post(`/schools/${oak}/academy-conversion`, {
      name: 'Again',
      urn: '990102',
      dfeNumber: '999/5002',
      'convertedOn-day': '2',
      'convertedOn-month': '11',
      'convertedOn-year': '2026',
    })
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('is already closed')
  })
})

describe('importing schools', () => {
  const upload = (content: string) =>
    admin.postMultipart(
      '/schools/import',
      { authority: hfd },
      {
        field: 'file',
        filename: 'schools.csv',
        contentType: 'text/csv',
        content: Buffer.from(content),
      },
    )

  it('saves nothing and lists every bad row when any row is bad', async () => {
    await admin.get('/schools/import')
    const response = await upload(
      [
        'name,urn,dfe_number,type,phase,open',
        'Good School,990201,999/3001,maintained,primary,yes',
        'Bad URN,99020,999/3002,maintained,primary,yes',
        'Same URN,990201,999/3003,academy,secondary,no',
        'Taken URN,990003,999/3004,special,all-through,yes',
        '"Ysgol, Bad Type",990204,999/3005,grammar,primary,maybe',
      ].join('\r\n'),
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('4 of 5 rows have problems. No schools were added.')
    expect(response.body).toContain('URN must be 6 digits')
    expect(response.body).toContain('URN 990201 is also on line 2')
    expect(response.body).toContain('URN 990003 is already used by another school')
    expect(response.body).toContain('Open must be yes or no')
    const none = await t.database.db
      .selectFrom('school')
      .select('id')
      .where('urn', '=', '990201')
      .execute()
    expect(none).toEqual([])
  })

  it('imports a good file', async () => {
    await admin.get('/schools/import')
    const response = await upload(
      '\uFEFFname,urn,dfe_number,type,phase,open\r\n"Ysgol Ŷ, Bro 😀",990301,999/3101,maintained,primary,yes\r\nFen PRU,990302,999/3102,alternative_provision,not applicable,no\r\n',
    )
    expect(response.statusCode).toBe(303)
    const rows = await t.database.db
      .selectFrom('school')
      .select(['name', 'open', 'authority_id'])
      .where('urn', 'in', ['990301', '990302'])
      .orderBy('urn')
      .execute()
    expect(rows).toEqual([
      { name: 'Ysgol Ŷ, Bro 😀', open: true, authority_id: hfd },
      { name: 'Fen PRU', open: false, authority_id: hfd },
    ])
    expect((await admin.get('/schools')).body).toContain('2 schools added')
  })
})

describe('paging the list', () => {
  it('shows 25 schools a page, keeping the filters in the page links', async () => {
    for (let i = 0; i < 30; i++)
      await makeSchool(t.database.db, {
        authorityId: hfd,
        name: `Paged School ${String(i).padStart(2, '0')}`,
        urn: String(980000 + i),
        dfeNumber: `999/${9000 + i}`,
        type: 'independent',
      })
    const first = await admin.get('/schools?type=independent')
    expect(first.body).toContain('Showing 1 to 25 of 30 schools.')
    expect(first.body).toContain('/schools?type=independent&amp;page=2')
    const second = await admin.get('/schools?type=independent&page=2')
    expect(second.body).toContain('Showing 26 to 30 of 30 schools.')
    expect(second.body).toContain('Paged School 29')
    expect(second.body).not.toContain('Paged School 00')
  })
})
