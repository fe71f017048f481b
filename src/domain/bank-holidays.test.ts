import { describe, expect, it } from 'vitest'
import {
  BANK_HOLIDAY_YEARS,
  allBankHolidays,
  bankHolidayName,
  bankHolidaysIn,
  easterSunday,
  isBankHoliday,
  isWeekend,
} from './bank-holidays.ts'

const dates = (year: number) => bankHolidaysIn(year).map((h) => h.date)

describe('easterSunday', () => {
  it('matches the published dates of Easter', () => {
    const known: Record<number, string> = {
      2019: '2019-04-21',
      2020: '2020-04-12',
      2021: '2021-04-04',
      2022: '2022-04-17',
      2023: '2023-04-09',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2029: '2029-04-01',
      2030: '2030-04-21',
      2038: '2038-04-25',
      2285: '2285-03-22',
    }
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year))).toBe(date)
  })
})

describe('bank holidays in England and Wales', () => {
  // Checked by hand against the published lists.
  it('2024 to 2027 as published', () => {
    expect(dates(2024)).toEqual([
      '2024-01-01',
      '2024-03-29',
      '2024-04-01',
      '2024-05-06',
      '2024-05-27',
      '2024-08-26',
      '2024-12-25',
      '2024-12-26',
    ])
    expect(dates(2025)).toEqual([
      '2025-01-01',
      '2025-04-18',
      '2025-04-21',
      '2025-05-05',
      '2025-05-26',
      '2025-08-25',
      '2025-12-25',
      '2025-12-26',
    ])
    expect(dates(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
    ])
    expect(dates(2027)).toEqual([
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-03',
      '2027-05-31',
      '2027-08-30',
      '2027-12-27',
      '2027-12-28',
    ])
  })

  it('2020: the early May bank holiday moved to VE day, Friday 8 May', () => {
    expect(dates(2020)).toEqual([
      '2020-01-01',
      '2020-04-10',
      '2020-04-13',
      '2020-05-08',
      '2020-05-25',
      '2020-08-31',
      '2020-12-25',
      '2020-12-28',
    ])
    expect(isBankHoliday('2020-05-04')).toBe(false)
  })

  it('2021: Christmas on a Saturday and Boxing Day on a Sunday move to Monday and Tuesday', () => {
    expect(dates(2021)).toEqual([
      '2021-01-01',
      '2021-04-02',
      '2021-04-05',
      '2021-05-03',
      '2021-05-31',
      '2021-08-30',
      '2021-12-27',
      '2021-12-28',
    ])
    expect(bankHolidayName('2021-12-27')).toBe('Christmas Day (substitute day)')
    expect(bankHolidayName('2021-12-28')).toBe('Boxing Day (substitute day)')
  })

  it('2022: the jubilee weekend, the state funeral, and Christmas on a Sunday', () => {
    expect(dates(2022)).toEqual([
      '2022-01-03',
      '2022-04-15',
      '2022-04-18',
      '2022-05-02',
      '2022-06-02',
      '2022-06-03',
      '2022-08-29',
      '2022-09-19',
      '2022-12-26',
      '2022-12-27',
    ])
    // The spring bank holiday moved from the last Monday in May.
    expect(isBankHoliday('2022-05-30')).toBe(false)
    expect(bankHolidayName('2022-12-26')).toBe('Boxing Day')
    expect(bankHolidayName('2022-12-27')).toBe('Christmas Day (substitute day)')
    expect(bankHolidayName('2022-01-03')).toBe('New Year’s Day (substitute day)')
  })

  it('2023: the coronation added Monday 8 May; New Year’s Day on a Sunday', () => {
    expect(dates(2023)).toEqual([
      '2023-01-02',
      '2023-04-07',
      '2023-04-10',
      '2023-05-01',
      '2023-05-08',
      '2023-05-29',
      '2023-08-28',
      '2023-12-25',
      '2023-12-26',
    ])
  })

  it('2028 to 2030 by the standing rules', () => {
    expect(dates(2028)).toEqual([
      '2028-01-03',
      '2028-04-14',
      '2028-04-17',
      '2028-05-01',
      '2028-05-29',
      '2028-08-28',
      '2028-12-25',
      '2028-12-26',
    ])
    expect(dates(2029)).toEqual([
      '2029-01-01',
      '2029-03-30',
      '2029-04-02',
      '2029-05-07',
      '2029-05-28',
      '2029-08-27',
      '2029-12-25',
      '2029-12-26',
    ])
    expect(dates(2030)).toEqual([
      '2030-01-01',
      '2030-04-19',
      '2030-04-22',
      '2030-05-06',
      '2030-05-27',
      '2030-08-26',
      '2030-12-25',
      '2030-12-26',
    ])
  })

  it('every bank holiday is a weekday, each date once', () => {
    const all = allBankHolidays()
    expect(all.length).toBeGreaterThan(80)
    for (const holiday of all) expect(isWeekend(holiday.date)).toBe(false)
    expect(new Set(all.map((h) => h.date)).size).toBe(all.length)
  })

  it('has no data outside the covered years', () => {
    expect(BANK_HOLIDAY_YEARS).toEqual({ first: 2020, last: 2030 })
    expect(bankHolidaysIn(2019)).toEqual([])
    expect(bankHolidaysIn(2031)).toEqual([])
    expect(isBankHoliday('2019-12-25')).toBe(false)
    expect(isBankHoliday('2031-12-25')).toBe(false)
    expect(bankHolidayName('2026-11-23')).toBeUndefined()
  })
})
