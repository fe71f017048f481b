import type { Queryable } from '../../db/connection.ts'
import { clockRunning, initialPepClock, type Deadline } from '../../domain/statutory-clock.ts'
import { pastReviewGap, reviewDueBy } from '../../domain/oversight.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { lastReviewOn } from '../../shared/cohort-filter.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
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
): Promise<InitialPepClockWords | null> {
  const row = await db
    .selectFrom('child')
    .select(['entered_care_on', 'status'])
    .where('id', '=', child.id)
    .executeTakeFirst()
  if (!row || row.status === 'ceased') return null
  const clocks = await initialPepClocks(
    db,
    [{ ...child, enteredCareOn: row.entered_care_on }],
    today,
  )
  return clocks.get(child.id) ?? null
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

/**
 * The initial PEP's clock of each child in care given (the record's one child, or the social
 * worker's tray's list) whose clock is running, by child id. Children who did not enter care
 * lately cost nothing; the rest are read together: each authority's settings and closure days
 * once, and every child's first PEP in one statement, however many children there are (before,
 * three statements a child on each view of the tray).
 */
export async function initialPepClocks(
  db: Queryable,
  children: readonly { id: string; authorityId: string; enteredCareOn: string | null }[],
  today: string,
  settingsOf?: ReadonlyMap<string, AuthoritySettings>,
): Promise<Map<string, InitialPepClockWords>> {
  const clocks = new Map<string, InitialPepClockWords>()
  const recent = children.filter((c) => enteredCareRecently(c.enteredCareOn, today))
  if (recent.length === 0) return clocks
  const authorityIds = [...new Set(recent.map((c) => c.authorityId))]
  const [settings, closures, firsts] = await Promise.all([
    Promise.all(
      authorityIds.map(
        async (id) => [id, settingsOf?.get(id) ?? (await loadAuthoritySettings(db, id))] as const,
      ),
    ).then((pairs) => new Map(pairs)),
    db
      .selectFrom('authority_closure_day')
      .select(['authority_id', 'on_date'])
      .where('authority_id', 'in', authorityIds)
      .execute(),
    db
      .selectFrom('pep')
      .distinctOn('child_id')
      .select(['child_id', 'started_on', 'meeting_on', 'meeting_confirmed_at'])
      .where(
        'child_id',
        'in',
        recent.map((c) => c.id),
      )
      .orderBy('child_id')
      .orderBy('started_on')
      .execute(),
  ])
  const closureSets = new Map(authorityIds.map((id) => [id, new Set<CalendarDate>()]))
  for (const c of closures) closureSets.get(c.authority_id)!.add(c.on_date)
  const firstOf = new Map(firsts.map((f) => [f.child_id, f]))
  for (const child of recent) {
    const authority = settings.get(child.authorityId)!
    const first = firstOf.get(child.id)
    const clock = initialPepClock({
      enteredCareOn: child.enteredCareOn!,
      today,
      initiateWorkingDays: authority.initialPepInitiateWorkingDays,
      meetingWorkingDays: authority.initialPepMeetingWorkingDays,
      closures: closureSets.get(child.authorityId)!,
      firstPep: first
        ? {
            startedOn: first.started_on,
            meetingOn: first.meeting_on,
            confirmed: first.meeting_confirmed_at !== null,
          }
        : null,
    })
    if (!clockRunning(clock)) continue
    clocks.set(child.id, {
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
    })
  }
  return clocks
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
        lastReviewOn('c.id', today).as('lastMeetingOn'),
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
