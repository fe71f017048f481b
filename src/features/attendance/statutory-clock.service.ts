import type { Queryable } from '../../db/connection.ts'
import {
  clockRunning,
  initialPepClock,
  type InitialPepClock,
} from '../../domain/statutory-clock.ts'
import { pastReviewGap, reviewDueBy } from '../../domain/oversight.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { daysBetween } from '../../domain/calendar-date.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { listClosureDaysOf, listFirstPeps } from './statutory-clock.repository.ts'

/*
 * The statutory clocks (issue 19), as facts for the presenter (statutory-clock.presenter.ts):
 * the initial PEP's deadlines, for a child who entered care in the last six months (or is
 * planned to), while either is still to do; and a review past the authority's longest gap.
 * Read by the child's record and the social worker's tray.
 */

/** The clock is shown for children who entered care within about six months (or will). */
const RECENT_DAYS = 183

/** Whether the initial PEP's clock can apply: a first PEP of a child long in care is not their initial PEP. */
export function enteredCareRecently(enteredCareOn: string | null, today: string): boolean {
  return enteredCareOn !== null && daysBetween(enteredCareOn, today) <= RECENT_DAYS
}

/**
 * The initial PEP's clock of the child on their record, while it runs; null otherwise. The
 * record's own row gives the child's facts and the authority's settings (findChildRecord).
 */
export async function initialPepClockOnRecord(
  db: Queryable,
  child: {
    id: string
    authorityId: string
    enteredCareOn: string | null
    status: 'in_care' | 'ceased'
  },
  today: string,
  settings: AuthoritySettings,
): Promise<InitialPepClock | null> {
  if (child.status === 'ceased') return null
  const clocks = await initialPepClocks(
    db,
    [child],
    today,
    new Map([[child.authorityId, settings]]),
  )
  return clocks.get(child.id) ?? null
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
): Promise<Map<string, InitialPepClock>> {
  const clocks = new Map<string, InitialPepClock>()
  const recent = children.filter((c) => enteredCareRecently(c.enteredCareOn, today))
  if (recent.length === 0) return clocks
  const authorityIds = [...new Set(recent.map((c) => c.authorityId))]
  const [settings, closures, firsts] = await Promise.all([
    Promise.all(
      authorityIds.map(
        async (id) => [id, settingsOf?.get(id) ?? (await loadAuthoritySettings(db, id))] as const,
      ),
    ).then((pairs) => new Map(pairs)),
    listClosureDaysOf(db, authorityIds),
    listFirstPeps(
      db,
      recent.map((c) => c.id),
    ),
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
    if (clockRunning(clock)) clocks.set(child.id, clock)
  }
  return clocks
}

/** A review past the authority's longest gap: when it was due, and counted from what. */
export interface ReviewGap {
  dueBy: CalendarDate
  maxMonthsBetweenReviews: number
  /** Counted from the last meeting held, or from entering care when none was. */
  since: 'last-meeting' | 'entering-care'
}

/**
 * A review past the authority's longest gap, on the child's record (issue 19): due that long
 * after the last meeting held (or entering care). Null while in time, and for a child no longer
 * in care. The record's own row gives the facts and the settings (findChildRecord).
 */
export function reviewGapOnRecord(
  child: {
    enteredCareOn: string
    status: 'in_care' | 'ceased'
    /** The last review held by today (lastReviewOn), null if none. */
    lastMeetingOn: CalendarDate | null
  },
  settings: AuthoritySettings,
  today: CalendarDate,
): ReviewGap | null {
  if (child.status === 'ceased') return null
  const facts = { enteredCareOn: child.enteredCareOn, lastMeetingOn: child.lastMeetingOn }
  const frame = {
    today,
    windowDeadline: today,
    maxMonthsBetweenReviews: settings.maxMonthsBetweenReviews,
  }
  if (!pastReviewGap(facts, frame)) return null
  return {
    dueBy: reviewDueBy(facts, frame)!,
    maxMonthsBetweenReviews: settings.maxMonthsBetweenReviews,
    since: facts.lastMeetingOn ? 'last-meeting' : 'entering-care',
  }
}
