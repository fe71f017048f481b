import { paths } from '../../paths.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { roleName } from './child-record.presenter.ts'
import type { listEvents, listSchoolHistory } from './history.repository.ts'

/* The words of a child's history pages (ADR 7: titles and words from the presenter). */

/** The title of each page that records an event of the child's history. */
export const EVENT_PAGE_TITLES = {
  changeSchool: 'Record a change of school',
  changePlacement: 'Record a change of placement',
  changeOwner: 'Change the record owner',
  ceaseCare: 'Record that the child has ceased to be in care',
} as const

/** The history page: the child's schools as table rows, the events as a timeline, the actions. */
export function presentHistory(
  child: { id: string; firstName: string; lastName: string },
  schools: Awaited<ReturnType<typeof listSchoolHistory>>,
  events: Awaited<ReturnType<typeof listEvents>>,
) {
  return {
    pageTitle: `School history and events – ${child.firstName} ${child.lastName}`,
    schools: schools.map((s) => [
      { text: `${s.name}${s.urn ? ` (URN ${s.urn})` : ''}` },
      { text: formatDate(s.startedOn) },
      { text: s.endedOn ? formatDate(s.endedOn) : 'Current' },
      { text: s.reason ?? '' },
    ]),
    events: events.map((e) => ({
      label: { text: e.summary },
      datetime: { timestamp: e.recordedAt.toISOString(), type: 'datetime' },
      byline: { text: e.recordedByName ?? 'The service' },
      text: `Recorded ${formatDateTime(e.recordedAt)}`,
    })),
    actions: [
      { text: EVENT_PAGE_TITLES.changeSchool, href: paths.children.changeSchool(child.id) },
      { text: EVENT_PAGE_TITLES.changePlacement, href: paths.children.changePlacement(child.id) },
      { text: EVENT_PAGE_TITLES.changeOwner, href: paths.children.changeOwner(child.id) },
      { text: EVENT_PAGE_TITLES.ceaseCare, href: paths.children.ceaseCare(child.id) },
    ],
  }
}

/** The possible record owners as radio items, the one chosen checked. */
export function ownerItems(
  owners: readonly { id: string; role: string; displayName: string }[],
  chosen?: string,
) {
  return owners.map((o) => ({
    value: `${o.id}:${o.role}`,
    text: `${o.displayName} (${roleName(o.role)})`,
    checked: chosen === `${o.id}:${o.role}`,
  }))
}
