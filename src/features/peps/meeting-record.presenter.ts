import { formatDateTime } from '../../views/format.ts'
import type { Invitee, StoredMeetingRecord } from './meeting-record.repository.ts'

export const YOUNG_PERSON_ATTENDED_OPTIONS = [
  { value: 'yes', text: 'Yes, for the whole meeting' },
  { value: 'part', text: 'For part of the meeting' },
  { value: 'no', text: 'No' },
] as const

export const VIEWS_OPTIONS = [
  { value: 'in-person', text: 'They spoke for themselves at the meeting' },
  { value: 'in-writing', text: 'In writing or in their part of the PEP, before the meeting' },
  { value: 'advocate', text: 'Through an advocate' },
  {
    value: 'passed-on',
    text: 'Passed on by someone they trust (their carer, social worker or a teacher)',
  },
  { value: 'not-given', text: 'They chose not to give their views this time' },
] as const

export const REFUSALS: Record<string, string> = {
  'meeting-record.signed-off':
    'This PEP has been signed off: its meeting record is kept as it was signed off',
  'meeting-record.not-invited':
    'The people invited to the meeting have changed since you opened the form: check who attended and save again',
  'meeting-record.changed':
    'Someone saved this meeting record after you opened it, so yours was not saved over theirs. Your answers are below: check them against the record as it now stands (read it from the PEP) and save again',
}

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')

/** The meeting record as rows of label and value: the read view, the record's page and the PDF. */
export function meetingRecordRows(
  record: StoredMeetingRecord,
  invitees: readonly Invitee[],
): { label: string; value: string }[] {
  const names = (ids: readonly string[], others: string) => {
    const all = [...invitees.filter((i) => ids.includes(i.id)).map((i) => i.name), ...lines(others)]
    return all.length > 0 ? all.join(', ') : 'None recorded'
  }
  const rows = [
    { label: 'Who attended', value: names(record.attendedInviteeIds, record.otherAttendees) },
    { label: 'Apologies', value: names(record.apologyInviteeIds, record.otherApologies) },
    {
      label: 'Did the young person attend?',
      value:
        YOUNG_PERSON_ATTENDED_OPTIONS.find((o) => o.value === record.youngPersonAttended)?.text ??
        '',
    },
    {
      label: 'How the young person’s views were given',
      value:
        (VIEWS_OPTIONS.find((o) => o.value === record.youngPersonViews)?.text ?? '') +
        (record.youngPersonViewsDetail ? `. ${record.youngPersonViewsDetail}` : ''),
    },
    {
      label: 'Did the social worker attend?',
      value: record.socialWorkerAttended ? 'Yes' : 'No',
    },
  ]
  if (!record.socialWorkerAttended)
    rows.push({ label: 'The social worker’s input', value: record.socialWorkerInput })
  rows.push({
    label: 'Recorded by',
    value: `${record.recordedByName}, ${formatDateTime(record.recordedAt)}`,
  })
  return rows
}

export const meetingRecordTitle = (pepTitle: string, childName: string) =>
  `Meeting record – ${pepTitle} – ${childName}`

/** The heading of one saved version in the record's history. */
export const meetingRecordVersionHeading = (v: {
  version: number
  recordedByName: string
  recordedAt: Date
}) => `Version ${v.version}, saved by ${v.recordedByName}, ${formatDateTime(v.recordedAt)}`
