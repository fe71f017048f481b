import { describe, expect, it } from 'vitest'
import { readDateInput } from './date-input.ts'

const read = (day: string, month: string, year: string) =>
  readDateInput({ 'd-day': day, 'd-month': month, 'd-year': year }, 'd', 'the date of the move')

describe('GOV.UK date input', () => {
  it('reads a real date, with or without leading zeros', () => {
    expect(read('1', '9', '2026')).toMatchObject({ ok: true, value: '2026-09-01' })
    expect(read('01', '09', '2026')).toMatchObject({ ok: true, value: '2026-09-01' })
    expect(read('29', '2', '2028')).toMatchObject({ ok: true, value: '2028-02-29' })
  })

  it('asks for a missing date, or the missing part', () => {
    expect(read('', '', '')).toMatchObject({ ok: false, error: 'Enter the date of the move' })
    expect(read('1', '', '2026')).toMatchObject({
      ok: false,
      error: 'The date of the move must include a month',
      part: 'month',
    })
    expect(read('1', '9', '')).toMatchObject({
      ok: false,
      error: 'The date of the move must include a year',
      part: 'year',
    })
  })

  it('refuses dates that do not exist, and keeps what was typed', () => {
    expect(read('31', '2', '2026')).toMatchObject({
      ok: false,
      error: 'The date of the move must be a real date',
    })
    expect(read('29', '2', '2026')).toMatchObject({
      ok: false,
      error: 'The date of the move must be a real date',
    })
    expect(read('1', '13', '2026')).toMatchObject({ ok: false })
    expect(read('1', '9', '26')).toMatchObject({
      ok: false,
      typed: { day: '1', month: '9', year: '26' },
    })
    expect(read('one', '9', '2026')).toMatchObject({ ok: false, typed: { day: 'one' } })
  })
})
