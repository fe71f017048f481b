import { describe, expect, it } from 'vitest'
import {
  checkAttainment,
  isBehind,
  scaleFor,
  subjectsNotMakingProgress,
  type AttainmentEntry,
} from './attainment.ts'

const entry = (
  subject: string,
  term: [number, 'autumn' | 'spring' | 'summer'],
  workingAt: string,
  expected = 'expected',
): AttainmentEntry => ({
  subject,
  term: { academicYear: term[0], name: term[1] },
  scale: 'primary',
  workingAt,
  expected,
  target: null,
})

describe('attainment and progress', () => {
  it('chooses the scale by key stage', () => {
    expect(scaleFor('EYFS')).toBe('early-years')
    expect(scaleFor('KS2')).toBe('primary')
    expect(scaleFor('KS4')).toBe('gcse')
    expect(scaleFor('KS5')).toBe('post-16')
  })

  it('is behind below the expectation, not at it or above', () => {
    expect(isBehind(entry('Reading', [2026, 'autumn'], 'working-towards'))).toBe(true)
    expect(isBehind(entry('Reading', [2026, 'autumn'], 'expected'))).toBe(false)
    expect(isBehind(entry('Reading', [2026, 'autumn'], 'greater-depth'))).toBe(false)
    expect(isBehind({ scale: 'gcse', workingAt: '4', expected: '5' })).toBe(true)
    expect(isBehind({ scale: 'gcse', workingAt: '9', expected: '5' })).toBe(false)
  })

  it('flags a subject behind for two terms running, across a school year', () => {
    expect(
      subjectsNotMakingProgress([
        entry('Reading', [2025, 'summer'], 'working-towards'),
        entry('Reading', [2026, 'autumn'], 'working-towards'),
        entry('Writing', [2025, 'summer'], 'working-towards'),
        entry('Writing', [2026, 'autumn'], 'expected'),
        entry('Mathematics', [2026, 'autumn'], 'pre-key-stage'),
      ]),
    ).toEqual(['Reading'])
  })

  it('does not flag one term behind, nor two with a term missing between them', () => {
    expect(
      subjectsNotMakingProgress([
        entry('Reading', [2025, 'autumn'], 'working-towards'),
        entry('Reading', [2025, 'summer'], 'working-towards'),
      ]),
    ).toEqual([])
    expect(
      subjectsNotMakingProgress([
        entry('Reading', [2025, 'spring'], 'working-towards'),
        entry('Reading', [2025, 'summer'], 'expected'),
        entry('Reading', [2026, 'autumn'], 'working-towards'),
      ]),
    ).toEqual([])
  })

  it('checks an entry against its scale', () => {
    const term = { academicYear: 2026, name: 'autumn' as const }
    expect(
      checkAttainment({
        subject: ' ',
        term: undefined,
        scale: 'gcse',
        workingAt: 'expected',
        expected: '',
        target: '10',
      }),
    ).toEqual({
      ok: false,
      problems: [
        { field: 'subject', code: 'attainment.subject-missing' },
        { field: 'term', code: 'attainment.term-missing' },
        { field: 'workingAt', code: 'attainment.level-not-on-scale' },
        { field: 'expected', code: 'attainment.level-missing' },
        { field: 'target', code: 'attainment.level-not-on-scale' },
      ],
    })
    expect(
      checkAttainment({
        subject: 'Maths',
        term,
        scale: 'gcse',
        workingAt: '4',
        expected: '5',
        target: '',
      }),
    ).toMatchObject({ ok: true, value: { target: null, subject: 'Maths' } })
  })
})
