import { describe, expect, it } from 'vitest'
import { OAK_HEAD, useOversightWorld } from '../../testing/oversight-world.ts'
import { makeChild } from '../../testing/factories.ts'

/*
 * The cohort in alternative provision, on a part-time timetable or NEET (issue 17), on Oakvale
 * (src/testing/oversight-world.ts) with this file's own periods worked out by hand. A period
 * counts on the cohort's day: the term's last day, or today (Monday 23 November 2026) while it
 * runs; its first and last days both count.
 *
 * Summer 2026 runs 1 April to 31 August (cohort Ada to Ivy); autumn 2026 from 1 September, on
 * 23 November (cohort Ada to Hal, Jo, Kim; Ivy ceased on 10 November).
 *   Ada  AP from 31 August (the summer's last day), open            summer AP,  autumn AP
 *   Ben  AP 10 January to 31 March (the day before summer starts)   neither
 *   Cat  part-time 1 April to 30 August (the day before the last)   neither
 *   Dan  part-time 1 June to 31 August (ends on the last day)        summer part-time
 *   Eve  NEET from 1 September (the day after summer's end)          autumn NEET
 *   Fay  NEET from 1 May, open; AP 1 July to 23 November (today)     summer AP+NEET, autumn AP+NEET
 *   Gus  part-time from 24 November (tomorrow)                       neither
 *   Ivy  part-time from 1 August, open                               summer part-time (not in autumn)
 *   A Harrowfield child in AP all year: never Oakvale's.
 * Summer: AP 2 (Ada, Fay), part-time 2 (Dan, Ivy), NEET 1 (Fay).
 * Autumn: AP 2 (Ada, Fay), part-time 0, NEET 2 (Eve, Fay).
 */

const at = new Date('2026-11-23T10:00:00Z')

const w = useOversightWorld(async () => {
  const db = w.db
  const period = (
    childId: string,
    kind: 'alternative_provision' | 'part_time' | 'neet',
    startsOn: string,
    endsOn: string | null,
  ) =>
    db
      .insertInto('child_education_circumstance')
      .values({
        child_id: childId,
        kind,
        starts_on: startsOn,
        ends_on: endsOn,
        provider: kind === 'alternative_provision' ? 'Oak Learning Centre' : null,
        hours_per_week: kind === 'part_time' ? 15 : null,
        reason: kind === 'part_time' ? 'Phased return' : null,
        recorded_at: at,
      })
      .execute()
  const id = (name: string) => w.childIds[name]!
  await period(id('Ada'), 'alternative_provision', '2026-08-31', null)
  await period(id('Ben'), 'alternative_provision', '2026-01-10', '2026-03-31')
  await period(id('Cat'), 'part_time', '2026-04-01', '2026-08-30')
  await period(id('Dan'), 'part_time', '2026-06-01', '2026-08-31')
  await period(id('Eve'), 'neet', '2026-09-01', null)
  await period(id('Fay'), 'neet', '2026-05-01', null)
  await period(id('Fay'), 'alternative_provision', '2026-07-01', '2026-11-23')
  await period(id('Gus'), 'part_time', '2026-11-24', null)
  await period(id('Ivy'), 'part_time', '2026-08-01', null)
  const elsewhere = await makeChild(db, {
    authorityId: w.harrowfieldId,
    firstName: 'Nell',
    lastName: 'Oakfixture',
    dateOfBirth: '2010-01-01',
    caseReference: 'HFD-CIRC-OAK',
  })
  await period(elsewhere, 'alternative_provision', '2026-01-01', null)
})

const namesIn = (html: string) =>
  [...html.matchAll(/Oakfixture, (\w+)<\/a><\/th>/g)].map((m) => m[1])

async function list(term: string, query: string) {
  const head = await w.agent(OAK_HEAD)
  return head.get(`/oversight/children?authority=${w.oakId}&term=${term}&${query}`)
}

async function figure(term: string, filter: string): Promise<number> {
  const head = await w.agent(OAK_HEAD)
  const page = await head.get(`/oversight?authority=${w.oakId}&term=${term}`)
  const match = new RegExp(`term=${term}&amp;${filter}">(\\d+)<`).exec(page.body)
  if (!match) throw new Error(`No figure links to ${filter}`)
  return Number(match[1])
}

describe('the cohort in alternative provision, on a part-time timetable or NEET', () => {
  const cases: [string, string, string[]][] = [
    ['2026-summer', 'alternative_provision', ['Ada', 'Fay']],
    ['2026-summer', 'part_time', ['Dan', 'Ivy']],
    ['2026-summer', 'neet', ['Fay']],
    ['2026-autumn', 'alternative_provision', ['Ada', 'Fay']],
    ['2026-autumn', 'part_time', []],
    ['2026-autumn', 'neet', ['Eve', 'Fay']],
  ]
  for (const [term, kind, names] of cases)
    it(`counts and lists ${kind} in ${term}: ${names.join(', ') || 'nobody'}`, async () => {
      const page = await list(term, `circumstance=${kind}`)
      expect(page.statusCode).toBe(200)
      expect(namesIn(page.body)).toEqual(names)
      expect(await figure(term, `circumstance=${kind}`)).toBe(names.length)
    })

  it('tags each child in the list and gives a column for each in the export', async () => {
    const page = await list('2026-summer', 'circumstance=neet')
    expect(page.body).toContain('NEET (post-16)</strong>')
    expect(page.body).toContain('In alternative provision</strong>')
    const head = await w.agent(OAK_HEAD)
    const csv = await head.get(
      `/oversight/children/export?authority=${w.oakId}&term=2026-summer&circumstance=neet&format=csv`,
    )
    expect(csv.statusCode).toBe(200)
    expect(csv.body).toContain('Provision and timetable: NEET (post-16)')
    const lines = csv.body.split(/\r?\n/)
    const header = lines.find((l) => l.startsWith('Surname'))!
    expect(
      header.endsWith('In alternative provision,On a part-time timetable,NEET (post-16)'),
    ).toBe(true)
    const fay = lines.find((l) => l.startsWith('Oakfixture,Fay'))!
    expect(fay.endsWith('Yes,No,Yes')).toBe(true)
  })

  it('refuses a choice that is not on the list, keeping the filters', async () => {
    const refused = await list('2026-autumn', 'circumstance=home_educated&sen=any')
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain(
      'href="#circumstance">Select alternative provision, a part-time timetable or NEET from the list',
    )
  })
})
