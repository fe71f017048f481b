import type { RunClosed } from './payments.service.ts'

/*
 * The words for Pupil Premium Plus refusals (ADR 7: services and rules answer with codes and
 * parameters; the words a person reads are written once, here, and the forms and pages say them).
 */

/** A payment run paid or discarded by someone else while this form was open. */
export function runRefusalText(code: RunClosed, doing: 'pay' | 'discard'): string {
  switch (code) {
    case 'funding.run-already-paid':
      return doing === 'pay'
        ? 'This run has already been marked paid'
        : 'This run has been marked paid, so it cannot be discarded'
    case 'funding.run-discarded':
      return doing === 'pay'
        ? 'This run has been discarded, so it cannot be marked paid'
        : 'This run has already been discarded'
  }
}

export const DISCARD_REASON_MAX = 500

export const discardReasonTooLong = `The reason must be ${DISCARD_REASON_MAX} characters or fewer`
