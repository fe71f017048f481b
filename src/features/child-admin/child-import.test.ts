import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { CHILD_CSV_COLUMNS } from '../../domain/child-import.ts'

let t: TestContext
let admin: TestAgent
let hfd: string

const HEADER = CHILD_CSV_COLUMNS.join(',')
const row = (cells: Partial<Record<(typeof CHILD_CSV_COLUMNS)[number], string>>) =>
  CHILD_CSV_COLUMNS.map((c) => cells[c] ?? '').join(',')

const good = (n: number, extra: Partial<Record<(typeof CHILD_CSV_COLUMNS)[number], string>> = {}) =>
  row({
    first_name: `Child ${n}`,
    last_name: 'Ní Bhriain',
    date_of_birth: '2014-02-28',
    gender: 'female',
    case_reference: `IMP-${n}`,
    entered_care_on: '01/03/2020',
    emergency_placement: 'no',
    school_urn: '990001',
    ...extra,
  })

const upload = (agent: TestAgent, content: string | Buffer, filename = 'children.csv') =>
  agent.postMultipart(
    '/children/import',
    { authority: hfd },
    {
      field: 'file',
      filename,
      contentType: 'text/csv',
      content: Buffer.isBuffer(content) ? content : Buffer.from(content),
    },
  )

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

const countImported = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('child')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('case_reference', 'like', 'IMP-%')
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('importing children from a CSV file', () => {
  it('offers the page and a template with the header row', async () => {
    const page = await admin.get('/children/import')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Import children from a CSV file')
    const template = await admin.get('/children/import/template.csv')
    expect(template.statusCode).toBe(200)
    expect(template.headers['content-type']).toContain('text/csv')
    expect(template.headers['content-disposition']).toContain('attachment')
    expect(template.body).toBe(`${HEADER}\r\n`)
  })

  it('asks for a file', async () => {
    await admin.get('/children/import')
    const response = await admin.postMultipart('/children/import', { authority: hfd })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Select a CSV file')
  })

  it('saves nothing when any row is bad, and reports every bad row with its line, column and why', async () => {
    await admin.get('/children/import')
    const file = [
      HEADER,
      good(1),
      good(2, { date_of_birth: '31/02/2014' }),
      good(3, { date_of_birth: '2015-02-29' }),
      good(4, { entered_care_on: '2014-02-27' }),
      good(5, { case_reference: 'IMP-1' }),
      good(6, { school_urn: '990006' }),
      good(7, { case_reference: 'HFD-10000' }),
      '',
    ].join('\r\n')
    const response = await upload(admin, file)
    expect(response.statusCode).toBe(400)
    const body = response.body
    expect(body).toContain('Nothing was imported')
    expect(body).toContain('6 of 7 rows have problems. No children were added.')
    for (const text of [
      'Date of birth must be a real date',
      'Date entered care must be on or after the date of birth',
      'Case reference IMP-1 is also on line 2',
      'No open school of Harrowfield County Council has URN 990006',
      'Case reference HFD-10000 is already used by another child',
    ])
      expect(body).toContain(text)
    expect(body).toMatch(
      /<td class="govuk-table__cell">3<\/td>\s*<td class="govuk-table__cell">date_of_birth<\/td>/,
    )
    expect(await countImported()).toBe(0)
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['outcome', 'details'])
      .where('action', '=', 'children.import')
      .execute()
    expect(audit).toEqual([{ outcome: 'failure', details: { rows: 7, problems: 6 } }])
  })

  it('imports every row of a good file, with a BOM, quoted commas and emoji kept exactly', async () => {
    await admin.get('/children/import')
    const file = `\uFEFF${HEADER}\r\n${good(1, { first_name: '"Siân, 😀"', last_name: "O'Connell-Ŵyn" })}\r\n${good(2)}\r\n${good(3, { school_urn: '' })}\r\n${good(4, { first_name: 'NULL', last_name: '"Back\\slash ""q"" {a,b}"' })}\r\n`
    const response = await upload(admin, file)
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/children')
    const list = await admin.get('/children')
    expect(list.body).toContain('4 children added to Harrowfield County Council')
    expect(await countImported()).toBe(4)
    // Text that means something in an array literal or SQL arrives as typed.
    expect(
      await t.database.db
        .selectFrom('child')
        .select(['first_name', 'last_name'])
        .where('case_reference', '=', 'IMP-4')
        .executeTakeFirstOrThrow(),
    ).toEqual({ first_name: 'NULL', last_name: 'Back\\slash "q" {a,b}' })
    const summary = await t.database.db
      .selectFrom('audit_event')
      .select(['details', 'authority_id'])
      .where('action', '=', 'children.import')
      .where('outcome', '=', 'success')
      .executeTakeFirstOrThrow()
    expect(summary).toEqual({ details: { count: 4, circumstances: 0 }, authority_id: hfd })
    const db = t.database.db
    const first = await db
      .selectFrom('child')
      .selectAll()
      .where('case_reference', '=', 'IMP-1')
      .executeTakeFirstOrThrow()
    expect(first).toMatchObject({
      first_name: 'Siân, 😀',
      last_name: "O'Connell-Ŵyn",
      entered_care_on: '2020-03-01',
    })
    const history = await db
      .selectFrom('child_school')
      .select('child_id')
      .where('child_id', '=', first.id)
      .execute()
    expect(history).toHaveLength(1)
    const events = await db
      .selectFrom('child_event')
      .select('kind')
      .where('child_id', '=', first.id)
      .execute()
    expect(events).toEqual([{ kind: 'created' }])
    const audit = await db
      .selectFrom('audit_event')
      .select('action')
      .where('child_id', '=', first.id)
      .execute()
    expect(audit).toEqual([{ action: 'child.create' }])
    const third = await db
      .selectFrom('child')
      .select('id')
      .where('case_reference', '=', 'IMP-3')
      .executeTakeFirstOrThrow()
    expect(
      await db.selectFrom('child_school').select('id').where('child_id', '=', third.id).execute(),
    ).toEqual([])
  })

  it('refuses the same file again: its case references are now taken', async () => {
    await admin.get('/children/import')
    const response = await upload(admin, `${HEADER}\n${good(1)}\n`)
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Case reference IMP-1 is already used by another child')
  })

  it('refuses a file that is not UTF-8', async () => {
    await admin.get('/children/import')
    const response = await upload(
      admin,
      Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xe9, 0x0a])]),
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('CSV UTF-8')
  })

  it('answers 404 for another authority', async () => {
    const eastmere = new TestAgent(t.app)
    await eastmere.signIn('eastmere.admin@example.org', DEMO_PASSWORD)
    await eastmere.get('/children/import')
    const response = await upload(eastmere, `${HEADER}\n${good(50)}\n`)
    expect(response.statusCode).toBe(404)
  })
})

describe('a UPN identifies one pupil, across authorities', () => {
  /** A child of the other authority (Eastmere), whose name must never appear. */
  const eastmereChild = () =>
    t.database.db
      .selectFrom('child as c')
      .innerJoin('authority as a', 'a.id', 'c.authority_id')
      .select(['c.upn', 'c.first_name', 'c.last_name', 'c.case_reference'])
      .where('a.code', '=', 'EMR')
      .where('c.upn', 'is not', null)
      .executeTakeFirstOrThrow()

  it("refuses a row with another authority's child's UPN, giving its line and reason and no name", async () => {
    const other = await eastmereChild()
    const typed = other.upn!.toLowerCase().replace(/(.{4})/, '$1 ')
    await admin.get('/children/import')
    const before = await countImported()
    const response = await upload(admin, [HEADER, good(501), good(502, { upn: typed })].join('\n'))
    expect(response.statusCode).toBe(400)
    expect(response.body).toMatch(
      new RegExp(
        `<td[^>]*>3</td>\\s*<td[^>]*>upn</td>\\s*<td[^>]*>UPN ${other.upn} is already used by another child</td>`,
      ),
    )
    expect(response.body).not.toContain(other.last_name)
    expect(response.body).not.toContain(other.case_reference)
    expect(await countImported()).toBe(before)
  })

  it('offers the schools template too, made by the same writer', async () => {
    const template = await admin.get('/schools/import/template.csv')
    expect(template.statusCode).toBe(200)
    expect(template.headers['content-type']).toContain('text/csv')
    expect(template.headers['content-disposition']).toContain('filename="schools-template.csv"')
    expect(template.body).toBe('name,urn,dfe_number,type,phase,open\r\n')
  })
})

describe('education circumstances in the file (issue 17)', () => {
  // The clock is 23 November 2026: 90 days ahead is 21 February 2027.
  const circumstancesOf = (reference: string) =>
    t.database.db
      .selectFrom('child_education_circumstance as e')
      .innerJoin('child as c', 'c.id', 'e.child_id')
      .select(['e.kind', 'e.starts_on', 'e.ends_on', 'e.provider', 'e.hours_per_week', 'e.reason'])
      .where('c.case_reference', '=', reference)
      .orderBy('e.kind')
      .execute()

  it('saves nothing when one is past its edge, naming its line, column and reason', async () => {
    await admin.get('/children/import')
    const file = [
      HEADER,
      good(101, {
        alternative_provision_provider: 'Hillside',
        alternative_provision_from: '2027-02-21',
      }),
      good(102, {
        alternative_provision_provider: 'Hillside',
        alternative_provision_from: '2027-02-22',
      }),
      good(103, {
        part_time_hours: '32.5',
        part_time_reason: 'Medical',
        part_time_from: '2026-11-01',
      }),
      good(104, { neet_from: '2026-11-01' }),
    ].join('\r\n')
    const response = await upload(admin, file)
    expect(response.statusCode).toBe(400)
    expect(response.body).toMatch(
      /<td class="govuk-table__cell">3<\/td>\s*<td class="govuk-table__cell">alternative_provision_from<\/td>\s*<td class="govuk-table__cell">The first day must be within 90 days from today<\/td>/,
    )
    expect(response.body).toMatch(
      /<td class="govuk-table__cell">4<\/td>\s*<td class="govuk-table__cell">part_time_hours<\/td>\s*<td class="govuk-table__cell">The hours a week must be fewer than a full-time week of 32.5 hours<\/td>/,
    )
    // Born 28 February 2014: 12, not in year 12.
    expect(response.body).toMatch(
      /<td class="govuk-table__cell">5<\/td>\s*<td class="govuk-table__cell">neet_from<\/td>\s*<td class="govuk-table__cell">NEET is for young people in year 12 or later/,
    )
    expect(response.body).toContain('3 of 4 rows have problems. No children were added.')
    expect(await circumstancesOf('IMP-101')).toEqual([])
  })

  it('saves each period with its child, an event on the record and an audit event', async () => {
    await admin.get('/children/import')
    const file = [
      HEADER,
      good(111, {
        alternative_provision_provider: 'Hillside Learning Centre',
        alternative_provision_from: '2027-02-21',
        part_time_hours: '32.4',
        part_time_reason: 'Phased return after illness',
        part_time_from: '01/11/2026',
        part_time_to: '2026-12-18',
      }),
      good(112, { date_of_birth: '2010-08-31', neet_from: '2026-11-23' }),
      good(113),
    ].join('\r\n')
    const response = await upload(admin, file)
    expect(response.statusCode).toBe(303)
    expect(await circumstancesOf('IMP-111')).toEqual([
      {
        kind: 'alternative_provision',
        starts_on: '2027-02-21',
        ends_on: null,
        provider: 'Hillside Learning Centre',
        hours_per_week: null,
        reason: null,
      },
      {
        kind: 'part_time',
        starts_on: '2026-11-01',
        ends_on: '2026-12-18',
        provider: null,
        hours_per_week: '32.4',
        reason: 'Phased return after illness',
      },
    ])
    expect(await circumstancesOf('IMP-112')).toMatchObject([
      { kind: 'neet', starts_on: '2026-11-23', ends_on: null },
    ])
    expect(await circumstancesOf('IMP-113')).toEqual([])
    const db = t.database.db
    const child = await db
      .selectFrom('child')
      .select('id')
      .where('case_reference', '=', 'IMP-111')
      .executeTakeFirstOrThrow()
    const events = await db
      .selectFrom('child_event')
      .select(['kind', 'summary'])
      .where('child_id', '=', child.id)
      .where('kind', 'like', 'circumstance_%')
      .orderBy('kind')
      .execute()
    expect(events).toEqual([
      {
        kind: 'circumstance_alternative_provision',
        summary: 'Alternative provision at Hillside Learning Centre from 21 February 2027',
      },
      {
        kind: 'circumstance_part_time',
        summary:
          'Part-time timetable of 32.4 hours a week from 1 November 2026 to 18 December 2026',
      },
    ])
    const audits = await db
      .selectFrom('audit_event')
      .select(['child_id', 'acting_role', 'authority_id'])
      .where('action', '=', 'child.circumstances.add')
      .where('child_id', '=', child.id)
      .execute()
    expect(audits).toHaveLength(2)
    expect(audits[0]).toMatchObject({ acting_role: 'vs_admin', authority_id: hfd })
    const imports = await db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'children.import')
      .where('outcome', '=', 'success')
      .execute()
    expect(imports.map((i) => i.details)).toContainEqual({ count: 3, circumstances: 3 })
    // The record's tab shows them.
    const tab = await admin.get(`/children/${child.id}/provision-and-timetable`)
    expect(tab.statusCode).toBe(200)
    expect(tab.body).toContain('Hillside Learning Centre')
  })
})
