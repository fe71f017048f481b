import { describe, expect, it } from 'vitest'
import { csvText } from '../shared/export/csv.ts'
import { importTemplate } from '../shared/import/pipeline.ts'
import { checkChildRows, CHILD_CSV_COLUMNS, type ImportRules } from './child-import.ts'
import { validateChild } from './child-validation.ts'
import { readCsv } from './csv.ts'
import { childProblemText } from '../forms/child-messages.ts'
import { circumstanceMessage } from '../forms/circumstance-messages.ts'
import { withCheckLetter } from './upn.ts'

const rules: ImportRules = {
  today: '2026-11-23',
  resolveSchool: (v) =>
    v === '990001' ? { id: 'school-1' } : { error: `No open school has URN ${v}` },
  resolveOwner: () => ({ error: 'No owner' }),
  existingCaseReferences: new Set(['IN-DB']),
  words: childProblemText,
  circumstanceWords: circumstanceMessage,
}

const HEADER =
  'first_name,last_name,date_of_birth,gender,case_reference,entered_care_on,emergency_placement,school_urn'

function check(text: string | Buffer) {
  const csv = readCsv(Buffer.isBuffer(text) ? text : Buffer.from(text))
  if (!csv.ok) throw new Error(csv.message)
  return checkChildRows(csv.header, csv.rows, rules)
}

describe('reading a CSV file', () => {
  it('handles a byte order mark, CRLF, quoted commas, quotes and an empty trailing line', () => {
    const csv = readCsv(
      Buffer.from(
        `\uFEFF${HEADER}\r\n"Ní Bhriain, Áine","O""Neill 😀",2014-02-28,female,A1,2020-01-01,no,990001\r\n\r\n`,
      ),
    )
    expect(csv).toEqual({
      ok: true,
      header: HEADER.split(','),
      rows: [
        {
          line: 2,
          cells: [
            'Ní Bhriain, Áine',
            'O"Neill 😀',
            '2014-02-28',
            'female',
            'A1',
            '2020-01-01',
            'no',
            '990001',
          ],
        },
      ],
    })
  })

  it('numbers rows by the line they start on, past blank lines and line breaks in quotes', () => {
    const csv = readCsv(Buffer.from(`a,b\r\n1,x\r\n\r\n2,"two\r\nlines"\r\n3,z`))
    expect(csv.ok && csv.rows.map((r) => r.line)).toEqual([2, 4, 6])
  })

  it('refuses a file that is not UTF-8, an empty file and unbalanced quotes', () => {
    expect(readCsv(Buffer.from([0x61, 0x0a, 0xe9, 0x0a]))).toMatchObject({ ok: false })
    expect(readCsv(Buffer.from(''))).toMatchObject({
      ok: false,
      message: 'The selected file is empty',
    })
    expect(readCsv(Buffer.from('a,b\n"1,2\n'))).toMatchObject({ ok: false })
  })
})

describe('checking the rows of a children file', () => {
  it('offers a template whose header has every column', async () => {
    const template = importTemplate('children-template', CHILD_CSV_COLUMNS)
    expect(await csvText(template, { bom: false })).toBe(`${CHILD_CSV_COLUMNS.join(',')}\r\n`)
  })

  it('accepts good rows', () => {
    const result = check(`${HEADER}\nAmélie,Ŷr 😀,2016-02-29,female,A1,2020-01-01,no,990001\n`)
    expect(result).toMatchObject({
      ok: true,
      children: [
        { line: 2, value: { firstName: 'Amélie', lastName: 'Ŷr 😀', schoolId: 'school-1' } },
      ],
    })
  })

  it('reports every problem with its line and column', () => {
    const result = check(
      [
        HEADER,
        'Ann,Ash,2015-02-29,female,A1,2020-01-01,no,990001',
        'Ben,Birch,2014-01-01,male,A1,2013-12-31,no,999999',
        'Cai,Cedar,31/02/2014,male,IN-DB,2020-01-01,maybe,',
        'Dee,Dale,2014-01-01,female,A4,2020-01-01,no,',
      ].join('\n'),
    )
    expect(result).toEqual({
      ok: false,
      rowCount: 4,
      problems: [
        { line: 2, column: 'date_of_birth', message: 'Date of birth must be a real date' },
        {
          line: 3,
          column: 'entered_care_on',
          message: 'Date entered care must be on or after the date of birth',
        },
        { line: 3, column: 'school_urn', message: 'No open school has URN 999999' },
        { line: 3, column: 'case_reference', message: 'Case reference A1 is also on line 2' },
        { line: 4, column: 'date_of_birth', message: 'Date of birth must be a real date' },
        {
          line: 4,
          column: 'case_reference',
          message: 'Case reference IN-DB is already used by another child',
        },
        {
          line: 4,
          column: 'emergency_placement',
          message: 'Emergency placement must be yes or no',
        },
      ],
    })
  })

  it('refuses unknown and missing columns before looking at rows', () => {
    const result = check('first_name,last_name,shoe_size\nAnn,Ash,5\n')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems[0]).toEqual({
      line: 1,
      column: 'shoe_size',
      message: 'Unknown column "shoe_size": use the columns of the template',
    })
    expect(result.problems.map((p) => p.column)).toContain('date_of_birth')
  })

  it('refuses a file with only a header, and a row with more cells than the header', () => {
    expect(check(`${HEADER}\n`)).toMatchObject({
      ok: false,
      problems: [{ message: 'The file has no children in it' }],
    })
    const result = check(`${HEADER}\nAnn,Ash,2014-01-01,female,A1,2020-01-01,no,990001,extra\n`)
    expect(result.ok).toBe(false)
  })
})

describe('a UPN identifies one pupil', () => {
  const UPN_HEADER = `${HEADER},upn`
  const first = withCheckLetter('000000000001')
  const second = withCheckLetter('000000000002')
  const spaced = (upn: string) => `${upn.slice(0, 5).toLowerCase()} ${upn.slice(5)}`

  it('refuses a UPN twice in the file, however it is typed, with the line of the first', () => {
    const result = check(
      [
        UPN_HEADER,
        `Ann,Ash,2014-01-01,female,U1,2020-01-01,no,,${first}`,
        `Ben,Birch,2014-01-01,male,U2,2020-01-01,no,,${spaced(first)}`,
        `Cai,Cedar,2014-01-01,male,U3,2020-01-01,no,,${second}`,
      ].join('\n'),
    )
    expect(result).toEqual({
      ok: false,
      rowCount: 3,
      problems: [{ line: 3, column: 'upn', message: `UPN ${first} is also on line 2` }],
    })
  })

  it('refuses a UPN another child already has, in any authority, naming no one', () => {
    const csv = readCsv(
      Buffer.from(`${UPN_HEADER}\nAnn,Ash,2014-01-01,female,U1,2020-01-01,no,,${spaced(second)}\n`),
    )
    if (!csv.ok) throw new Error(csv.message)
    expect(
      checkChildRows(csv.header, csv.rows, { ...rules, existingUpns: new Set([second]) }),
    ).toEqual({
      ok: false,
      rowCount: 1,
      problems: [
        { line: 2, column: 'upn', message: `UPN ${second} is already used by another child` },
      ],
    })
  })

  it('keeps a stored UPN on an edit, and refuses a taken one', () => {
    const raw = {
      firstName: 'Ann',
      lastName: 'Ash',
      preferredName: '',
      dateOfBirth: { ok: true, value: '2014-01-01' },
      gender: 'female',
      upn: first,
      uln: '',
      caseReference: 'U1',
      enteredCareOn: { ok: true, value: '2020-01-01' },
      emergencyPlacement: 'no',
      legalStatus: '',
      placement: '',
      school: '',
      senStatus: '',
      yearGroupOverride: '',
      recordOwner: '',
    } as const
    const base = { ...rules, caseReferenceTaken: () => false, upnTaken: () => true }
    expect(validateChild(raw, { ...base, storedUpn: first }).ok).toBe(true)
    const taken = validateChild(raw, base)
    expect(taken).toEqual({
      ok: false,
      problems: [{ field: 'upn', code: 'child.taken', params: { value: first } }],
    })
    expect(taken.ok ? [] : taken.problems.map(childProblemText)).toEqual([
      `UPN ${first} is already used by another child`,
    ])
  })
})

describe('education circumstances in the file (issue 17), by the tab’s rule', () => {
  // today is 2026-11-23: 90 days ahead is 2027-02-21.
  const C_HEADER = `${HEADER},alternative_provision_provider,alternative_provision_from,alternative_provision_to,part_time_hours,part_time_reason,part_time_from,part_time_to,neet_from,neet_to`
  const row = (ref: string, dob: string, cells: string) =>
    `Ann,Ash,${dob},female,${ref},2020-01-01,no,990001,${cells}`

  it('accepts each at its edge: 90 days ahead, 32.4 hours, NEET from today at 16 on 31 August', () => {
    const result = check(
      [
        C_HEADER,
        row('C1', '2014-01-01', 'Hillside Learning Centre,2027-02-21,,,,,,,'),
        row('C2', '2014-01-01', ',,,32.4,Medical advice,2026-11-01,2026-12-18,,'),
        // 16 on 31 August 2026: year 12 from September 2026.
        row('C3', '2010-08-31', ',,,,,,,2026-11-23,'),
        row('C4', '2014-01-01', ',,,,,,,,'),
      ].join('\n'),
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.children.map((c) => c.value.circumstances)).toEqual([
      [
        {
          kind: 'alternative_provision',
          startsOn: '2027-02-21',
          endsOn: null,
          provider: 'Hillside Learning Centre',
          hoursPerWeek: null,
          reason: null,
        },
      ],
      [
        {
          kind: 'part_time',
          startsOn: '2026-11-01',
          endsOn: '2026-12-18',
          provider: null,
          hoursPerWeek: 32.4,
          reason: 'Medical advice',
        },
      ],
      [
        {
          kind: 'neet',
          startsOn: '2026-11-23',
          endsOn: null,
          provider: null,
          hoursPerWeek: null,
          reason: null,
        },
      ],
      [],
    ])
  })

  it('refuses each past its edge, by line, column and reason', () => {
    const result = check(
      [
        C_HEADER,
        row('D1', '2014-01-01', 'Hillside,2027-02-22,,,,,,,'),
        row('D2', '2014-01-01', ',,,32.5,Medical advice,2026-11-01,,,'),
        row('D3', '2010-08-31', ',,,,,,,2026-11-24,'),
        row('D4', '2010-09-01', ',,,,,,,2026-11-23,'),
        row('D5', '2014-01-01', 'Hillside,2026-11-10,2026-11-09,,,,,,'),
        row('D6', '2014-01-01', ',,,12,,,,,'),
        row('D7', '2010-08-31', ',,,,,,,2026-11-01,2026-11-24'),
        row('D8', '2014-01-01', ',2026-11-01,,,,,,,'),
        row('D9', '2014-01-01', ',,,0,Phased return,31/02/2026,,,'),
      ].join('\n'),
    )
    expect(result).toEqual({
      ok: false,
      rowCount: 9,
      problems: [
        {
          line: 2,
          column: 'alternative_provision_from',
          message: 'The first day must be within 90 days from today',
        },
        {
          line: 3,
          column: 'part_time_hours',
          message: 'The hours a week must be fewer than a full-time week of 32.5 hours',
        },
        { line: 4, column: 'neet_from', message: 'The first day must be today or in the past' },
        {
          line: 5,
          column: 'neet_from',
          message:
            'NEET is for young people in year 12 or later: they must be 16 or over on the 31 August before the first day',
        },
        {
          line: 6,
          column: 'alternative_provision_to',
          message: 'The last day must be the same as or after the first day',
        },
        { line: 7, column: 'part_time_from', message: 'Enter the first day' },
        {
          line: 7,
          column: 'part_time_reason',
          message: 'Enter the reason for the part-time timetable',
        },
        { line: 8, column: 'neet_to', message: 'The last day must be today or in the past' },
        {
          line: 9,
          column: 'alternative_provision_provider',
          message: 'Enter the provider’s name',
        },
        { line: 10, column: 'part_time_from', message: 'The first day must be a real date' },
        {
          line: 10,
          column: 'part_time_hours',
          message: 'The hours a week must be a number greater than 0, like 15 or 12.5',
        },
      ],
    })
  })
})
