import { describe, expect, it } from 'vitest'
import { initiatedState } from './oversight.ts'

/* The initial PEP's first deadline, to initiate it (issue 19), at its edges. */

describe('initiatedState', () => {
  const by = '2026-11-16'
  it('is due until the deadline passes, the deadline day itself included', () => {
    expect(initiatedState(null, by, '2026-11-15')).toBe('due')
    expect(initiatedState(null, by, '2026-11-16')).toBe('due')
    expect(initiatedState(null, by, '2026-11-17')).toBe('late')
  })
  it('is met when started on the deadline day, missed the day after', () => {
    expect(initiatedState('2026-11-16', by, '2026-11-23')).toBe('met')
    expect(initiatedState('2026-11-17', by, '2026-11-23')).toBe('missed')
  })
})
