import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { termFigures } from '../../domain/oversight.ts'
import { termKey, type Term } from '../../domain/terms.ts'
import { oversightWorld, type OversightWorld } from '../../testing/oversight-world.ts'
import { makeAttendancePeriod } from '../../testing/factories.ts'
import { readTermCohort } from './cohort.query.ts'
import { readTermFigures } from './figures.query.ts'

/*
 * The dashboard counts its figures in the database (figures.query.ts). Here they are held equal
 * to termFigures, the same figures counted in JavaScript from the cohort's rows (the rules of
 * src/domain/oversight.ts, whose answers dashboard.test.ts, flags.test.ts and
 * circumstances.test.ts work out by hand), on Oakvale (src/testing/oversight-world.ts) with
 * this file's own education data, on the days either side of each edge: a term's first and last
 * days, the window's day and the day after, a target date and a school's due date, the review
 * gap's day, a period's or an exclusion's first and last days.
 *
 * Data beside the world's: attendance for Ada (90 of 100: exactly 90%), Ben (a period spanning
 * summer and autumn), Cat (corrected) and Dan (two periods); exclusions for Dan (2-3 November),
 * Gus (from 1 September) and Fay (6-7 July); Gus behind in Mathematics in summer and autumn;
 * placements for Ada, Ben and Cat; reviews held by Ada on 23 May and Ben on 22 May; alternative
 * provision for Ada from 31 August, part-time for Dan 1 June to 31 August, NEET for Eve from
 * 1 September and for Fay from 1 May; Jo's school out of the area from the day he entered care.
 */

let w: OversightWorld
const at = new Date('2026-11-23T10:00:00Z')

beforeAll(async () => {
  w = await oversightWorld()
  const db = w.db
  const id = (name: string) => w.childIds[name]!
  for (const [name, on] of [
    ['Ada', '2026-05-23'],
    ['Ben', '2026-05-22'],
  ] as const)
    await db
      .updateTable('pep')
      .set({ meeting_on: on })
      .where('child_id', '=', id(name))
      .where('academic_year', '=', 2025)
      .where('term', '=', 'summer')
      .execute()
  const period = (
    name: string,
    startsOn: string,
    endsOn: string,
    possible: number,
    attended: number,
    supersededBy?: string,
  ) =>
    makeAttendancePeriod(db, {
      childId: id(name),
      schoolId: w.schoolId,
      startsOn,
      endsOn,
      possible,
      attended,
      at,
      supersededBy,
    })
  await period('Ada', '2026-09-01', '2026-10-23', 100, 90)
  await period('Ben', '2026-07-01', '2026-09-10', 40, 19)
  const cat = await period('Cat', '2026-09-01', '2026-10-23', 100, 95)
  await period('Cat', '2026-09-01', '2026-10-23', 100, 50, cat)
  await period('Dan', '2026-09-01', '2026-10-23', 100, 89)
  await period('Dan', '2026-10-24', '2026-11-20', 100, 92)
  for (const [name, from, to] of [
    ['Dan', '2026-11-02', '2026-11-03'],
    ['Gus', '2026-09-01', null],
    ['Fay', '2026-07-06', '2026-07-07'],
  ] as const)
    await db
      .insertInto('exclusion')
      .values({
        child_id: id(name),
        school_id: w.schoolId,
        kind: to ? 'suspension' : 'permanent',
        starts_on: from,
        ends_on: to,
        sessions_missed: 4,
        reason: 'persistent-disruptive',
        provision: '',
        recorded_at: at,
      })
      .execute()
  for (const [academicYear, term, workingAt] of [
    [2025, 'summer', '3'],
    [2026, 'autumn', '4'],
  ] as const)
    await db
      .insertInto('attainment_entry')
      .values({
        child_id: id('Gus'),
        subject: 'Mathematics',
        academic_year: academicYear,
        term,
        scale: 'gcse',
        working_at: workingAt,
        expected: '5',
        recorded_at: at,
      })
      .execute()
  for (const [name, placement] of [
    ['Ada', 'Foster care'],
    ['Ben', 'Foster care'],
    ['Cat', 'Children’s home'],
  ] as const)
    await w.updateChild(name, { placement })
  for (const [name, kind, from, to] of [
    ['Ada', 'alternative_provision', '2026-08-31', null],
    ['Dan', 'part_time', '2026-06-01', '2026-08-31'],
    ['Eve', 'neet', '2026-09-01', null],
    ['Fay', 'neet', '2026-05-01', null],
  ] as const)
    await db
      .insertInto('child_education_circumstance')
      .values({
        child_id: id(name),
        kind,
        starts_on: from,
        ends_on: to,
        provider: kind === 'alternative_provision' ? 'Oak Learning Centre' : null,
        hours_per_week: kind === 'part_time' ? 15 : null,
        reason: kind === 'part_time' ? 'Phased return' : null,
        recorded_at: at,
      })
      .execute()
  await w.updateChild('Jo', { school_id: w.outOfAreaSchoolId })
})
afterAll(async () => w?.close())

const autumn: Term = { academicYear: 2026, name: 'autumn' }
const summer: Term = { academicYear: 2025, name: 'summer' }

/** Each term with the days either side of its edges. */
const cases: [Term, string][] = [
  // Summer 2026 (academic year 2025): the window's day (7 July) and the day after, the last day of
  // the term, and the first day of the next.
  ...['2026-07-06', '2026-07-07', '2026-07-08', '2026-08-31', '2026-09-01', '2026-11-23'].map(
    (d): [Term, string] => [summer, d],
  ),
  // Autumn 2026: its first day, Dan's suspension, Ben's target (22 November) and Fay's school's
  // part (due 22 November), today, the review gap's day for Ada (23 November), the window (7
  // December) and the day after, the last day, and after it.
  ...[
    '2026-09-01',
    '2026-11-02',
    '2026-11-22',
    '2026-11-23',
    '2026-11-24',
    '2026-12-07',
    '2026-12-08',
    '2026-12-31',
    '2027-01-01',
  ].map((d): [Term, string] => [autumn, d]),
]

describe('the dashboard’s figures counted in SQL equal those counted from the cohort’s rows', () => {
  it.each(cases)('%o on %s', async (term, today) => {
    for (const authorityId of [w.oakId, w.harrowfieldId]) {
      const counted = await readTermFigures(w.db, authorityId, term, today)
      const cohort = await readTermCohort(w.db, authorityId, term, today)
      const expected = termFigures(cohort.rows, cohort.frame, cohort.asOf)
      expect(counted.figures, `${termKey(term)} on ${today}`).toEqual(expected)
      expect(counted.frame).toEqual(cohort.frame)
      // The children who entered care in the term, by name; the schools with their area.
      expect(counted.entered.map((c) => c.childId).sort()).toEqual(
        cohort.rows
          .filter((c) => c.enteredCareOn >= cohort.termStart)
          .map((c) => c.childId)
          .sort(),
      )
      const schools = new Map(
        cohort.rows
          .filter((c) => c.schoolId !== null)
          .map((c) => [c.schoolId!, { name: c.schoolName, inArea: c.schoolInArea === true }]),
      )
      expect(Object.fromEntries(counted.schools.map((s) => [s.id, s]))).toEqual(
        Object.fromEntries([...schools].map(([id, s]) => [id, { id, ...s }])),
      )
    }
  })

  it('is not an empty answer: Oakvale’s autumn has each kind of figure to count', async () => {
    const { figures } = await readTermFigures(w.db, w.oakId, autumn, '2026-12-08')
    expect(figures.cohort).toBe(10)
    expect(figures.overdue.past_window).toBe(9)
    expect(figures.education).toEqual({
      persistent_absence: 2,
      severe_absence: 1,
      below_line: 1,
      excluded: 2,
      not_making_progress: 1,
    })
    expect(figures.circumstances).toEqual({ alternative_provision: 1, part_time: 0, neet: 2 })
    expect(figures.byPlacement).toEqual({ 'Foster care': 2, 'Children’s home': 1, '': 7 })
    expect(figures.outOfArea).toBe(2)
  })
})
