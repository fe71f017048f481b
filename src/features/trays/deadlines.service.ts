import type { Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { pastReviewGap, reviewDueBy } from '../../domain/oversight.ts'
import { paths } from '../../paths.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { formatDate } from '../../views/format.ts'
import { initialPepClocks } from '../attendance/statutory-clock.service.ts'
import { presentInitialPepClock } from '../attendance/statutory-clock.presenter.ts'
import { listMySocialWorkChildren } from './trays.repository.ts'

/*
 * The statutory clock in the social worker's tray (issue 19): for each child they are the social
 * worker of, the initial PEP's deadlines still to meet (initiate by, meeting by, in working days
 * from entering care, a planned entry counted from its day), and a review past the authority's
 * longest gap; "Late" when passed. Worked out on each view from the record, never stored.
 */

export interface DeadlineItem {
  childName: string
  childHref: string
  text: string
  late: boolean
}

export async function myStatutoryDeadlines(
  db: Queryable,
  userId: string,
  today: CalendarDate,
): Promise<DeadlineItem[]> {
  const children = await listMySocialWorkChildren(db, userId, today)
  // Each authority's settings once, then every running clock read together (a fixed number of
  // statements, not three a child).
  const settings = new Map<string, AuthoritySettings>()
  for (const id of new Set(children.map((c) => c.authorityId)))
    settings.set(id, await loadAuthoritySettings(db, id))
  const clocks = await initialPepClocks(db, children, today, settings)
  const items: DeadlineItem[] = []
  for (const c of children) {
    const about = {
      childName: `${c.firstName} ${c.lastName}`,
      childHref: paths.children.show(c.id),
    }
    const clock = clocks.get(c.id)
    const initial = clock ? presentInitialPepClock(clock) : null
    for (const d of initial ? [initial.initiate, initial.meeting] : [])
      if (!d.done) items.push({ ...about, text: `Initial PEP: ${d.text}`, late: d.tag !== null })
    const frame = {
      today,
      windowDeadline: today,
      maxMonthsBetweenReviews: settings.get(c.authorityId)!.maxMonthsBetweenReviews,
    }
    const facts = {
      enteredCareOn: c.enteredCareOn,
      lastMeetingOn: (c.lastMeetingOn as CalendarDate | null) ?? null,
    }
    if (!initial && pastReviewGap(facts, frame))
      items.push({
        ...about,
        text: `Review: due by ${formatDate(reviewDueBy(facts, frame)!)} (the longest gap between reviews)`,
        late: true,
      })
  }
  return items
}
