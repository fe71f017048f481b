import type { Deadline, InitialPepClock } from '../../domain/statutory-clock.ts'
import { formatDate } from '../../views/format.ts'
import type { ReviewGap } from './statutory-clock.service.ts'

/*
 * The words of the statutory clocks on the child's record and in the social worker's tray
 * (issue 19): the initial PEP's deadlines to initiate the PEP and hold its meeting, and a review
 * past the authority's longest gap, with "Late" when passed. The facts come from
 * statutory-clock.service.ts.
 */

const WORDS: Record<Deadline, { text: string; classes: string } | null> = {
  met: null,
  missed: null,
  due: null,
  late: { text: 'Late', classes: 'govuk-tag--red' },
}

interface ClockLine {
  text: string
  done: boolean
  tag: { text: string; classes: string } | null
}

export interface InitialPepClockWords {
  initiate: ClockLine
  meeting: ClockLine
}

export function presentInitialPepClock(clock: InitialPepClock): InitialPepClockWords {
  return {
    initiate: {
      text: `Initiate by ${formatDate(clock.initiateBy)}`,
      done: clock.initiated === 'met' || clock.initiated === 'missed',
      tag: WORDS[clock.initiated],
    },
    meeting: {
      text: `Meeting held by ${formatDate(clock.meetingBy)}`,
      done: clock.meeting === 'met' || clock.meeting === 'missed',
      tag: WORDS[clock.meeting],
    },
  }
}

export function presentReviewGap(gap: ReviewGap) {
  return {
    text: `Review due by ${formatDate(gap.dueBy)}, ${gap.maxMonthsBetweenReviews} months after ${gap.since === 'last-meeting' ? 'the last meeting' : 'entering care'}`,
    tag: WORDS.late!,
  }
}
