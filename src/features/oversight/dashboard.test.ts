import { describe, expect, it } from 'vitest'
import {
  OAK_CONSULTANT,
  OAK_HEAD,
  OAK_SOCIAL_WORKER,
  useOversightWorld,
} from '../../testing/oversight-world.ts'

/*
 * The dashboard through HTTP on a real database, against Oakvale's figures worked out by hand
 * (src/testing/oversight-world.ts): a PEP due tomorrow, today and yesterday; the window's day and
 * the day after; a child who ceased in the term; the initial PEP's timescale; Harrowfield's
 * children beside them never counted.
 */

const w = useOversightWorld()

/** The count a dashboard shows in the link to the list behind a figure. */
function figure(html: string, filter: string): number {
  const escaped = filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`${escaped}"[^>]*>(\\d+)<`).exec(html)
  if (!match) throw new Error(`No figure linking to ${filter}`)
  return Number(match[1])
}

async function dashboard(query = '') {
  const head = await w.agent(OAK_HEAD)
  const response = await head.get(`/oversight${query}`)
  expect(response.statusCode).toBe(200)
  return response.body
}

describe('the dashboard, this term (autumn 2026, on Monday 23 November)', () => {
  it('counts the cohort: children in care today, Oakvale’s only', async () => {
    const html = await dashboard()
    expect(html).toContain('Oakvale, Autumn term 2026')
    // Ada to Hal, Jo and Kim; not Ivy (ceased on 10 November), nor any Harrowfield child.
    expect(figure(html, 'term=2026-autumn')).toBe(10)
    expect(html).not.toContain('Harrowfield')
  })

  it('counts each PEP state', async () => {
    const html = await dashboard()
    expect(figure(html, 'stage=no_pep')).toBe(3)
    expect(figure(html, 'stage=in_progress')).toBe(3)
    expect(figure(html, 'stage=with_school')).toBe(1)
    expect(figure(html, 'stage=awaiting_bso_check')).toBe(0)
    expect(figure(html, 'stage=awaiting_qa')).toBe(1)
    expect(figure(html, 'stage=returned')).toBe(1)
    expect(figure(html, 'stage=signed_off')).toBe(1)
    expect(html).toContain('Signed off by the window: <strong>1</strong> of 10 (10%)')
  })

  it('counts a PEP overdue only once its target date has passed, and the school’s part after its due date', async () => {
    const html = await dashboard()
    // Ben's target was yesterday; Ada's is tomorrow and Cat's today: neither overdue.
    expect(figure(html, 'overdue=past_target')).toBe(1)
    expect(figure(html, 'overdue=school_overdue')).toBe(1)
    // The window closes on 7 December: nobody is late against it yet.
    expect(figure(html, 'overdue=past_window')).toBe(0)
    expect(figure(html, 'overdue=any')).toBe(2)
    expect(html).toContain('closes on 7 December 2026')
  })

  it('lists initial PEPs due and late against the statutory timescale, with the dates', async () => {
    const html = await dashboard()
    expect(html).toContain('1 due and 1 late')
    expect(html).toMatch(
      /Oakfixture, Jo<\/a><\/th>\s*<td[^>]*>2 November 2026<\/td>\s*<td[^>]*>30 November 2026/,
    )
    expect(html).toMatch(
      /Oakfixture, Kim<\/a><\/th>\s*<td[^>]*>1 October 2026<\/td>\s*<td[^>]*>29 October 2026/,
    )
    // The first deadline, to initiate it: 10 working days from entering care, neither started.
    expect(html).toMatch(
      /Oakfixture, Jo<\/a><\/th>(?:\s*<td[^>]*>.*?<\/td>){4}\s*<td[^>]*>16 November 2026 <strong class="govuk-tag govuk-tag--red">Late<\/strong>/,
    )
    expect(html).toMatch(
      /Oakfixture, Kim<\/a><\/th>(?:\s*<td[^>]*>.*?<\/td>){4}\s*<td[^>]*>15 October 2026 <strong class="govuk-tag govuk-tag--red">Late<\/strong>/,
    )
  })

  it('shows quality ratings, participation and the cohort by key stage, SEN and area', async () => {
    const html = await dashboard()
    expect(figure(html, 'rating=good')).toBe(1)
    expect(figure(html, 'rating=outstanding')).toBe(0)
    expect(html).toContain('in 1 of 1 (100%)')
    expect(figure(html, 'keyStage=KS5')).toBe(1)
    expect(figure(html, 'keyStage=KS3')).toBe(9)
    expect(figure(html, 'sen=sen_support')).toBe(1)
    expect(figure(html, 'sen=ehc_plan')).toBe(1)
    expect(figure(html, 'area=in')).toBe(8)
    expect(figure(html, 'area=out')).toBe(1)
    expect(figure(html, 'area=none')).toBe(1)
  })

  it('counts the cohort by year group and by school, in and out of the area', async () => {
    const html = await dashboard()
    // Ada is in Year 12; the others, born in October 2012, in Year 9.
    expect(figure(html, 'year=Y12')).toBe(1)
    expect(figure(html, 'year=Y9')).toBe(9)
    expect(html).not.toContain('year=Y8')
    // Gus at Kingsmead, out of the area; Jo with no school; the rest at Oakvale Academy.
    expect(figure(html, `school=${w.schoolId}`)).toBe(8)
    expect(figure(html, `school=${w.outOfAreaSchoolId}`)).toBe(1)
    expect(html).toMatch(/>Oakvale Academy<\/th>/)
    expect(html).toMatch(/ \(out of the area\)<\/th>/)
  })

  it('gives each of the ten quality criteria’s ratings as a distribution', async () => {
    const html = await dashboard()
    const rows = [
      ...html.matchAll(
        /<th scope="row" class="govuk-table__header">([^<]+)<\/th>((?:\s*<td[^>]*>\d+<\/td>){5})/g,
      ),
    ].map((m) => [m[1], [...m[2]!.matchAll(/>(\d+)</g)].map((n) => Number(n[1]))] as const)
    expect(rows).toHaveLength(10)
    // Eve's signed-off PEP: the new targets rated good, transitions not applicable; nothing else.
    for (const [name, cells] of rows)
      expect(cells, name).toEqual(
        name === 'The new targets'
          ? [0, 1, 0, 0, 0]
          : name === 'Planning for transitions'
            ? [0, 0, 0, 0, 1]
            : [0, 0, 0, 0, 0],
      )
  })

  it('draws each chart as SVG with a text alternative beside a table of the same figures', async () => {
    const html = await dashboard()
    expect(html).toContain(
      'aria-label="PEPs by state: No PEP yet 3, In progress 3, With the school 1, Waiting for business support 0, Waiting for quality assurance 1, Returned for improvement 1, Signed off 1."',
    )
  })
})

describe('a past term (summer 2026)', () => {
  it('counts the children in care on its last day and the window’s day in England', async () => {
    const html = await dashboard('?term=2026-summer')
    expect(html).toContain('Summer term 2026')
    // Ada to Ivy (Ivy ceased in November); Jo and Kim entered care after it.
    expect(figure(html, 'term=2026-summer')).toBe(9)
    // Ada was signed off at 23:30 on 7 July (British Summer Time): in time. Ben on 8 July: late.
    expect(html).toContain('Signed off by the window: <strong>1</strong> of 9 (11%)')
    expect(figure(html, 'overdue=past_window')).toBe(8)
    expect(figure(html, 'stage=no_pep')).toBe(7)
  })

  it('shows the trend over six terms', async () => {
    const html = await dashboard()
    expect(html).toMatch(
      /Summer term 2026<\/th>\s*<td[^>]*>2<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>50%<\/td>/,
    )
    expect(html).toMatch(
      /Autumn term 2026<\/th>\s*<td[^>]*>1<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>100%<\/td>/,
    )
  })
})

describe('who sees it', () => {
  it('refuses a term to come, and a term that is not one, with GOV.UK errors and no figures', async () => {
    const head = await w.agent(OAK_HEAD)
    const future = await head.get('/oversight?term=2027-spring')
    expect(future.statusCode).toBe(400)
    expect(future.body).toContain('There is a problem')
    expect(future.body).toContain('href="#term">The term must be this term or an earlier one')
    expect(future.body).not.toContain('PEPs by state')
    const nonsense = await head.get('/oversight?term=%3Dcmd')
    expect(nonsense.statusCode).toBe(400)
    expect(nonsense.body).toContain('Select a term from the list')
  })

  it('gives Virtual School staff of another authority nothing of Oakvale', async () => {
    const harrowfieldHead = await w.agent('vs.head@example.org')
    const response = await harrowfieldHead.get(`/oversight?authority=${w.oakId}`)
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Select an authority whose Virtual School you work in')
    expect(response.body).not.toContain('Oakvale')
    expect(response.body).not.toContain('Oakfixture')
    // Their own dashboard counts Harrowfield's children, none of Oakvale's.
    const own = await harrowfieldHead.get('/oversight')
    expect(own.statusCode).toBe(200)
    expect(own.body).not.toContain('Oakfixture')
  })

  it('refuses a social worker, and records the refusal', async () => {
    const sw = await w.agent(OAK_SOCIAL_WORKER)
    const response = await sw.get('/oversight')
    expect(response.statusCode).toBe(403)
    expect(response.body).not.toContain('PEPs by state')
    const denied = await w.db
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('user_id', '=', w.userIds[OAK_SOCIAL_WORKER]!)
      .where('action', '=', 'access.denied')
      .execute()
    expect(denied).toHaveLength(1)
  })

  it('audits each view with what was asked', async () => {
    const consultant = await w.agent(OAK_CONSULTANT)
    await consultant.get('/oversight?term=2026-summer')
    const events = await w.db
      .selectFrom('audit_event')
      .select(['action', 'outcome', 'details'])
      .where('user_id', '=', w.userIds[OAK_CONSULTANT]!)
      .where('action', '=', 'oversight.dashboard.view')
      .execute()
    expect(events).toEqual([
      {
        action: 'oversight.dashboard.view',
        outcome: 'success',
        details: { filters: { term: '2026-summer' } },
      },
    ])
  })
})
