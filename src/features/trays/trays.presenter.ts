import type { CalendarDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import { GROUP_NAMES, groupSlug, isGroupTray } from '../../shared/group-trays.ts'
import type { GroupTray } from '../../shared/tasks.ts'
import type { TaskDetail, TaskNoteRow, TrayRow } from './trays.repository.ts'

/* View models for the trays: plain data, so templates only lay it out. */

export const MY_TRAY_TITLE = 'My tray'

export interface TrayItem {
  id: string
  title: string
  childName: string
  /** The child's record; null for someone who reaches only a PEP delegated to them. */
  childHref: string | null
  pepName: string | null
  /** Where the work is done: the PEP, or the child's record when the task is not about a PEP. */
  href: string
  due: string | null
  overdue: boolean
  created: string
  groupName: string | null
}

export function trayItem(row: TrayRow, today: CalendarDate): TrayItem {
  const pepName =
    row.pepId && row.pepFormType && row.pepAcademicYear !== null && row.pepTerm
      ? pepTitle({
          formType: row.pepFormType,
          academicYear: row.pepAcademicYear,
          term: row.pepTerm,
        })
      : null
  return {
    id: row.id,
    title: row.title,
    childName: `${row.childFirstName} ${row.childLastName}`,
    // A colleague given only a PEP's pages reaches that PEP, not the child's record (issue 15).
    childHref: row.recordReachable === false ? null : paths.children.show(row.childId),
    pepName,
    href: row.pepId
      ? paths.peps.contents(row.childId, row.pepId)
      : row.recordReachable === false
        ? paths.trays.mine()
        : paths.children.show(row.childId),
    due: row.dueOn ? formatDate(row.dueOn) : null,
    overdue: row.dueOn !== null && row.dueOn < today,
    created: formatDate(row.createdAt),
    groupName: isGroupTray(row.groupRole) ? GROUP_NAMES[row.groupRole] : null,
  }
}

const NOTE_WORDS: Record<string, string> = {
  picked_up: 'Picked up',
  released: 'Released to the group tray',
  reassigned: 'Reassigned',
}

export function taskNoteItem(note: TaskNoteRow) {
  return {
    what:
      note.kind === 'reassigned' && note.toName
        ? `Reassigned to ${note.toName}`
        : (NOTE_WORDS[note.kind] ?? note.kind),
    by: note.byName,
    when: formatDateTime(note.at),
    comment: note.comment,
  }
}

/** Who holds a task, in words, for its page and for the message when someone got there first. */
export function holderText(task: TaskDetail, userId: string): string {
  if (task.status === 'done') return 'This task has already been done.'
  if (task.assignedTo === userId) return 'You have picked up this task.'
  if (task.assignedTo) return `${task.assigneeName ?? 'Someone else'} has picked up this task.`
  return 'Nobody has picked up this task yet.'
}

/** The message when a change finds that someone got there first: nothing was changed. */
export function movedOnText(task: TaskDetail, userId: string): string {
  if (task.status === 'done') return 'This task has already been done. Nothing was changed.'
  if (task.assignedTo === userId) return 'You have already picked up this task.'
  if (task.assignedTo)
    return `${task.assigneeName ?? 'Someone else'} has already picked up this task. Nothing was changed.`
  return 'This task is back in its group tray. Nothing was changed.'
}

/** The group trays a person works, linked, with the tasks waiting in each. */
export function groupTrayLinks(groups: readonly { group: GroupTray; count: number }[]) {
  return groups.map(({ group, count }) => ({
    name: GROUP_NAMES[group],
    href: paths.trays.group(groupSlug(group)),
    count,
  }))
}

/* The words of the trays' flash messages. */
export const alertDismissedText = (dismissed: boolean) =>
  dismissed ? 'Alert dismissed' : 'That alert had already been dismissed'
export const TASK_GONE = 'This task no longer exists.'
export const pickedUpText = (title: string) => `You picked up “${title}”. It is in your tray.`
export const releasedText = (title: string, group: GroupTray) =>
  `“${title}” is back in the ${GROUP_NAMES[group]}.`
export const reassignedText = (title: string, name: string) =>
  `“${title}” is reassigned to ${name}.`
