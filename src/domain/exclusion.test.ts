import { describe, expect, it } from 'vitest'
import { checkExclusion, exclusionTaskChange, type TypedExclusion } from './exclusion.ts'

const TODAY = '2026-11-23'
const typed = (over: Partial<TypedExclusion> = {}): TypedExclusion => ({
  kind: 'suspension',
  startsOn: '2026-11-02',
  endsOn: '2026-11-04',
  sessionsMissed: '6',
  reason: 'persistent-disruption',
  provision: '',
  ...over,
})
const codes = (over: Partial<TypedExclusion>) => {
  const result = checkExclusion(typed(over), TODAY)
  return result.ok ? [] : result.problems.map((p) => `${p.field} ${p.code}`)
}

describe('checking an exclusion', () => {
  it('accepts a short suspension with no provision (the school sets work for five days)', () => {
    expect(checkExclusion(typed(), TODAY)).toEqual({
      ok: true,
      value: {
        kind: 'suspension',
        startsOn: '2026-11-02',
        endsOn: '2026-11-04',
        sessionsMissed: 6,
        reason: 'persistent-disruption',
        provision: '',
      },
    })
  })

  it('needs the provision from the sixth day past ten sessions, not at ten', () => {
    expect(codes({ sessionsMissed: '10' })).toEqual([])
    expect(codes({ sessionsMissed: '11' })).toEqual(['provision exclusion.provision-missing'])
    expect(codes({ sessionsMissed: '11', provision: 'Pupil referral unit from day 6' })).toEqual([])
  })

  it('needs the provision for a permanent exclusion, with no last day or sessions', () => {
    expect(codes({ kind: 'permanent', endsOn: '', sessionsMissed: '' })).toEqual([
      'provision exclusion.provision-missing',
    ])
    const ok = checkExclusion(
      typed({ kind: 'permanent', endsOn: '2026-11-20', sessionsMissed: '', provision: 'PRU' }),
      TODAY,
    )
    expect(ok.ok && ok.value.endsOn).toBe(null)
  })

  it('refuses a suspension past 45 school days, and missing or wrong fields, by field', () => {
    expect(codes({ sessionsMissed: '91', provision: 'x' })).toEqual([
      'sessionsMissed exclusion.sessions-too-many',
    ])
    expect(codes({ sessionsMissed: '90', provision: 'x' })).toEqual([])
    expect(
      codes({ kind: '', startsOn: '', endsOn: '2026-02-30', sessionsMissed: '1.5', reason: 'x' }),
    ).toEqual([
      'kind exclusion.kind-missing',
      'startsOn exclusion.date-missing',
      'endsOn exclusion.date-invalid',
      'sessionsMissed exclusion.sessions-not-whole',
      'reason exclusion.reason-missing',
    ])
    expect(codes({ startsOn: '2026-11-24', endsOn: '2026-11-25' })).toEqual([
      'startsOn exclusion.starts-in-future',
    ])
    expect(codes({ endsOn: '2026-11-01' })).toEqual(['endsOn exclusion.ends-before-start'])
    expect(codes({ endsOn: '', sessionsMissed: '' })).toEqual([
      'endsOn exclusion.date-missing',
      'sessionsMissed exclusion.sessions-missing',
    ])
  })
})

describe('what a correction does to the Virtual School’s task', () => {
  const s = (kind: 'suspension' | 'permanent', status: 'in-force' | 'withdrawn' | 'in-error') => ({
    kind,
    status,
  })
  it('closes it when the exclusion no longer stands: nothing to do', () => {
    expect(exclusionTaskChange(s('suspension', 'in-force'), s('suspension', 'withdrawn'))).toBe(
      'close',
    )
    expect(exclusionTaskChange(s('permanent', 'in-force'), s('permanent', 'in-error'))).toBe(
      'close',
    )
    expect(exclusionTaskChange(s('permanent', 'withdrawn'), s('permanent', 'withdrawn'))).toBe(
      'close',
    )
  })
  it('raises a new one when it is news again', () => {
    expect(exclusionTaskChange(s('suspension', 'withdrawn'), s('suspension', 'in-force'))).toBe(
      'raise',
    )
    expect(exclusionTaskChange(s('suspension', 'in-force'), s('permanent', 'in-force'))).toBe(
      'raise',
    )
  })
  it('keeps it for any other correction', () => {
    expect(exclusionTaskChange(s('suspension', 'in-force'), s('suspension', 'in-force'))).toBe(
      'keep',
    )
    expect(exclusionTaskChange(s('permanent', 'in-force'), s('suspension', 'in-force'))).toBe(
      'keep',
    )
  })
  it('needs no provision from the sixth day once withdrawn', () => {
    const typed = {
      kind: 'permanent',
      startsOn: '2026-11-02',
      endsOn: '',
      sessionsMissed: '',
      reason: 'bullying',
      provision: '',
    }
    expect(checkExclusion(typed, '2026-11-23').ok).toBe(false)
    expect(checkExclusion(typed, '2026-11-23', 'withdrawn').ok).toBe(true)
  })
})
