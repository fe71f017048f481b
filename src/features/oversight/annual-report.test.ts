import { parse } from 'csv-parse/sync'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { OAK_HEAD, OAK_SOCIAL_WORKER, useOversightWorld } from '../../testing/oversight-world.ts'
import { makeAttendancePeriod, makeChild } from '../../testing/factories.ts'

/*
 * The annual report on Oakvale (src/testing/oversight-world.ts): 2026/27 runs from 1 September
 * to today (23 November 2026), only its autumn term begun; 2025/26 is whole.
 */

const w = useOversightWorld(async () => {
  const at = w.t.clock.now()
  // A child who entered and left care within 2025/26, and attendance and an exclusion this year.
  await makeChild(w.db, {
    authorityId: w.oakId,
    firstName: 'Lou',
    lastName: 'Oakfixture',
    dateOfBirth: '2012-10-15',
    gender: 'male',
    caseReference: 'OAK-Lou',
    enteredCareOn: '2025-10-01',
    status: 'ceased',
    ceasedOn: '2026-02-01',
  })
  // Ben attended 90 of 100: missed 10%, persistent absence at its edge. Cat 91 of 100: not.
  for (const [name, attended] of [
    ['Ben', 90],
    ['Cat', 91],
  ] as const)
    await makeAttendancePeriod(w.db, {
      childId: w.childIds[name]!,
      schoolId: w.schoolId,
      startsOn: '2026-09-03',
      endsOn: '2026-10-23',
      possible: 100,
      attended,
      at,
    })
  await w.db
    .insertInto('exclusion')
    .values({
      child_id: w.childIds['Fay']!,
      school_id: w.schoolId,
      kind: 'suspension',
      starts_on: '2026-10-05',
      ends_on: '2026-10-06',
      sessions_missed: 4,
      reason: 'Fictional',
      provision: 'Work set',
      recorded_at: at,
    })
    .execute()
  // Issue 17's circumstances, at the edges of the cohort's day: Ada in alternative provision
  // from today (counted in autumn 2026); Cat part-time to yesterday (not counted today); Dan NEET
  // on 31 August and 1 September 2026 (summer 2026's last day: counted there, not in autumn).
  const circumstance = (
    name: string,
    kind: 'alternative_provision' | 'part_time' | 'neet',
    from: string,
    to: string | null,
  ) =>
    w.db
      .insertInto('child_education_circumstance')
      .values({
        child_id: w.childIds[name]!,
        kind,
        starts_on: from,
        ends_on: to,
        provider: kind === 'alternative_provision' ? 'Oak Learning Centre' : null,
        hours_per_week: kind === 'part_time' ? 10 : null,
        reason: kind === 'part_time' ? 'Phased return' : null,
        recorded_at: at,
      })
      .execute()
  await circumstance('Ada', 'alternative_provision', '2026-11-23', null)
  await circumstance('Cat', 'part_time', '2026-09-01', '2026-11-22')
  await circumstance('Dan', 'neet', '2026-08-31', '2026-09-01')
})

/** The cells of a figure's row, in order (terms, then the year). */
function cells(html: string, figure: string): string[] {
  const start = html.indexOf(`>${figure}</th>`)
  if (start < 0) throw new Error(`No row for ${figure}`)
  const row = html.slice(start, html.indexOf('</tr>', start))
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!)
}

describe('the annual report', () => {
  it('shows this academic year so far: movement, the autumn term’s PEPs, attendance and exclusions', async () => {
    const head = await w.agent(OAK_HEAD)
    const response = await head.get('/oversight/annual-report')
    expect(response.statusCode).toBe(200)
    const html = response.body
    expect(html).toContain('Annual report 2026/27')
    // 1 September: Ada to Ivy (9); entered: Jo and Kim; ceased: Ivy (10 November).
    expect(cells(html, 'In care on 1 September')).toEqual(['', '', '', '9'])
    expect(cells(html, 'Entered care')).toEqual(['', '', '', '2'])
    expect(cells(html, 'Ceased to be in care')).toEqual(['', '', '', '1'])
    expect(cells(html, 'In care today')).toEqual(['', '', '', '10'])
    expect(cells(html, 'Children in care (the term’s cohort)')).toEqual(['10', '', '', ''])
    expect(cells(html, 'Signed off by the term’s window')).toEqual(['1', '', '', '1'])
    expect(cells(html, 'Share signed off by the window')).toEqual(['10%', '', '', '10%'])
    expect(cells(html, 'Rated good')).toEqual(['1', '', '', '1'])
    expect(cells(html, 'Children with attendance recorded')).toEqual(['', '', '', '2'])
    expect(cells(html, 'Missed 10% or more of their sessions (persistent absence)')).toEqual([
      '',
      '',
      '',
      '1',
    ])
    expect(cells(html, 'Suspensions')).toEqual(['', '', '', '1'])
    expect(cells(html, 'Paid to schools and settings')).toEqual(['', '', '', '£0.00'])
    // The dashboard's flags, term by term (no year's cell: a child would count once a term).
    // Ben missed 10 of 100 sessions: persistent, not severe, and 90% is not below the 90% line.
    expect(cells(html, 'Persistently absent (missed 10% or more)')).toEqual(['1', '', '', ''])
    expect(cells(html, 'Severely absent (missed 50% or more)')).toEqual(['0', '', '', ''])
    expect(cells(html, 'Attendance below the authority’s line')).toEqual(['0', '', '', ''])
    expect(cells(html, 'Suspended or excluded this term')).toEqual(['1', '', '', ''])
    expect(cells(html, 'Not making expected progress')).toEqual(['0', '', '', ''])
    // No meeting held: Ada to Hal's reviews were due 6 months after entering care in 2020 (8);
    // Jo (2 November) and Kim (1 October) are not yet due.
    expect(cells(html, 'Past the longest gap between reviews')).toEqual(['8', '', '', ''])
    expect(cells(html, 'In alternative provision on the term’s last day (or today)')).toEqual([
      '1',
      '',
      '',
      '',
    ])
    expect(cells(html, 'On a part-time timetable on the term’s last day (or today)')).toEqual([
      '0',
      '',
      '',
      '',
    ])
    expect(cells(html, 'NEET (post-16) on the term’s last day (or today)')).toEqual([
      '0',
      '',
      '',
      '',
    ])
  })

  it('shows a whole past year, whose counts add up', async () => {
    const head = await w.agent(OAK_HEAD)
    const html = (await head.get('/oversight/annual-report?year=2025')).body
    expect(html).toContain('Annual report 2025/26')
    // Ada to Ivy in care all year; Lou entered on 1 October 2025 and left on 1 February 2026.
    expect(cells(html, 'In care on 1 September')).toEqual(['', '', '', '9'])
    expect(cells(html, 'Entered care')).toEqual(['', '', '', '1'])
    expect(cells(html, 'Ceased to be in care')).toEqual(['', '', '', '1'])
    expect(cells(html, 'In care on 31 August')).toEqual(['', '', '', '9'])
    expect(cells(html, 'In care at any time in the year')).toEqual(['', '', '', '10'])
    // Summer 2026: Ada signed off on the window's day, Ben the day after.
    expect(cells(html, 'Signed off')).toEqual(['0', '0', '2', '2'])
    expect(cells(html, 'Signed off by the term’s window')).toEqual(['0', '0', '1', '1'])
    // Autumn 2025's cohort is Ada to Ivy and Lou (in care on 31 December 2025).
    expect(cells(html, 'Children in care (the term’s cohort)')).toEqual(['10', '9', '9', ''])
    // Lou entered care on 1 October 2025: due by 1 April 2026, so in time on 31 December 2025.
    expect(cells(html, 'Past the longest gap between reviews')).toEqual(['9', '9', '9', ''])
    expect(cells(html, 'NEET (post-16) on the term’s last day (or today)')).toEqual([
      '0',
      '0',
      '1',
      '',
    ])
  })

  it('exports the same figures as CSV, audited with the year', async () => {
    const head = await w.agent(OAK_HEAD)
    const response = await head.get('/oversight/annual-report/export?year=2025&format=csv')
    expect(response.statusCode).toBe(200)
    const lines = parse(response.body.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
    }) as string[][]
    expect(lines[0]).toEqual(['Authority: Oakvale'])
    expect(lines[4]).toEqual([
      'Section',
      'Figure',
      'Autumn term 2025',
      'Spring term 2026',
      'Summer term 2026',
      'Year',
    ])
    expect(lines).toContainEqual(['PEPs', 'Signed off', '0', '0', '2', '2'])
    const events = await w.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'oversight.annual-report.export')
      .execute()
    expect(events.map((e) => e.details)).toEqual([{ filters: { year: '2025', format: 'csv' } }])
  })

  it('exports a ZIP of one CSV per table of the page, with the page’s figures, audited with the year', async () => {
    const head = await w.agent(OAK_HEAD)
    const page = (await head.get('/oversight/annual-report?year=2025')).body
    expect(page).toContain('href="/oversight/annual-report/export?authority=')
    expect(page).toMatch(/year=2025&amp;format=zip" download>ZIP of CSV files/)
    const response = await head.get('/oversight/annual-report/export?year=2025&format=zip')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/zip')
    expect(response.headers['content-disposition']).toContain(
      'filename="annual report Oakvale 2025 26.zip"',
    )
    const files = unzipSync(new Uint8Array(response.rawPayload))
    expect(Object.keys(files)).toEqual([
      'cohort-movement.csv',
      'peps-by-term.csv',
      'quality-ratings.csv',
      'participation.csv',
      'flags-by-term.csv',
      'provision-and-timetable.csv',
      'attendance.csv',
      'exclusions.csv',
      'pupil-premium-plus.csv',
    ])
    const csv = (name: string) =>
      parse(new TextDecoder().decode(files[name]).replace(/^\uFEFF/, ''), {
        relax_column_count: true,
      }) as string[][]
    // Each file: the authority, the year, the date, its table's name, a blank line, then the table.
    const peps = csv('peps-by-term.csv')
    expect(peps.slice(0, 4)).toEqual([
      ['Authority: Oakvale'],
      ['Academic year: 2025/26'],
      ['Figures up to: 2026-08-31'],
      ['Table: PEPs'],
    ])
    expect(peps[5]).toEqual([
      'Figure',
      'Autumn term 2025',
      'Spring term 2026',
      'Summer term 2026',
      'Year',
    ])
    // Every row of every file is the same row of the page's table, cell for cell.
    let figures = 0
    for (const name of Object.keys(files))
      for (const [figure, ...row] of csv(name).slice(6)) {
        expect(row).toEqual(cells(page, figure!))
        figures++
      }
    expect(figures).toBe(31)
    expect(csv('cohort-movement.csv').slice(6)).toContainEqual([
      'In care at any time in the year',
      '',
      '',
      '',
      '10',
    ])
    expect(peps).toContainEqual(['Signed off', '0', '0', '2', '2'])
    expect(csv('participation.csv').slice(6)).toHaveLength(1)
    expect(csv('provision-and-timetable.csv').slice(6)).toContainEqual([
      'NEET (post-16) on the term’s last day (or today)',
      '0',
      '0',
      '1',
      '',
    ])
    const events = await w.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'oversight.annual-report.export')
      .execute()
    expect(events.map((e) => e.details)).toContainEqual({
      filters: { year: '2025', format: 'zip' },
    })
  })

  it('refuses a year to come with a GOV.UK error, and a social worker altogether', async () => {
    const head = await w.agent(OAK_HEAD)
    const future = await head.get('/oversight/annual-report?year=2027')
    expect(future.statusCode).toBe(400)
    expect(future.body).toContain(
      'href="#year">The academic year must be this one or an earlier one',
    )
    const sw = await w.agent(OAK_SOCIAL_WORKER)
    expect((await sw.get('/oversight/annual-report')).statusCode).toBe(403)
  })
})
