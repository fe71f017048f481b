import { addDays, parseCalendarDate, toCalendarDate, type CalendarDate } from './calendar-date.ts'

/*
 * Bank holidays in England and Wales, shipped as data for the years in BANK_HOLIDAY_YEARS.
 *
 * The regular days follow the standing rules: New Year's Day, Good Friday and Easter Monday
 * (from the date of Easter, computed below), the early May bank holiday (first Monday in May),
 * the spring bank holiday (last Monday in May), the summer bank holiday (last Monday in August),
 * Christmas Day and Boxing Day. New Year's Day, Christmas Day and Boxing Day falling on a
 * weekend are replaced by the next weekday that is not already a holiday ("substitute days").
 *
 * The one-off changes made by royal proclamation are listed as data in ONE_OFFS: a year's
 * regular day moved, removed or added. Years after the last proclamation follow the rules; if a
 * future proclamation changes a year, add it to ONE_OFFS (and extend BANK_HOLIDAY_YEARS when
 * a new year is needed).
 *
 * Outside BANK_HOLIDAY_YEARS there is no data: no date is a bank holiday there, so working days
 * skip only weekends (and the authority's closure days).
 */

export const BANK_HOLIDAY_YEARS = { first: 2020, last: 2030 } as const

export interface BankHoliday {
  date: CalendarDate
  name: string
}

/** Easter Sunday in the Gregorian calendar (the anonymous Meeus/Jones/Butcher algorithm). */
export function easterSunday(year: number): CalendarDate {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return toCalendarDate({ year, month, day })
}

/** 0 for Sunday to 6 for Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  const parts = parseCalendarDate(date)
  if (!parts) throw new RangeError(`Not a calendar date: ${date}`)
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay()
}

export function isWeekend(date: CalendarDate): boolean {
  const day = dayOfWeek(date)
  return day === 0 || day === 6
}

/** The first Monday on or after a date. */
function mondayOnOrAfter(date: CalendarDate): CalendarDate {
  return addDays(date, (8 - dayOfWeek(date)) % 7)
}

/** The last Monday on or before a date. */
function mondayOnOrBefore(date: CalendarDate): CalendarDate {
  return addDays(date, -((dayOfWeek(date) + 6) % 7))
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The regular bank holidays of a year, by the standing rules, before any one-off change. */
function regularBankHolidays(year: number): BankHoliday[] {
  const on = (month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`
  const easter = easterSunday(year)
  const holidays: BankHoliday[] = [
    { date: on(1, 1), name: 'New Year’s Day' },
    { date: addDays(easter, -2), name: 'Good Friday' },
    { date: addDays(easter, 1), name: 'Easter Monday' },
    { date: mondayOnOrAfter(on(5, 1)), name: 'Early May bank holiday' },
    { date: mondayOnOrBefore(on(5, 31)), name: 'Spring bank holiday' },
    { date: mondayOnOrBefore(on(8, 31)), name: 'Summer bank holiday' },
    { date: on(12, 25), name: 'Christmas Day' },
    { date: on(12, 26), name: 'Boxing Day' },
  ]
  // Substitute days: a fixed-date holiday on a weekend moves to the next weekday not taken.
  // (Christmas Day on a Sunday: Boxing Day keeps Monday and Christmas moves to Tuesday.)
  const taken = new Set(holidays.filter((h) => !isWeekend(h.date)).map((h) => h.date))
  return holidays.map((holiday) => {
    if (!isWeekend(holiday.date)) return holiday
    let date = holiday.date
    while (isWeekend(date) || taken.has(date)) date = addDays(date, 1)
    taken.add(date)
    return { date, name: `${holiday.name} (substitute day)` }
  })
}

interface OneOff {
  /** The regular day that moved or was removed (its date under the standing rules). */
  instead?: CalendarDate
  /** The day kept instead, or an extra day when `instead` is absent. */
  date?: CalendarDate
  name?: string
}

/** Changes made by royal proclamation. */
const ONE_OFFS: Record<number, OneOff[]> = {
  2020: [
    // VE Day 75: the early May bank holiday moved from Monday 4 May to Friday 8 May.
    { instead: '2020-05-04', date: '2020-05-08', name: 'Early May bank holiday (VE day)' },
  ],
  2022: [
    // Platinum Jubilee: the spring bank holiday moved from Monday 30 May to Thursday 2 June,
    // and Friday 3 June was added.
    { instead: '2022-05-30', date: '2022-06-02', name: 'Spring bank holiday' },
    { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
    { date: '2022-09-19', name: 'Bank Holiday for the State Funeral of Queen Elizabeth II' },
  ],
  2023: [{ date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' }],
}

function bankHolidaysFor(year: number): BankHoliday[] {
  let holidays = regularBankHolidays(year)
  for (const change of ONE_OFFS[year] ?? []) {
    if (change.instead !== undefined) {
      const before = holidays.length
      holidays = holidays.filter((h) => h.date !== change.instead)
      if (holidays.length !== before - 1) throw new Error(`No bank holiday on ${change.instead}`)
    }
    if (change.date !== undefined) holidays.push({ date: change.date, name: change.name ?? '' })
  }
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

const BY_YEAR = new Map<number, readonly BankHoliday[]>()
const BY_DATE = new Map<CalendarDate, string>()
for (let year = BANK_HOLIDAY_YEARS.first; year <= BANK_HOLIDAY_YEARS.last; year++) {
  const holidays = Object.freeze(bankHolidaysFor(year).map((h) => Object.freeze(h)))
  BY_YEAR.set(year, holidays)
  for (const holiday of holidays) BY_DATE.set(holiday.date, holiday.name)
}

/** A year's bank holidays in date order: none for a year outside BANK_HOLIDAY_YEARS. */
export function bankHolidaysIn(year: number): readonly BankHoliday[] {
  return BY_YEAR.get(year) ?? []
}

/** The bank holiday's name, or undefined when the date is not one (or is outside the data). */
export function bankHolidayName(date: CalendarDate): string | undefined {
  return BY_DATE.get(date)
}

export function isBankHoliday(date: CalendarDate): boolean {
  return BY_DATE.has(date)
}

/** Every bank holiday in the data, in date order. */
export function allBankHolidays(): readonly BankHoliday[] {
  return [...BY_YEAR.values()].flat()
}
