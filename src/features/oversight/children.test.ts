import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import {
  OAK_CONSULTANT,
  OAK_HEAD,
  OAK_SOCIAL_WORKER,
  useOversightWorld,
} from '../../testing/oversight-world.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { makeAuthority, makeChild, makeUser } from '../../testing/factories.ts'

/*
 * The list of children behind each figure, its filters and its export, on Oakvale (see
 * src/testing/oversight-world.ts for the hand-worked fixture).
 */

const w = useOversightWorld()

const base = () => `authority=${w.oakId}&term=2026-autumn`

/** The first names listed, in order (every fixture child's surname is Oakfixture). */
const namesIn = (html: string) =>
  [...html.matchAll(/Oakfixture, (\w+)<\/a><\/th>/g)].map((m) => m[1])

const countIn = (html: string) => {
  const match = /role="status">(\d+) child/.exec(html)
  if (!match) throw new Error('No count of children on the page')
  return Number(match[1])
}

async function list(query: string) {
  const head = await w.agent(OAK_HEAD)
  return head.get(`/oversight/children?${base()}&${query}`)
}

describe('the list behind each figure', () => {
  it('agrees with every figure on the dashboard that links to it', async () => {
    const head = await w.agent(OAK_HEAD)
    for (const term of ['2026-autumn', '2026-summer']) {
      const dashboard = await head.get(`/oversight?term=${term}`)
      const links = [
        ...dashboard.body.matchAll(/href="(\/oversight\/children\?[^"]+)"[^>]*>(\d+)</g),
      ]
      expect(links.length).toBeGreaterThan(20)
      for (const [, href, shown] of links) {
        const response = await head.get(href!.replaceAll('&amp;', '&'))
        expect(response.statusCode, href).toBe(200)
        expect(countIn(response.body), href).toBe(Number(shown))
      }
    }
  })

  it('agrees, this term, with the children list asked the same filters (one rule for both)', async () => {
    const head = await w.agent(OAK_HEAD)
    const consultant = await w.agent(OAK_CONSULTANT)
    const dashboard = await head.get('/oversight?term=2026-autumn')
    const offered = [
      'stage',
      'overdue',
      'rating',
      'review',
      'year',
      'keyStage',
      'school',
      'sen',
      'area',
      'placement',
    ]
    let compared = 0
    for (const [, href, shown] of dashboard.body.matchAll(
      /href="\/oversight\/children\?([^"]+)"[^>]*>(\d+)</g,
    )) {
      const asked = new URLSearchParams(href!.replaceAll('&amp;', '&'))
      asked.delete('authority')
      asked.delete('term')
      if ([...asked.keys()].some((k) => !offered.includes(k))) continue
      // The children list holds ceased children too: the cohort is those in care.
      asked.set('status', 'in_care')
      for (const agent of compared % 5 === 0 ? [head, consultant] : [head]) {
        const response = await agent.get(`/children?${asked}`)
        expect(response.statusCode, String(asked)).toBe(200)
        const count = /of (\d+) children\./.exec(response.body)?.[1] ?? '0'
        expect(Number(count), String(asked)).toBe(Number(shown))
      }
      compared += 1
    }
    expect(compared).toBeGreaterThan(20)
  })

  it('lists the children with no PEP, and the one past its target date (not the one due tomorrow)', async () => {
    const none = await list('stage=no_pep')
    expect(namesIn(none.body)).toEqual(['Dan', 'Jo', 'Kim'])
    const late = await list('overdue=past_target')
    expect(namesIn(late.body)).toEqual(['Ben'])
    expect(late.body).toContain('Past the target date')
  })

  it('filters by school, social worker, year group, key stage, SEN and area', async () => {
    expect(namesIn((await list(`school=${w.outOfAreaSchoolId}`)).body)).toEqual(['Gus'])
    expect(namesIn((await list('area=none')).body)).toEqual(['Jo'])
    expect(namesIn((await list('year=Y12')).body)).toEqual(['Ada'])
    expect(namesIn((await list('keyStage=KS5')).body)).toEqual(['Ada'])
    expect(namesIn((await list('sen=any')).body)).toEqual(['Ben', 'Cat'])
    const sw = w.userIds['oak.social.worker@example.org']!
    expect(countIn((await list(`socialWorker=${sw}`)).body)).toBe(10)
  })

  it('sorts by target date, children without one last', async () => {
    const sorted = await list('sort=target&stage=in_progress')
    expect(namesIn(sorted.body)).toEqual(['Ben', 'Cat', 'Ada'])
    const byStage = await list('sort=stage&sen=any')
    expect(namesIn(byStage.body)).toEqual(['Ben', 'Cat'])
  })

  it('refuses a filter that is not one of the choices, with GOV.UK errors and the filters kept', async () => {
    const harrowfieldSchool = await w.db
      .selectFrom('school')
      .select('id')
      .where('authority_id', '=', w.harrowfieldId)
      .where('id', '!=', w.outOfAreaSchoolId)
      .executeTakeFirstOrThrow()
    const response = await list(`school=${harrowfieldSchool.id}&year=Y99&stage=no_pep`)
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is a problem')
    expect(response.body).toContain('href="#school">Select a school from the list')
    expect(response.body).toContain('href="#year">Select a year group from the list')
    expect(response.body).toMatch(/<option value="no_pep" selected>/)
    // The other filter still applies, and the page's links carry it, never the values in error.
    expect(namesIn(response.body)).toEqual(['Dan', 'Jo', 'Kim'])
    expect(response.body).toContain(
      `href="/oversight/children/export?authority=${w.oakId}&amp;term=2026-autumn&amp;stage=no_pep&amp;format=csv"`,
    )
    // An export asked with a value in error is refused, not widened.
    const head = await w.agent(OAK_HEAD)
    const file = await head.get(
      `/oversight/children/export?${base()}&stage=no_pep&flag=banana&format=csv`,
    )
    expect(file.statusCode).toBe(400)
    expect(file.body).toContain(
      'href="#flag">Select attendance, exclusions or attainment from the list',
    )
    expect(file.headers['content-type']).toContain('text/html')
  })

  it('gives a social worker nothing, and Harrowfield’s head nothing of Oakvale', async () => {
    const sw = await w.agent(OAK_SOCIAL_WORKER)
    expect((await sw.get(`/oversight/children?${base()}`)).statusCode).toBe(403)
    expect((await sw.get(`/oversight/children/export?${base()}`)).statusCode).toBe(403)
    const other = await w.agent('vs.head@example.org')
    const refused = await other.get(`/oversight/children/export?${base()}&format=csv`)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).not.toContain('Oakfixture')
  })
})

describe('exports', () => {
  it('exports the filtered list as CSV with the filter’s words first, and audits it', async () => {
    const head = await w.agent(OAK_HEAD)
    const response = await head.get(`/oversight/children/export?${base()}&overdue=any&format=csv`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toContain('attachment')
    const lines = parse(response.body.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
    }) as string[][]
    expect(lines.slice(0, 5).map((l) => l[0])).toEqual([
      'Authority: Oakvale',
      'Term: Autumn term 2026',
      'Overdue: Overdue in any way',
      'Children: 2',
      '',
    ])
    expect(lines[5]!.slice(0, 3)).toEqual(['Surname', 'First name', 'Case reference'])
    expect(lines.slice(6).map((l) => l[1])).toEqual(['Ben', 'Fay'])
    const events = await w.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'oversight.children.export')
      .execute()
    expect(events.map((e) => e.details)).toContainEqual({
      filters: { authority: w.oakId, term: '2026-autumn', overdue: 'any', format: 'csv' },
    })
  })

  it('makes a name that looks like a formula safe, in CSV and in a spreadsheet', async () => {
    await w.db
      .updateTable('child')
      .set({ first_name: '=HYPERLINK("http://x")' })
      .where('id', '=', w.childIds['Dan']!)
      .execute()
    const head = await w.agent(OAK_HEAD)
    const csv = await head.get(`/oversight/children/export?${base()}&stage=no_pep&format=csv`)
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`)
    const xlsx = await head.get(`/oversight/children/export?${base()}&stage=no_pep&format=xlsx`)
    expect(xlsx.statusCode).toBe(200)
    const { default: ExcelJS } = await import('exceljs')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.getRow(1).getCell(1).value).toBe('Authority: Oakvale')
    const names: unknown[] = []
    sheet.eachRow((row, n) => {
      if (n > 6) names.push(row.getCell(2).value)
    })
    expect(names).toContain('=HYPERLINK("http://x")')
    sheet.eachRow((row) =>
      row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
    )
  })
})

describe('paging', () => {
  it('shows 50 children a page, in order, the next page the rest, and none twice', async () => {
    // Pinefield: 52 children in care, made for this test, and its own Virtual School head.
    const db = w.db
    const pine = await makeAuthority(db, { name: 'Pinefield' })
    const head = await makeUser(db, { role: 'vs_head', authorityId: pine.id })
    const { password_hash } = await db
      .selectFrom('app_user')
      .select('password_hash')
      .where('email', '=', OAK_HEAD)
      .executeTakeFirstOrThrow()
    await db
      .updateTable('app_user')
      .set({ password_hash, demo_account: true })
      .where('id', '=', head.id)
      .execute()
    for (let n = 1; n <= 52; n++)
      await makeChild(db, {
        authorityId: pine.id,
        firstName: `Child${String(n).padStart(2, '0')}`,
        lastName: 'Pager',
      })
    const agent = new TestAgent(w.t.app)
    await agent.signIn(head.email, DEMO_PASSWORD)
    const url = `/oversight/children?authority=${pine.id}&term=2026-autumn`
    const names = (html: string) => [...html.matchAll(/Pager, (Child\d\d)<\/a>/g)].map((m) => m[1])
    const first = await agent.get(url)
    expect(first.statusCode).toBe(200)
    expect(countIn(first.body)).toBe(52)
    expect(names(first.body)).toEqual(
      Array.from({ length: 50 }, (_, i) => `Child${String(i + 1).padStart(2, '0')}`),
    )
    expect(first.body).toContain('page=2')
    const second = await agent.get(`${url}&page=2`)
    expect(second.statusCode).toBe(200)
    expect(names(second.body)).toEqual(['Child51', 'Child52'])
  })
})
