import { describe, expect, it } from 'vitest'
import { OAK_HEAD, useOversightWorld } from '../../testing/oversight-world.ts'
import { makeAttendancePeriod } from '../../testing/factories.ts'

/*
 * The review gap, the education flags (attendance, exclusions, attainment), the placement filter
 * and the column headers that sort, on Oakvale (src/testing/oversight-world.ts) with this file's
 * own data worked out by hand. Today is Monday 23 November 2026; the authority's longest gap
 * between reviews is 6 months and its attendance line 90% (the defaults).
 *
 * Reviews on 23 November (autumn): Ada's last meeting 23 May (due by today: in time), Ben's 22 May
 * (due by yesterday: past), Cat's 20 November; Eve's meeting is planned for 25 November (not held,
 * so counted from entering care in 2020: past); Dan, Fay, Gus and Hal never met (past); Jo and Kim
 * entered care this term (not yet due). Past: Ben, Dan, Eve, Fay, Gus, Hal.
 * On 31 August (summer's cohort, Ada to Ivy): Ada and Ben had met in May; Cat's meeting was later.
 * Past: Cat, Dan, Eve, Fay, Gus, Hal, Ivy.
 *
 * Attendance (periods overlapping the term up to its as-of day, summed in sessions):
 *   Ada  100 possible, 90 attended: exactly 90.0%, persistently absent, not below the line
 *   Ben  1 July to 10 September (spans summer and autumn), 40/19: persistent, severe, below the
 *        line, in both terms
 *   Cat  100/50 corrected to 100/95: nothing (the corrected figures are not counted)
 *   Dan  100/89 then 100/92: 181 of 200 is 90.5% over the term, nothing (the first alone would be)
 *   Hal  a period starting tomorrow, 10/0: not counted yet
 * Exclusions: Dan suspended 2-3 November and Gus permanently excluded from 1 September (autumn);
 * Fay suspended 6-7 July (summer only).
 * Attainment: Gus behind in Mathematics in summer and autumn (not making expected progress);
 * Hal behind in English in spring and autumn (a term between: not flagged); Eve behind in autumn
 * only in an entry since corrected.
 * Placement: Ada and Ben in foster care, Cat in a children's home, the rest not recorded.
 */

const at = new Date('2026-11-23T10:00:00Z')

const w = useOversightWorld(async () => {
  const id = (name: string) => w.childIds[name]!
  const db = w.db
  const meeting = (name: string, academicYear: number, term: string, on: string) =>
    db
      .updateTable('pep')
      .set({ meeting_on: on })
      .where('child_id', '=', id(name))
      .where('academic_year', '=', academicYear)
      .where('term', '=', term as 'autumn')
      .execute()
  await meeting('Ada', 2025, 'summer', '2026-05-23')
  await meeting('Ben', 2025, 'summer', '2026-05-22')
  await meeting('Cat', 2026, 'autumn', '2026-11-20')
  await meeting('Eve', 2026, 'autumn', '2026-11-25')

  const period = (
    name: string,
    startsOn: string,
    endsOn: string,
    possible: number,
    attended: number,
    superseded?: { by: string },
  ) =>
    makeAttendancePeriod(db, {
      childId: id(name),
      schoolId: w.schoolId,
      startsOn,
      endsOn,
      possible,
      attended,
      at,
      supersededBy: superseded?.by,
    })
  await period('Ada', '2026-09-01', '2026-10-23', 100, 90)
  await period('Ben', '2026-07-01', '2026-09-10', 40, 19)
  const catNow = await period('Cat', '2026-09-01', '2026-10-23', 100, 95)
  await period('Cat', '2026-09-01', '2026-10-23', 100, 50, { by: catNow })
  await period('Dan', '2026-09-01', '2026-10-23', 100, 89)
  await period('Dan', '2026-10-24', '2026-11-20', 100, 92)
  await period('Hal', '2026-11-24', '2026-11-30', 10, 0)

  const exclusion = (name: string, kind: 'suspension' | 'permanent', from: string, to?: string) =>
    db
      .insertInto('exclusion')
      .values({
        child_id: id(name),
        school_id: w.schoolId,
        kind,
        starts_on: from,
        ends_on: to ?? null,
        sessions_missed: 4,
        reason: 'persistent-disruptive',
        provision: '',
        recorded_at: at,
      })
      .execute()
  await exclusion('Dan', 'suspension', '2026-11-02', '2026-11-03')
  await exclusion('Gus', 'permanent', '2026-09-01')
  await exclusion('Fay', 'suspension', '2026-07-06', '2026-07-07')

  const attainment = (
    name: string,
    subject: string,
    academicYear: number,
    term: 'autumn' | 'spring' | 'summer',
    workingAt: string,
    expected: string,
    superseded = false,
  ) =>
    db
      .insertInto('attainment_entry')
      .values({
        child_id: id(name),
        subject,
        academic_year: academicYear,
        term,
        scale: 'gcse',
        working_at: workingAt,
        expected,
        recorded_at: at,
        superseded_at: superseded ? at : null,
      })
      .execute()
  await attainment('Gus', 'Mathematics', 2025, 'summer', '3', '5')
  await attainment('Gus', 'Mathematics', 2026, 'autumn', '4', '5')
  await attainment('Hal', 'English', 2025, 'spring', '3', '5')
  await attainment('Hal', 'English', 2026, 'autumn', '3', '5')
  await attainment('Eve', 'Science', 2025, 'summer', '3', '5')
  await attainment('Eve', 'Science', 2026, 'autumn', '3', '5', true)
  await attainment('Eve', 'Science', 2026, 'autumn', '5', '5')

  for (const [name, placement] of [
    ['Ada', 'Foster care'],
    ['Ben', 'Foster care'],
    ['Cat', 'Children’s home'],
  ] as const)
    await db.updateTable('child').set({ placement }).where('id', '=', id(name)).execute()
})

const namesIn = (html: string) =>
  [...html.matchAll(/Oakfixture, (\w+)<\/a><\/th>/g)].map((m) => m[1])

async function list(term: string, query: string) {
  const head = await w.agent(OAK_HEAD)
  return head.get(`/oversight/children?authority=${w.oakId}&term=${term}&${query}`)
}

/** The figure the dashboard links to a list with this filter. */
async function figure(term: string, filter: string): Promise<number> {
  const head = await w.agent(OAK_HEAD)
  const page = await head.get(`/oversight?authority=${w.oakId}&term=${term}`)
  const escaped = filter.replaceAll('&', '&amp;').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`term=${term}&amp;${escaped}">(\\d+)<`).exec(page.body)
  if (!match) throw new Error(`No figure links to ${filter}`)
  return Number(match[1])
}

describe('reviews past the longest gap', () => {
  it('counts a review due by today as in time, and yesterday’s as past', async () => {
    const past = await list('2026-autumn', 'review=past_gap')
    expect(namesIn(past.body)).toEqual(['Ben', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal'])
    expect(past.body).toContain('Review overdue')
    expect(await figure('2026-autumn', 'review=past_gap')).toBe(6)
  })

  it('counts a meeting held today as the last review', async () => {
    const eveMeetsOn = (on: string) =>
      w.db
        .updateTable('pep')
        .set({ meeting_on: on })
        .where('child_id', '=', w.childIds['Eve']!)
        .where('academic_year', '=', 2026)
        .where('term', '=', 'autumn')
        .execute()
    await eveMeetsOn('2026-11-23')
    try {
      const past = await list('2026-autumn', 'review=past_gap')
      expect(namesIn(past.body)).toEqual(['Ben', 'Dan', 'Fay', 'Gus', 'Hal'])
      expect(await figure('2026-autumn', 'review=past_gap')).toBe(5)
    } finally {
      await eveMeetsOn('2026-11-25')
    }
  })

  it('works out a past term on its last day, with only the meetings held by then', async () => {
    const past = await list('2026-summer', 'review=past_gap')
    expect(namesIn(past.body)).toEqual(['Cat', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal', 'Ivy'])
    expect(await figure('2026-summer', 'review=past_gap')).toBe(7)
  })
})

describe('attendance, exclusions and attainment on the list and the dashboard', () => {
  const cases: [string, string, string[]][] = [
    ['2026-autumn', 'persistent_absence', ['Ada', 'Ben']],
    ['2026-autumn', 'severe_absence', ['Ben']],
    ['2026-autumn', 'below_line', ['Ben']],
    ['2026-autumn', 'excluded', ['Dan', 'Gus']],
    ['2026-autumn', 'not_making_progress', ['Gus']],
    ['2026-summer', 'persistent_absence', ['Ben']],
    ['2026-summer', 'severe_absence', ['Ben']],
    ['2026-summer', 'excluded', ['Fay']],
    ['2026-summer', 'not_making_progress', []],
  ]
  for (const [term, flag, names] of cases)
    it(`lists and counts ${flag} in ${term}: ${names.join(', ') || 'nobody'}`, async () => {
      const response = await list(term, `flag=${flag}`)
      expect(response.statusCode).toBe(200)
      expect(namesIn(response.body)).toEqual(names)
      expect(await figure(term, `flag=${flag}`)).toBe(names.length)
    })

  it('shows each child’s flags in the list and the export', async () => {
    const response = await list('2026-autumn', 'flag=severe_absence')
    expect(response.body).toContain('Severely absent (missed 50% or more)')
    expect(response.body).toContain('Attendance below the authority’s line')
    const head = await w.agent(OAK_HEAD)
    const csv = await head.get(
      `/oversight/children/export?authority=${w.oakId}&term=2026-autumn&flag=excluded&format=csv`,
    )
    expect(csv.body).toContain('Education: Suspended or excluded this term')
    expect(csv.body).toContain('Attendance, exclusions and attainment')
  })

  it('refuses a flag that is not one of the choices, with the filters kept', async () => {
    const response = await list('2026-autumn', 'flag=truant&stage=no_pep')
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain(
      'href="#flag">Select attendance, exclusions or attainment from the list',
    )
    expect(response.body).toMatch(/<option value="no_pep" selected>/)
    // The list is of the filters kept (no PEP yet), saying it was not filtered by the flag.
    expect(namesIn(response.body)).toEqual(['Dan', 'Jo', 'Kim'])
  })
})

describe('placement type', () => {
  it('filters by the placements recorded, and by none recorded', async () => {
    expect(namesIn((await list('2026-autumn', 'placement=Foster+care')).body)).toEqual([
      'Ada',
      'Ben',
    ])
    expect(namesIn((await list('2026-autumn', 'placement=not-recorded')).body)).toEqual([
      'Dan',
      'Eve',
      'Fay',
      'Gus',
      'Hal',
      'Jo',
      'Kim',
    ])
    expect(await figure('2026-autumn', 'placement=Foster+care')).toBe(2)
    const refused = await list('2026-autumn', 'placement=Boarding+school')
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('href="#placement">Select a placement type from the list')
  })
})

describe('sorting by the column headers', () => {
  it('sorts either way, says which on the header, and its link turns it the other way', async () => {
    const down = await list('2026-autumn', 'stage=in_progress&sort=target&dir=descending')
    expect(namesIn(down.body)).toEqual(['Ada', 'Cat', 'Ben'])
    expect(down.body).toMatch(
      /aria-sort="descending"><a class="govuk-link" href="[^"]*sort=target&amp;dir=ascending">Target date/,
    )
    expect(down.body).toMatch(
      /aria-sort="none"><a class="govuk-link" href="[^"]*sort=name&amp;dir=ascending">Name/,
    )
    const byName = await list('2026-autumn', 'stage=in_progress&sort=name&dir=descending')
    expect(namesIn(byName.body)).toEqual(['Cat', 'Ben', 'Ada'])
  })

  it('keeps children without a value last whichever way', async () => {
    for (const dir of ['ascending', 'descending']) {
      const rated = await list('2026-autumn', `area=in&sort=rating&dir=${dir}`)
      expect(namesIn(rated.body)[0]).toBe('Eve')
      const targets = await list('2026-autumn', `sort=target&dir=${dir}`)
      expect(namesIn(targets.body).slice(-4)).toEqual(['Gus', 'Hal', 'Jo', 'Kim'])
    }
  })

  it('refuses a direction that is not one of the choices', async () => {
    const response = await list('2026-autumn', 'dir=sideways')
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('href="#dir">Select ascending or descending')
  })
})

/*
 * Schools that have not given the term's data. Autumn: Oakvale Academy has 8 children of the
 * cohort (Ada, Ben, Cat, Dan, Eve, Fay, Hal, Kim): attendance given for Ada, Ben, Cat and Dan
 * (Hal's period starts tomorrow), so 4 without; attainment of the term given for Eve and Hal, so 6
 * without (Gus's is at the out-of-area school, which gave attainment but no attendance). Jo has
 * no school and is not counted.
 */
describe('schools that have not sent this term’s data', () => {
  const url = () => `/oversight/missing-data?authority=${w.oakId}&term=2026-autumn`
  const ask = (schools: string[]) => ({ authority: w.oakId, term: '2026-autumn', schools })

  it('lists each school with its children without attendance and without attainment', async () => {
    const head = await w.agent(OAK_HEAD)
    const page = await head.get(url())
    expect(page.statusCode).toBe(200)
    const rows = [
      ...page.body.matchAll(
        /<a class="govuk-link" href="[^"]*school=[^"]*">([^<]+)<\/a><\/th>\s*<td[^>]*>(\d+)<\/td>\s*<td[^>]*>(\d+)<\/td>\s*<td[^>]*>(\d+)<\/td>/g,
      ),
    ].map((m) => m.slice(1))
    const outOfArea = await w.db
      .selectFrom('school')
      .select('name')
      .where('id', '=', w.outOfAreaSchoolId)
      .executeTakeFirstOrThrow()
    expect(rows).toEqual(
      [
        ['Oakvale Academy', '8', '4', '6'],
        [outOfArea.name, '1', '1', '0'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    )
    const dashboard = await head.get(`/oversight?authority=${w.oakId}&term=2026-autumn`)
    expect(dashboard.body).toContain('href="/oversight/missing-data?')
  })

  it('refuses none selected, and a school with nothing missing, sending nothing', async () => {
    const consultant = await w.agent('oak.consultant@example.org')
    await consultant.get(url())
    const none = await consultant.post('/oversight/missing-data/remind', ask([]))
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('href="#schools">Select the schools to ask')
    const otherSchool = await w.db
      .selectFrom('school')
      .select('id')
      .where('authority_id', '=', w.harrowfieldId)
      .where('id', '!=', w.outOfAreaSchoolId)
      .executeTakeFirstOrThrow()
    const stale = await consultant.post(
      '/oversight/missing-data/remind',
      ask([w.schoolId, otherSchool.id]),
    )
    expect(stale.statusCode).toBe(400)
    expect(stale.body).toContain('has now sent this term’s data: nothing was sent')
    const alerts = await w.db
      .selectFrom('task')
      .select('id')
      .where('kind', '=', 'data-reminder')
      .execute()
    expect(alerts).toEqual([])
  })

  it('asks the designated teachers on each child’s access list: an alert a child, one email', async () => {
    const consultant = await w.agent('oak.consultant@example.org')
    await consultant.get(url())
    const response = await consultant.post(
      '/oversight/missing-data/remind',
      ask([w.schoolId, w.outOfAreaSchoolId]),
    )
    expect(response.statusCode).toBe(303)
    const after = await consultant.get(response.headers.location!)
    expect(after.body).toContain(
      'Asked 2 schools for this term’s data: 1 designated teacher reminded. 1 child has no designated teacher to ask',
    )
    const alerts = await w.db
      .selectFrom('task')
      .innerJoin('child', 'child.id', 'task.child_id')
      .select(['child.first_name as name', 'task.title', 'task.assigned_to'])
      .where('task.kind', '=', 'data-reminder')
      .orderBy('child.first_name')
      .execute()
    expect(alerts.map((a) => a.name)).toEqual([
      'Ada',
      'Ben',
      'Cat',
      'Dan',
      'Eve',
      'Fay',
      'Hal',
      'Kim',
    ])
    expect(new Set(alerts.map((a) => a.assigned_to))).toEqual(
      new Set([w.userIds['oak.teacher@example.org']]),
    )
    expect(alerts.find((a) => a.name === 'Fay')!.title).toBe(
      'The Virtual School asks for this child’s attendance and attainment for this term',
    )
    expect(alerts.find((a) => a.name === 'Eve')!.title).toBe(
      'The Virtual School asks for this child’s attendance for this term',
    )
    const emails = await w.db
      .selectFrom('outbox_email')
      .select(['subject', 'text_body'])
      .where('to_address', '=', 'oak.teacher@example.org')
      .where('subject', '=', 'The Virtual School: this term’s attendance and attainment')
      .execute()
    expect(emails).toHaveLength(1)
    expect(emails[0]!.text_body).not.toContain('Oakfixture')
    const audited = await w.db
      .selectFrom('audit_event')
      .select('child_id')
      .where('action', '=', 'oversight.missing-data.remind')
      .execute()
    expect(audited).toHaveLength(9)
  })

  it('gives a social worker nothing, and Harrowfield’s head nothing of Oakvale', async () => {
    const sw = await w.agent('oak.social.worker@example.org')
    expect((await sw.get(url())).statusCode).toBe(403)
    const post = await sw.post('/oversight/missing-data/remind', ask([w.schoolId]))
    expect(post.statusCode).toBe(403)
    const other = await w.agent('vs.head@example.org')
    const refused = await other.get(url())
    expect(refused.statusCode).toBe(400)
    expect(refused.body).not.toContain('Oakvale Academy')
  })
})
