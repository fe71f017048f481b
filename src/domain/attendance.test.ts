import { describe, expect, it } from 'vitest'
import {
  attendanceFigures,
  belowThreshold,
  checkAttendancePeriod,
  parseSessions,
  type TypedAttendance,
} from './attendance.ts'

const sessions = (possible: number, attended: number, authorised = possible - attended) => ({
  possible,
  attended,
  authorised,
  unauthorised: possible - attended - authorised,
})

describe('the figures of a period, from its sessions', () => {
  it('gives no percentage and no flag with no possible sessions', () => {
    expect(attendanceFigures(sessions(0, 0))).toEqual({
      percentage: null,
      absent: 0,
      persistentAbsence: false,
      severeAbsence: false,
    })
  })

  it('counts exactly 90.0% as persistent absence (10% of sessions missed), 90.1% not', () => {
    expect(attendanceFigures(sessions(100, 90))).toMatchObject({
      percentage: 90,
      absent: 10,
      persistentAbsence: true,
      severeAbsence: false,
    })
    expect(attendanceFigures(sessions(1000, 901))).toMatchObject({
      percentage: 90.1,
      persistentAbsence: false,
    })
  })

  it('decides from sessions, not from the rounded percentage', () => {
    // 899/999 is 89.99..%, shown as 90.0%, and is persistent absence: 100 missed of 999.
    const f = attendanceFigures(sessions(999, 899))
    expect(f.percentage).toBe(90)
    expect(f.persistentAbsence).toBe(true)
    // 9001/10000 is shown as 90.0% and is not: 999 missed of 10,000 is under 10%.
    const g = attendanceFigures({
      possible: 10_000,
      attended: 9_001,
      authorised: 999,
      unauthorised: 0,
    })
    expect(g.percentage).toBe(90)
    expect(g.persistentAbsence).toBe(false)
  })

  it('counts exactly 50% as severe absence, one session more attended not', () => {
    expect(attendanceFigures(sessions(100, 50)).severeAbsence).toBe(true)
    expect(attendanceFigures(sessions(100, 51)).severeAbsence).toBe(false)
    expect(attendanceFigures(sessions(101, 51)).severeAbsence).toBe(false)
    expect(attendanceFigures(sessions(101, 50)).severeAbsence).toBe(true)
  })

  it('gives 100% with every session attended and 0% with none', () => {
    expect(attendanceFigures(sessions(2, 2)).percentage).toBe(100)
    expect(attendanceFigures(sessions(2, 0))).toMatchObject({ percentage: 0, severeAbsence: true })
  })

  it("says below the authority's line in whole sessions: the line itself is not below", () => {
    expect(belowThreshold(sessions(100, 90), 90)).toBe(false)
    expect(belowThreshold(sessions(100, 89), 90)).toBe(true)
    expect(belowThreshold(sessions(999, 899), 90)).toBe(true)
    expect(belowThreshold(sessions(0, 0), 90)).toBe(false)
    expect(belowThreshold(sessions(10, 0), 0)).toBe(false)
  })
})

const typed = (over: Partial<TypedAttendance> = {}): TypedAttendance => ({
  startsOn: '2026-09-01',
  endsOn: '2026-10-23',
  possible: '76',
  attended: '70',
  authorised: '4',
  unauthorised: '2',
  ...over,
})
const TODAY = '2026-11-23'
const codes = (over: Partial<TypedAttendance>) => {
  const result = checkAttendancePeriod(typed(over), TODAY)
  return result.ok ? [] : result.problems.map((p) => `${p.field} ${p.code}`)
}

describe('checking a period as given', () => {
  it('accepts a period whose sessions add up', () => {
    expect(checkAttendancePeriod(typed(), TODAY)).toEqual({
      ok: true,
      value: {
        startsOn: '2026-09-01',
        endsOn: '2026-10-23',
        possible: 76,
        attended: 70,
        authorised: 4,
        unauthorised: 2,
      },
    })
  })

  it('accepts a period with no possible sessions (a child not yet on roll)', () => {
    expect(codes({ possible: '0', attended: '0', authorised: '0', unauthorised: '0' })).toEqual([])
  })

  it('refuses more sessions attended than possible', () => {
    expect(codes({ possible: '10', attended: '11', authorised: '0', unauthorised: '0' })).toEqual([
      'attended attendance.attended-over-possible',
    ])
  })

  it('refuses sessions that do not add up to those possible', () => {
    expect(codes({ authorised: '5' })).toEqual(['unauthorised attendance.sessions-do-not-add-up'])
  })

  it('refuses missing, fractional, negative and enormous numbers, naming each field', () => {
    expect(codes({ possible: '', attended: '7.5', authorised: '-1', unauthorised: '501' })).toEqual(
      [
        'possible attendance.sessions-missing',
        'attended attendance.sessions-not-whole',
        'authorised attendance.sessions-not-whole',
        'unauthorised attendance.sessions-too-many',
      ],
    )
    expect(parseSessions(' 12 ')).toBe(12)
    expect(parseSessions('500')).toBe(500)
  })

  it('refuses dates missing, not real, backwards, in the future or over a year apart', () => {
    expect(codes({ startsOn: '', endsOn: '2026-02-30' })).toEqual([
      'startsOn attendance.date-missing',
      'endsOn attendance.date-invalid',
    ])
    expect(codes({ startsOn: '2026-10-24' })).toEqual(['endsOn attendance.ends-before-start'])
    expect(codes({ endsOn: '2026-11-24' })).toEqual(['endsOn attendance.ends-in-future'])
    expect(codes({ endsOn: TODAY })).toEqual([])
    expect(codes({ startsOn: '2025-09-01', endsOn: '2026-08-31' })).toEqual([])
    expect(codes({ startsOn: '2025-09-01', endsOn: '2026-09-02' })).toEqual([
      'endsOn attendance.period-too-long',
    ])
  })

  it('accepts a period spanning two terms and a one-day period', () => {
    expect(codes({ startsOn: '2026-07-01', endsOn: '2026-09-30' })).toEqual([])
    expect(codes({ startsOn: '2026-10-23', endsOn: '2026-10-23' })).toEqual([])
  })
})
