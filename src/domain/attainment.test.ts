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

const autumn2026 = { academicYear: 2026, name: 'autumn' as const }

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
      subjectsNotMakingProgress(
        [
          entry('Reading', [2025, 'summer'], 'working-towards'),
          entry('Reading', [2026, 'autumn'], 'working-towards'),
          entry('Writing', [2025, 'summer'], 'working-towards'),
          entry('Writing', [2026, 'autumn'], 'expected'),
          entry('Mathematics', [2026, 'autumn'], 'pre-key-stage'),
        ],
        autumn2026,
      ),
    ).toEqual(['Reading'])
  })

  it('does not flag one term behind, nor two with a term missing between them', () => {
    expect(
      subjectsNotMakingProgress(
        [
          entry('Reading', [2025, 'autumn'], 'working-towards'),
          entry('Reading', [2025, 'summer'], 'working-towards'),
        ],
        { academicYear: 2025, name: 'summer' },
      ),
    ).toEqual([])
    expect(
      subjectsNotMakingProgress(
        [
          entry('Reading', [2025, 'spring'], 'working-towards'),
          entry('Reading', [2025, 'summer'], 'expected'),
          entry('Reading', [2026, 'autumn'], 'working-towards'),
        ],
        autumn2026,
      ),
    ).toEqual([])
  })

  it('flags behind then clears when the subject catches up, and reads only the latest terms up to the one asked', () => {
    const behindTwice = [
      entry('Reading', [2026, 'autumn'], 'working-towards'),
      entry('reading', [2026, 'spring'], 'working-towards'),
    ]
    const history = [
      entry('Reading', [2025, 'spring'], 'working-towards'),
      entry('Reading', [2025, 'summer'], 'working-towards'),
      entry('Reading', [2026, 'autumn'], 'expected'),
    ]
    expect(subjectsNotMakingProgress(history, { academicYear: 2025, name: 'summer' })).toEqual([
      'Reading',
    ])
    // Caught up in autumn: no longer flagged, though still flagged as of summer.
    expect(subjectsNotMakingProgress(history, autumn2026)).toEqual([])
    expect(subjectsNotMakingProgress(history, { academicYear: 2025, name: 'summer' })).toEqual([
      'Reading',
    ])
    // Two terms behind, asked the next term before its levels are in: still flagged; asked a
    // term later still, those levels are too old to flag anything.
    expect(subjectsNotMakingProgress(history.slice(0, 2), autumn2026)).toEqual(['Reading'])
    expect(
      subjectsNotMakingProgress(history.slice(0, 2), { academicYear: 2026, name: 'spring' }),
    ).toEqual([])
    // Only one term behind so far.
    expect(
      subjectsNotMakingProgress(history.slice(0, 1), { academicYear: 2025, name: 'summer' }),
    ).toEqual([])
    // A subject's name in another case is the same subject (the lists group by lower case),
    // named as in the term asked about.
    expect(subjectsNotMakingProgress(behindTwice, { academicYear: 2026, name: 'spring' })).toEqual([
      'reading',
    ])
  })

  it('measures each term on its own scale when the child changed key stage between them', () => {
    const reception: AttainmentEntry = {
      ...entry('Mathematics', [2025, 'summer'], 'emerging'),
      scale: 'early-years',
    }
    const year1 = entry('Mathematics', [2026, 'autumn'], 'working-towards')
    expect(subjectsNotMakingProgress([reception, year1], autumn2026)).toEqual(['Mathematics'])
    const metGoal = { ...reception, workingAt: 'expected' }
    expect(subjectsNotMakingProgress([metGoal, year1], autumn2026)).toEqual([])
    // Year 6 summer on the primary scale, Year 7 autumn on GCSE grades: behind in both.
    const year6 = entry('English', [2025, 'summer'], 'working-towards')
    const year7: AttainmentEntry = {
      ...entry('English', [2026, 'autumn'], '3', '4'),
      scale: 'gcse',
    }
    expect(subjectsNotMakingProgress([year6, year7], autumn2026)).toEqual(['English'])
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
