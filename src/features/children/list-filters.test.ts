import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { hashPassword } from '../../shared/passwords.ts'
import { setSetting } from '../../shared/settings.ts'
import { makeAuthority, makeChild, makeSchool, makeUser } from '../../testing/factories.ts'

/*
 * The children list's filters, sorting, paging and exports (issue 17), through HTTP, on one
 * authority made here (Ashby) beside another (Brook) whose child its Virtual School may not see.
 * The clock is 23 November 2026, so Year 7 is born 1 September 2014 to 31 August 2015.
 */

const PASSWORD = 'children-list-2026'
let t: TestContext
let agent: TestAgent
const ids: Record<string, string> = {}

async function person(role: 'vs_head' | 'social_worker', authorityId: string, name: string) {
  const made = await makeUser(t.database.db, {
    role,
    authorityId,
    displayName: name,
    passwordHash: await hashPassword(PASSWORD),
  })
  return made
}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
  const ashby = await makeAuthority(db, { name: 'Ashby' })
  const brook = await makeAuthority(db, { name: 'Brook' })
  const inArea = (await makeSchool(db, { authorityId: ashby.id, name: 'Ashby High' })).schoolId
  const outArea = (await makeSchool(db, { authorityId: brook.id, name: 'Brook Academy' })).schoolId
  ids.brookSchool = (
    await makeSchool(db, { authorityId: brook.id, name: 'Brook Primary' })
  ).schoolId
  const ada = await person('social_worker', ashby.id, 'Ada Worker')
  const zed = await person('social_worker', ashby.id, 'Zed Worker')
  const brookWorker = await person('social_worker', brook.id, 'Bram Worker')
  ids.ada = ada.id
  ids.brookWorker = brookWorker.id
  const head = await person('vs_head', ashby.id, 'Ashby Head')
  const child = async (
    firstName: string,
    more: Parameters<typeof makeChild>[1],
    set: { sen_status?: 'sen_support' | 'ehc_plan'; placement?: string } = {},
  ) => {
    const id = await makeChild(db, { lastName: 'Listed', firstName, ...more })
    if (Object.keys(set).length)
      await db.updateTable('child').set(set).where('id', '=', id).execute()
    ids[firstName] = id
  }
  const a = ashby.id
  await child(
    'Amy',
    { authorityId: a, dateOfBirth: '2013-05-10', schoolId: inArea, recordOwnerId: ada.id },
    { sen_status: 'ehc_plan', placement: 'Foster care' },
  )
  // The youngest of Year 7 (key stage 3).
  await child(
    'Bea',
    { authorityId: a, dateOfBirth: '2015-08-31', schoolId: outArea, recordOwnerId: zed.id },
    { sen_status: 'sen_support' },
  )
  // The oldest of Year 8.
  await child(
    'Cal',
    { authorityId: a, dateOfBirth: '2014-08-31', schoolId: inArea, recordOwnerId: ada.id },
    { placement: 'Residential' },
  )
  // The oldest of Year 6 (key stage 2), a day too young for key stage 3.
  await child('Dee', { authorityId: a, dateOfBirth: '2015-09-01' })
  await child('Eve', { authorityId: a, status: 'ceased' })
  // Brook's child, in Year 7 with a placement type of its own: never shown to Ashby.
  await child(
    'Hid',
    { authorityId: brook.id, dateOfBirth: '2015-01-01', recordOwnerId: brookWorker.id },
    { placement: 'Secret placement' },
  )
  for (let n = 1; n <= 22; n++)
    await makeChild(db, {
      authorityId: a,
      lastName: 'Zpager',
      firstName: `P${String(n).padStart(2, '0')}`,
    })
  agent = new TestAgent(t.app)
  await agent.signIn(head.email, PASSWORD)
})
afterAll(() => t?.close())

const namesIn = (html: string) =>
  [...html.matchAll(/>(Listed|Zpager), (\w+)<\/a>/g)].map((m) => m[2]!)
const listed = async (query: string) => {
  const response = await agent.get(`/children?${query}`)
  expect(response.statusCode).toBe(200)
  return namesIn(response.body).filter((n) => !n.startsWith('P'))
}

describe('the children list’s filters', () => {
  it('filters by year group and key stage at the edges of the dates of birth', async () => {
    expect(await listed('year=Y7')).toEqual(['Bea'])
    expect(await listed('year=Y8')).toEqual(['Cal'])
    expect(await listed('keyStage=KS3&status=in_care')).toEqual(['Amy', 'Bea', 'Cal'])
    expect(await listed('keyStage=KS3')).not.toContain('Dee')
    expect(await listed('keyStage=KS2')).toEqual(['Dee'])
  })

  it('filters by school, social worker, SEN, placement type, area and state', async () => {
    const schools = await agent.get('/children')
    const school = /<option value="([0-9a-f-]{36})">Ashby High<\/option>/.exec(schools.body)![1]
    expect(await listed(`school=${school}`)).toEqual(['Amy', 'Cal'])
    expect(await listed(`socialWorker=${ids.ada}`)).toEqual(['Amy', 'Cal'])
    expect(await listed('sen=any')).toEqual(['Amy', 'Bea'])
    expect(await listed('sen=ehc_plan')).toEqual(['Amy'])
    expect(await listed('placement=Residential')).toEqual(['Cal'])
    expect(await listed('placement=not-recorded&keyStage=KS3&status=in_care')).toEqual(['Bea'])
    expect(await listed('area=out')).toEqual(['Bea'])
    expect(await listed('area=in')).toEqual(['Amy', 'Cal'])
    expect(await listed('area=none&status=in_care&keyStage=KS2')).toEqual(['Dee'])
    expect(await listed('status=ceased')).toEqual(['Eve'])
  })

  it('never offers or filters by what belongs to a child the person may not see', async () => {
    const page = await agent.get('/children')
    expect(page.body).not.toContain('Bram Worker')
    expect(page.body).not.toContain('Secret placement')
    expect(page.body).not.toContain('Hid')
    // Asked for anyway: refused, naming the filter, the others kept, and still no Brook child.
    const asked = await agent.get(`/children?socialWorker=${ids.brookWorker}&year=Y7`)
    expect(asked.statusCode).toBe(400)
    expect(asked.body).toContain('Select a social worker from the list')
    expect(namesIn(asked.body)).toEqual(['Bea'])
    const secret = await agent.get('/children?placement=Secret%20placement&year=Y7')
    expect(secret.statusCode).toBe(400)
    expect(secret.body).toContain('Select a placement type from the list')
    expect(namesIn(secret.body)).toEqual(['Bea'])
    // A school of another authority is not among the choices either.
    const brookSchool = await agent.get(`/children?school=${ids.brookSchool}`)
    expect(brookSchool.statusCode).toBe(400)
    expect(brookSchool.body).toContain('Select a school from the list')
    expect(brookSchool.body).not.toContain('Hid')
    const csv = await agent.get('/children/export?format=csv')
    expect(csv.body).not.toContain('Hid')
    expect(csv.body).not.toContain('Bram Worker')
    expect(csv.body).toContain('Children: 27')
  })

  it('sorts by a column either way, blanks last, and pages', async () => {
    expect(await listed('sort=worker&dir=descending&keyStage=KS3&status=in_care')).toEqual([
      'Bea',
      'Amy',
      'Cal',
    ])
    expect(await listed('sort=year&keyStage=KS3&status=in_care')).toEqual(['Bea', 'Cal', 'Amy'])
    const first = await agent.get('/children?sort=name&dir=descending')
    expect(first.body).toContain('Showing 1 to 25 of 27 children')
    expect(namesIn(first.body)[0]).toBe('P22')
    const second = await agent.get('/children?sort=name&dir=descending&page=2')
    expect(second.body).toContain('Showing 26 to 27 of 27 children')
    expect(namesIn(second.body)).toEqual(['Bea', 'Amy'])
  })

  it('exports the filtered list as CSV and a spreadsheet, the filter first, cells made safe, audited', async () => {
    const db = t.database.db
    const formulas = ['=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '\tTab', '\rReturn']
    await db
      .updateTable('child')
      .set({ first_name: formulas[0] })
      .where('id', '=', ids.Amy!)
      .execute()
    await db
      .updateTable('child')
      .set({ last_name: formulas[1] })
      .where('id', '=', ids.Cal!)
      .execute()
    const csv = await agent.get('/children/export?sen=any&format=csv')
    expect(csv.statusCode).toBe(200)
    const lines = parse(csv.body, { relax_column_count: true, bom: true }) as string[][]
    expect(lines.slice(0, 2).map((l) => l[0])).toEqual([
      'Special educational needs: SEN support or an EHC plan',
      'Children: 2',
    ])
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`)
    const all = await agent.get('/children/export?placement=Residential&format=csv')
    expect(all.body).toContain(`'+1+1`)
    const xlsx = await agent.get('/children/export?sen=any&format=xlsx')
    expect(xlsx.statusCode).toBe(200)
    const { default: ExcelJS } = await import('exceljs')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.getRow(1).getCell(1).value).toBe(
      'Special educational needs: SEN support or an EHC plan',
    )
    const firstNames: unknown[] = []
    sheet.eachRow((row, n) => {
      if (n > 4) firstNames.push(row.getCell(2).value)
    })
    expect(firstNames).toEqual(['=HYPERLINK("http://x")', 'Bea'])
    sheet.eachRow((row) =>
      row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
    )
    const events = await db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('action', 'in', ['children.export', 'children.list'])
      .execute()
    expect(events).toContainEqual({
      action: 'children.export',
      details: { filters: { sen: 'any', format: 'xlsx' } },
    })
    expect(events).toContainEqual({
      action: 'children.list',
      details: { filters: { sen: 'ehc_plan' } },
    })
  })

  it('answers a filter value not offered with an error naming the filter, keeping the others, and refuses its export', async () => {
    const cases: [string, string, string][] = [
      ['year=banana', 'year', 'Select a year group from the list'],
      ['stage=nonsense', 'stage', 'Select a PEP state from the list'],
      ['status=nonsense', 'status', 'Select in care or ceased from the list'],
      ['overdue=late', 'overdue', 'Select how overdue from the list'],
      ['rating=great', 'rating', 'Select a rating from the list'],
      ['review=soon', 'review', 'Select reviews from the list'],
      ['keyStage=KS9', 'keyStage', 'Select a key stage from the list'],
      ['sort=stage', 'sort', 'Select how to sort the list'],
    ]
    for (const [bad, field, message] of cases) {
      const page = await agent.get(`/children?sen=any&${bad}`)
      expect(page.statusCode, bad).toBe(400)
      expect(page.body, bad).toContain('govuk-error-summary')
      expect(page.body, bad).toContain(`<a href="#${field}">${message}</a>`)
      expect(page.body, bad).toContain(`<title>Error: Children`)
      // The other filter kept: on the page, in the form and on the export's address.
      // (Amy's name is a formula since the export test: counted, not named.)
      expect(page.body, bad).toContain('Showing 1 to 2 of 2 children.')
      expect(page.body, bad).toMatch(/<option value="any" selected>/)
      expect(page.body, bad).toContain('href="/children/export?sen=any&amp;format=csv"')
      const file = await agent.get(`/children/export?sen=any&${bad}&format=csv`)
      expect(file.statusCode, bad).toBe(400)
      expect(file.headers['content-type'], bad).toContain('text/html')
      expect(file.body, bad).toContain(message)
    }
    const events = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('action', '=', 'children.export')
      .execute()
    expect(events).toContainEqual({
      action: 'children.export',
      details: { filters: { sen: 'any', year: 'banana', format: 'csv' } },
    })
  })

  it('offers every year group, from under 2 to beyond Year 13, so every child can be found', async () => {
    const db = t.database.db
    const a = (
      await db
        .selectFrom('child')
        .select('authority_id')
        .where('id', '=', ids.Amy!)
        .executeTakeFirstOrThrow()
    ).authority_id
    // On 31 August 2026: Una is 1 (under 2), Nia 2 (nursery), Tom 17 (Year 13), Old 18.
    for (const [firstName, dateOfBirth] of [
      ['Una', '2024-09-01'],
      ['Nia', '2024-08-31'],
      ['Tom', '2008-09-01'],
      ['Old', '2008-08-31'],
    ] as const)
      ids[firstName] = await makeChild(db, {
        authorityId: a,
        lastName: 'Listed',
        firstName,
        dateOfBirth,
      })
    const page = await agent.get('/children')
    for (const text of ['Under 2', 'Nursery', 'Year 13', 'Beyond Year 13'])
      expect(page.body).toContain(`>${text}</option>`)
    expect(await listed('year=under_2')).toEqual(['Una'])
    expect(await listed('year=N')).toEqual(['Nia'])
    expect(await listed('year=Y13')).toEqual(['Tom'])
    expect(await listed('year=beyond_13')).toEqual(['Old'])
    expect(await listed('keyStage=EYFS')).toEqual(['Nia'])
    const oldRow = await agent.get('/children?year=beyond_13')
    expect(oldRow.body).toContain('Filtered by Year group: Beyond Year 13.')
    expect(oldRow.body).toMatch(/data-label="Year group">Beyond Year 13</)
  })
})
