import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { Invitee, MeetingRecord } from './meeting-record.repository.ts'
import { VIEWS_OPTIONS, YOUNG_PERSON_ATTENDED_OPTIONS } from './meeting-record.presenter.ts'

const TEXT_MAX = 2000
const INPUT_MAX = 5000

/** What was typed, kept to show the form again. */
export interface TypedMeetingRecord {
  attended: string[]
  otherAttendees: string
  apologies: string[]
  otherApologies: string
  youngPersonAttended: string
  youngPersonViews: string
  youngPersonViewsDetail: string
  socialWorkerAttended: string
  socialWorkerInput: string
}

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  )
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '')

export function typedFrom(record: MeetingRecord | undefined): TypedMeetingRecord {
  return {
    attended: record?.attendedInviteeIds ?? [],
    otherAttendees: record?.otherAttendees ?? '',
    apologies: record?.apologyInviteeIds ?? [],
    otherApologies: record?.otherApologies ?? '',
    youngPersonAttended: record?.youngPersonAttended ?? '',
    youngPersonViews: record?.youngPersonViews ?? '',
    youngPersonViewsDetail: record?.youngPersonViewsDetail ?? '',
    socialWorkerAttended: record ? (record.socialWorkerAttended ? 'yes' : 'no') : '',
    socialWorkerInput: record?.socialWorkerInput ?? '',
  }
}

/**
 * The meeting record's form: the invitees who attended and who sent apologies (never both),
 * others typed in, whether the young person attended and how their views were given, and, when
 * the social worker was absent, their input. Every message names its field.
 */
export function readMeetingRecordForm(
  body: Record<string, unknown> | undefined,
  invitees: readonly Invitee[],
): { typed: TypedMeetingRecord; errors?: FormErrors; value?: MeetingRecord } {
  const b = body ?? {}
  const typed: TypedMeetingRecord = {
    attended: list(b.attended),
    otherAttendees: text(b.otherAttendees),
    apologies: list(b.apologies),
    otherApologies: text(b.otherApologies),
    youngPersonAttended: text(b.youngPersonAttended),
    youngPersonViews: text(b.youngPersonViews),
    youngPersonViewsDetail: text(b.youngPersonViewsDetail),
    socialWorkerAttended: text(b.socialWorkerAttended),
    socialWorkerInput: text(b.socialWorkerInput),
  }
  const problems = new FormProblems()
  const known = new Set(invitees.map((i) => i.id))
  if (typed.attended.some((id) => !known.has(id)))
    problems.add('attended', 'Select who attended from the people invited', 'attended')
  if (typed.apologies.some((id) => !known.has(id)))
    problems.add('apologies', 'Select who sent apologies from the people invited', 'apologies')
  const both = invitees.filter(
    (i) => typed.attended.includes(i.id) && typed.apologies.includes(i.id),
  )
  if (both.length > 0)
    problems.add(
      'apologies',
      `${both.map((i) => i.name).join(', ')} cannot both have attended and sent apologies: select one`,
      'apologies',
    )
  if (typed.attended.length === 0 && typed.otherAttendees === '')
    problems.add(
      'attended',
      invitees.length > 0
        ? 'Select who attended, or enter the names of the people who attended'
        : 'Enter the names of the people who attended',
      invitees.length > 0 ? 'attended' : 'otherAttendees',
    )
  if (typed.otherAttendees.length > TEXT_MAX)
    problems.add(
      'otherAttendees',
      `Other people who attended must be ${TEXT_MAX} characters or fewer`,
    )
  if (typed.otherApologies.length > TEXT_MAX)
    problems.add('otherApologies', `Other apologies must be ${TEXT_MAX} characters or fewer`)
  const attendedOption = YOUNG_PERSON_ATTENDED_OPTIONS.find(
    (o) => o.value === typed.youngPersonAttended,
  )
  if (!attendedOption)
    problems.add('youngPersonAttended', 'Select whether the young person attended the meeting')
  const viewsOption = VIEWS_OPTIONS.find((o) => o.value === typed.youngPersonViews)
  if (!viewsOption)
    problems.add('youngPersonViews', 'Select how the young person’s views were given')
  if (typed.youngPersonViewsDetail.length > TEXT_MAX)
    problems.add(
      'youngPersonViewsDetail',
      `More about how the young person’s views were given must be ${TEXT_MAX} characters or fewer`,
    )
  const swAttended =
    typed.socialWorkerAttended === 'yes' ? true : typed.socialWorkerAttended === 'no' ? false : null
  if (swAttended === null)
    problems.add('socialWorkerAttended', 'Select whether the social worker attended the meeting')
  if (swAttended === false && typed.socialWorkerInput === '')
    problems.add(
      'socialWorkerInput',
      'Enter the social worker’s input, as they gave it before the meeting',
    )
  if (typed.socialWorkerInput.length > INPUT_MAX)
    problems.add(
      'socialWorkerInput',
      `The social worker’s input must be ${INPUT_MAX} characters or fewer`,
    )
  if (problems.any || !attendedOption || !viewsOption || swAttended === null)
    return { typed, errors: problems.errors }
  return {
    typed,
    value: {
      attendedInviteeIds: invitees.filter((i) => typed.attended.includes(i.id)).map((i) => i.id),
      otherAttendees: typed.otherAttendees,
      apologyInviteeIds: invitees.filter((i) => typed.apologies.includes(i.id)).map((i) => i.id),
      otherApologies: typed.otherApologies,
      youngPersonAttended: attendedOption.value,
      youngPersonViews: viewsOption.value,
      youngPersonViewsDetail: typed.youngPersonViewsDetail,
      socialWorkerAttended: swAttended,
      // Their input is kept only when they were absent: attending, they gave it in the meeting.
      socialWorkerInput: swAttended ? '' : typed.socialWorkerInput,
    },
  }
}
