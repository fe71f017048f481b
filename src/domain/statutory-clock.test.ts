import { describe, expect, it } from 'vitest'
import { clockRunning, initialPepClock } from './statutory-clock.ts'

// Entering care on Monday 2 November 2026: 10 working days is Monday 16 November, 20 is 30 November.
const base = {
  enteredCareOn: '2026-11-02',
  initiateWorkingDays: 10,
  meetingWorkingDays: 20,
}

describe("the initial PEP's statutory clock", () => {
  it('counts working days from entering care, and is due until the day passes', () => {
    const clock = initialPepClock({ ...base, today: '2026-11-16', firstPep: null })
    expect(clock).toEqual({
      initiateBy: '2026-11-16',
      meetingBy: '2026-11-30',
      initiated: 'due',
      meeting: 'due',
    })
    expect(clockRunning(clock)).toBe(true)
  })

  it('is late the day after a deadline with nothing done', () => {
    expect(initialPepClock({ ...base, today: '2026-11-17', firstPep: null })).toMatchObject({
      initiated: 'late',
      meeting: 'due',
    })
  })

  it('is met on the day itself, missed the day after, and stops when both are done', () => {
    const clock = initialPepClock({
      ...base,
      today: '2026-12-10',
      firstPep: { startedOn: '2026-11-16', meetingOn: '2026-12-01', confirmed: true },
    })
    expect(clock).toMatchObject({ initiated: 'met', meeting: 'missed' })
    expect(clockRunning(clock)).toBe(false)
  })

  it('waits for the meeting to be confirmed, and skips closure days', () => {
    expect(
      initialPepClock({
        ...base,
        today: '2026-12-01',
        closures: new Set(['2026-11-30']),
        firstPep: { startedOn: '2026-11-03', meetingOn: '2026-11-30', confirmed: false },
      }),
    ).toMatchObject({ initiated: 'met', meetingBy: '2026-12-01', meeting: 'due' })
  })

  it('starts a planned entry into care on the day it is planned for', () => {
    expect(
      initialPepClock({
        ...base,
        enteredCareOn: '2026-12-07',
        today: '2026-11-23',
        firstPep: null,
      }),
    ).toMatchObject({ initiateBy: '2026-12-21', initiated: 'due' })
  })
})
