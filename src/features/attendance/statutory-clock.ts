import type { Queryable } from '../../db/connection.ts'
import { clockRunning, initialPepClock, type Deadline } from '../../domain/statutory-clock.ts'
import { pastReviewGap, reviewDueBy } from '../../domain/oversight.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { formatDate } from '../../views/format.ts'
import { daysBetween } from '../../domain/calendar-date.ts'

/** The clock is shown for children who entered care within about six months (or will). */
const RECENT_DAYS = 183

/** Whether the initial PEP's clock can apply: a first PEP of a child long in care is not their initial PEP. */
export function enteredCareRecently(enteredCareOn: string | null, today: string): boolean {
  return enteredCareOn !== null && daysBetween(enteredCareOn, today) <= RECENT_DAYS
}

/*
 * The initial PEP's statutory clock on the child's record (issue 19): the deadlines to initiate
 * the PEP and hold its meeting, with "late" when passed, while either is still to do, for a
 * child who entered care in the last six months (or is planned to).
 */

const WORDS: Record<Deadline, { text: string; classes: string } | null> = {
  met: null,
  missed: null,
  due: null,
  late: { text: 'Late', classes: 'govuk-tag--red' },
}

export async function initialPepClockOnRecord(
  db: Queryable,
  child: { id: string; authorityId: string },
  today: string,
) {
  const row = await db
    .selectFrom('child')
    .select(['entered_care_on', 'status'])
    .where('id', '=', child.id)
    .executeTakeFirst()
  if (!row || row.status === 'ceased' || !enteredCareRecently(row.entered_care_on, today))
    return null
  const [settings, closures, first] = await Promise.all([
    loadAuthoritySettings(db, child.authorityId),
    db
      .selectFrom('authority_closure_day')
      .select('on_date')
      .where('authority_id', '=', child.authorityId)
      .execute(),
    db
      .selectFrom('pep')
      .select(['started_on', 'meeting_on', 'meeting_confirmed_at'])
      .where('child_id', '=', child.id)
      .orderBy('started_on')
      .executeTakeFirst(),
  ])
  const clock = initialPepClock({
    enteredCareOn: row.entered_care_on,
    today,
    initiateWorkingDays: settings.initialPepInitiateWorkingDays,
    meetingWorkingDays: settings.initialPepMeetingWorkingDays,
    closures: new Set(closures.map((c) => c.on_date)),
    firstPep: first
      ? {
          startedOn: first.started_on,
          meetingOn: first.meeting_on,
          confirmed: first.meeting_confirmed_at !== null,
        }
      : null,
  })
  if (!clockRunning(clock)) return null
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

/**
 * A review past the authority's longest gap, on the child's record (issue 19): due that long
 * after the last meeting held (or entering care), "Late" once the day has passed. Null while in
 * time, and for a child no longer in care.
 */
export async function reviewGapOnRecord(
  db: Queryable,
  child: { id: string; authorityId: string },
  today: CalendarDate,
) {
  const [row, settings] = await Promise.all([
    db
      .selectFrom('child as c')
      .select([
        'c.entered_care_on as enteredCareOn',
        'c.status',
        (eb) =>
          eb
            .selectFrom('pep as m')
            .select((m) => m.fn.max('m.meeting_on').as('on'))
            .whereRef('m.child_id', '=', 'c.id')
            .where('m.meeting_on', '<=', today)
            .as('lastMeetingOn'),
      ])
      .where('c.id', '=', child.id)
      .executeTakeFirst(),
    loadAuthoritySettings(db, child.authorityId),
  ])
  if (!row || row.status === 'ceased') return null
  const facts = {
    enteredCareOn: row.enteredCareOn,
    lastMeetingOn: (row.lastMeetingOn as CalendarDate | null) ?? null,
  }
  const frame = {
    today,
    windowDeadline: today,
    maxMonthsBetweenReviews: settings.maxMonthsBetweenReviews,
  }
  if (!pastReviewGap(facts, frame)) return null
  return {
    text: `Review due by ${formatDate(reviewDueBy(facts, frame)!)}, ${settings.maxMonthsBetweenReviews} months after ${facts.lastMeetingOn ? 'the last meeting' : 'entering care'}`,
    tag: WORDS.late!,
  }
}
