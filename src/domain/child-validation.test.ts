import { describe, expect, it } from 'vitest'
import {
  findDuplicates,
  parseCsvDate,
  validateChild,
  type ChildRules,
  type RawChild,
} from './child-validation.ts'
import { childProblemText } from '../forms/child-messages.ts'
import { normaliseUpn, upnCheckLetter, upnProblem, withCheckLetter } from './upn.ts'

const rules: ChildRules = {
  today: '2026-11-23',
  resolveSchool: (v) => (v === '990001' ? { id: 'school-1' } : { error: `No school ${v}` }),
  resolveOwner: (v) => (v === 'sw@example.org' ? { id: 'user-1' } : { error: `No owner ${v}` }),
  caseReferenceTaken: (ref) => ref === 'TAKEN',
}

const raw = (overrides: Partial<RawChild> = {}): RawChild => ({
  firstName: 'Dafydd',
  lastName: 'Ŵyn',
  preferredName: '',
  dateOfBirth: { ok: true, value: '2014-02-28' },
  gender: 'male',
  upn: '',
  uln: '',
  caseReference: 'CR-1',
  enteredCareOn: { ok: true, value: '2020-01-01' },
  emergencyPlacement: 'no',
  legalStatus: '',
  placement: '',
  school: '',
  senStatus: '',
  yearGroupOverride: '',
  recordOwner: '',
  ...overrides,
})

/** The problems found, each with the words the forms and the import report show for its code. */
const problems = (input: RawChild, r: ChildRules = rules) => {
  const result = validateChild(input, r)
  return result.ok
    ? []
    : result.problems.map((p) => ({ field: p.field, message: childProblemText(p) }))
}

describe('UPN', () => {
  it('computes the DfE check letter (weights 2 to 13, modulo 23, no I, O or S)', () => {
    // 0*2+0*3+...+1*13 = 13 -> the 14th letter of ABCDEFGHJKLMNPQRTUVWXYZ is P.
    expect(upnCheckLetter('?000000000001')).toBe('P')
    expect(upnCheckLetter('?000000000000')).toBe('A')
    expect(upnProblem('P000000000001')).toBeUndefined()
    expect(upnProblem('A000000000001')).toBe('check-letter')
  })

  it('accepts a temporary UPN with a letter last, and refuses I, O and S', () => {
    const temporary = withCheckLetter('12345678901A')
    expect(upnProblem(temporary)).toBeUndefined()
    expect(upnProblem(withCheckLetter('12345678901I'))).toBe('format')
    expect(upnProblem(`I${'0'.repeat(12)}`)).toBe('format')
  })

  it('refuses the wrong length and letters in the middle, after removing spaces and lower case', () => {
    expect(normaliseUpn(' p000 0000 00001 ')).toBe('P000000000001')
    expect(upnProblem('P00000000001')).toBe('format')
    expect(upnProblem('P0000000000012')).toBe('format')
    expect(upnProblem('P00000A000001')).toBe('format')
  })
})

describe('CSV dates', () => {
  it('reads ISO and day-first dates', () => {
    expect(parseCsvDate('2014-02-28', 'Date of birth')).toEqual({ ok: true, value: '2014-02-28' })
    expect(parseCsvDate('1/3/2014', 'Date of birth')).toEqual({ ok: true, value: '2014-03-01' })
  })

  it('refuses 31 February and 29 February outside a leap year, accepts it in one', () => {
    expect(parseCsvDate('31/02/2016', 'Date of birth')).toEqual({
      ok: false,
      error: 'Date of birth must be a real date',
    })
    expect(parseCsvDate('2015-02-29', 'Date of birth').ok).toBe(false)
    expect(parseCsvDate('2016-02-29', 'Date of birth')).toEqual({ ok: true, value: '2016-02-29' })
    expect(parseCsvDate('2000-02-29', 'Date of birth').ok).toBe(true)
    expect(parseCsvDate('1900-02-29', 'Date of birth').ok).toBe(false)
  })

  it('asks for a missing date and explains a wrong format', () => {
    expect(parseCsvDate('', 'Date entered care')).toEqual({
      ok: false,
      error: 'Enter the date entered care',
    })
    expect(parseCsvDate('28.02.2014', 'Date of birth')).toEqual({
      ok: false,
      error: 'Date of birth must be a date like 2014-02-28 or 28/02/2014',
    })
  })
})

describe('a child’s core data', () => {
  it('accepts a valid child and keeps Unicode names exactly', () => {
    const result = validateChild(
      raw({ firstName: 'Siobhán 😀', lastName: "O'Connell", emergencyPlacement: 'YES' }),
      rules,
    )
    expect(result).toMatchObject({
      ok: true,
      value: {
        firstName: 'Siobhán 😀',
        lastName: "O'Connell",
        senStatus: 'none',
        emergencyPlacement: true,
        schoolId: null,
      },
    })
  })

  it('requires names, gender, case reference and emergency placement', () => {
    const found = problems(
      raw({ firstName: '', lastName: '', gender: '', caseReference: '', emergencyPlacement: '' }),
    )
    expect(found.map((p) => p.field)).toEqual([
      'firstName',
      'lastName',
      'gender',
      'caseReference',
      'emergencyPlacement',
    ])
  })

  it('allows entering care on the day of birth, not the day before', () => {
    expect(problems(raw({ enteredCareOn: { ok: true, value: '2014-02-28' } }))).toEqual([])
    expect(problems(raw({ enteredCareOn: { ok: true, value: '2014-02-27' } }))).toEqual([
      {
        field: 'enteredCareOn',
        message: 'Date entered care must be on or after the date of birth',
      },
    ])
  })

  it('allows a planned entry into care up to 90 days ahead, not 91; a birth today but not tomorrow', () => {
    expect(problems(raw({ enteredCareOn: { ok: true, value: '2026-11-23' } }))).toEqual([])
    expect(problems(raw({ enteredCareOn: { ok: true, value: '2026-11-24' } }))).toEqual([])
    // 23 November 2026 + 90 days is 21 February 2027.
    expect(problems(raw({ enteredCareOn: { ok: true, value: '2027-02-21' } }))).toEqual([])
    expect(problems(raw({ enteredCareOn: { ok: true, value: '2027-02-22' } }))).toEqual([
      {
        field: 'enteredCareOn',
        message:
          'Date entered care must be no more than 90 days from today (a planned entry into care)',
      },
    ])
    expect(problems(raw({ dateOfBirth: { ok: true, value: '2026-11-24' } }))[0]?.message).toBe(
      'Date of birth must be today or in the past',
    )
  })

  it('checks UPN, ULN, year group, SEN status and the lookups', () => {
    const found = problems(
      raw({
        upn: 'A000000000001',
        uln: '123456789',
        yearGroupOverride: 'Y14',
        senStatus: 'statement',
        school: '123456',
        recordOwner: 'nobody@example.org',
        caseReference: 'TAKEN',
      }),
    )
    expect(found).toEqual([
      { field: 'upn', message: 'UPN is not valid: check the first letter and every digit' },
      { field: 'uln', message: 'ULN must be 10 digits, like 1234567890' },
      { field: 'caseReference', message: 'Case reference TAKEN is already used by another child' },
      { field: 'school', message: 'No school 123456' },
      { field: 'senStatus', message: 'SEN status must be none, sen_support or ehc_plan' },
      {
        field: 'yearGroupOverride',
        message: 'Year group must be one of N, R, Y1 to Y13, or left empty',
      },
      { field: 'recordOwner', message: 'No owner nobody@example.org' },
    ])
  })

  it('keeps a stored UPN that predates the check, on an edit', () => {
    expect(
      problems(raw({ upn: 'Z900000000000' }), { ...rules, storedUpn: 'Z900000000000' }),
    ).toEqual([])
  })

  it('counts a name’s length in characters, so emoji are not penalised', () => {
    expect(problems(raw({ firstName: '😀'.repeat(100) }))).toEqual([])
    expect(problems(raw({ firstName: '😀'.repeat(101) }))[0]?.field).toBe('firstName')
  })
})

describe('duplicates', () => {
  it('ties each repeat to the line where the value first appeared', () => {
    const found = findDuplicates([
      { line: 2, key: 'A' },
      { line: 3, key: 'B' },
      { line: 4, key: 'A' },
      { line: 7, key: 'A' },
    ])
    expect([...found]).toEqual([
      [4, { key: 'A', firstLine: 2 }],
      [7, { key: 'A', firstLine: 2 }],
    ])
  })
})
