import { describe, expect, it } from 'vitest'
import { checkSchoolRows, validateSchool } from './school.ts'
import { readCsv } from './csv.ts'
import { schoolProblemText } from '../forms/school-messages.ts'

/** A validator's answer with each code in the words the forms and the import report show. */
const inWords = (result: ReturnType<typeof validateSchool>) =>
  result.ok
    ? result
    : {
        ok: false,
        problems: result.problems.map((p) => ({ field: p.field, message: schoolProblemText(p) })),
      }

const raw = {
  name: 'Ysgol Ŵy',
  urn: '123456',
  dfeNumber: '123/4567',
  type: 'academy',
  phase: '16 plus',
  open: 'no',
}

describe('a school’s details', () => {
  it('accepts good details', () => {
    expect(validateSchool(raw, () => false)).toEqual({
      ok: true,
      value: { ...raw, type: 'academy', phase: '16 plus', open: false },
    })
  })

  it('checks URN, DfE number, type, phase and open at their edges', () => {
    const result = validateSchool(
      { name: '', urn: '1234567', dfeNumber: '12/34567', type: 'grammar', phase: '', open: 'y' },
      () => false,
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map((p) => p.field)).toEqual([
      'name',
      'urn',
      'dfeNumber',
      'type',
      'phase',
      'open',
    ])
    expect(validateSchool({ ...raw, urn: '12a456' }, () => false).ok).toBe(false)
    const taken = validateSchool(raw, () => true)
    expect(taken).toEqual({
      ok: false,
      problems: [{ field: 'urn', code: 'school.urn-taken', params: { urn: '123456' } }],
    })
    expect(inWords(taken)).toMatchObject({
      ok: false,
      problems: [{ field: 'urn', message: 'URN 123456 is already used by another school' }],
    })
  })
})

describe('a schools file', () => {
  it('reports duplicate URNs in the file with the line of the first', () => {
    const csv = readCsv(
      Buffer.from(
        'name,urn,dfe_number,type,phase,open\nA,111111,111/1111,academy,primary,yes\nB,111111,111/1112,academy,primary,yes\n',
      ),
    )
    if (!csv.ok) throw new Error(csv.message)
    expect(checkSchoolRows(csv.header, csv.rows, new Set(), schoolProblemText)).toEqual({
      ok: false,
      rowCount: 2,
      problems: [{ line: 3, column: 'urn', message: 'URN 111111 is also on line 2' }],
    })
  })

  it('needs every column', () => {
    const csv = readCsv(Buffer.from('name,urn\nA,111111\n'))
    if (!csv.ok) throw new Error(csv.message)
    const result = checkSchoolRows(csv.header, csv.rows, new Set(), schoolProblemText)
    expect(result.ok).toBe(false)
  })
})
