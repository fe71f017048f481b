import { ROLE_NAMES, isRole } from '../../domain/roles.ts'
import { formatDate } from '../../views/format.ts'
import { ageOn, daysBetween, type CalendarDate } from '../../domain/calendar-date.ts'
import {
  FORM_TYPE_NAMES,
  KEY_STAGE_NAMES,
  YEAR_GROUP_NAMES,
  formTypeFor,
  isYearGroup,
  keyStageOf,
  yearGroupOn,
} from '../../domain/year-group.ts'
import { paths } from '../../paths.ts'
import type {
  AccessCandidate,
  AccessListEntry,
  EndedAccessEntry,
} from './access-list.repository.ts'
import type { AccessEndReason } from '../../db/schema.ts'
import type { ChildRecord } from './children.repository.ts'

const GENDERS: Record<string, string> = { female: 'Female', male: 'Male', non_binary: 'Non-binary' }
const STATUSES: Record<ChildRecord['status'], string> = {
  in_care: 'In care',
  ceased: 'Ceased to be in care',
}
export const SEN_STATUSES: Record<ChildRecord['senStatus'], string> = {
  none: 'None',
  sen_support: 'SEN support',
  ehc_plan: 'Education, health and care (EHC) plan',
}

export const roleName = (role: string) => (isRole(role) ? ROLE_NAMES[role] : role)

/** The child's record page: key indicators, core data and the access list. */
export function presentChildRecord(
  record: ChildRecord,
  access: AccessListEntry[],
  candidates: AccessCandidate[],
  today: CalendarDate,
) {
  const row = (key: string, value: string | null | undefined) => ({
    key: { text: key },
    value: { text: value || 'Not recorded' },
  })
  const override =
    record.yearGroupOverride && isYearGroup(record.yearGroupOverride)
      ? record.yearGroupOverride
      : null
  const year = yearGroupOn(record.dateOfBirth, today, override)
  const yearGroup = year.kind === 'year' ? year.yearGroup : undefined
  const yearText = yearGroup
    ? `${YEAR_GROUP_NAMES[yearGroup]}${override ? ' (taught out of their chronological year)' : ''}`
    : year.kind === 'too-young'
      ? 'Not yet of nursery age'
      : 'Beyond Year 13'
  const careEnd = record.status === 'ceased' && record.ceasedOn ? record.ceasedOn : today
  return {
    pageTitle: `${record.firstName} ${record.lastName}`,
    child: record,
    keyIndicators: [
      { label: 'Year group', value: yearText },
      { label: 'Age', value: String(ageOn(record.dateOfBirth, today)) },
      {
        label: 'Days in care',
        value: String(Math.max(0, daysBetween(record.enteredCareOn, careEnd))),
      },
      { label: 'SEN', value: SEN_STATUSES[record.senStatus] },
    ],
    coreRows: [
      row('Preferred name', record.preferredName),
      row('Date of birth', formatDate(record.dateOfBirth)),
      row('Gender', GENDERS[record.gender] ?? record.gender),
      row('Key stage', yearGroup ? KEY_STAGE_NAMES[keyStageOf(yearGroup)] : null),
      row(
        'PEP form',
        yearGroup ? FORM_TYPE_NAMES[formTypeFor(yearGroup, record.schoolType === 'special')] : null,
      ),
      row('Unique pupil number (UPN)', record.upn),
      row('Unique learner number (ULN)', record.uln),
      row('Case reference', record.caseReference),
      row('Entered care', formatDate(record.enteredCareOn)),
      row('Emergency placement', record.emergencyPlacement ? 'Yes' : 'No'),
      row('Legal status', record.legalStatus),
      row('Placement', record.placement),
      row(
        'School or setting',
        record.schoolName
          ? `${record.schoolName}${record.schoolUrn ? ` (URN ${record.schoolUrn})` : ''}`
          : null,
      ),
      row('Record owner', record.recordOwnerName),
      row('Looked after by', record.authorityName),
      row(
        'Status',
        record.status === 'ceased'
          ? `${STATUSES.ceased} on ${formatDate(record.ceasedOn)}: ${record.ceasedReason ?? ''}`
          : STATUSES.in_care,
      ),
    ],
    access: access.map((a) => ({
      name: a.displayName,
      role: roleName(a.capacity),
      added: `${formatDate(a.addedAt)}${a.addedByName ? ` by ${a.addedByName}` : ''}`,
      removeHref: paths.children.removeAccess(record.id, a.id),
    })),
    candidateItems: [
      { value: '', text: 'Choose a person' },
      ...candidates.map((c) => ({
        value: `${c.userId}:${c.role}`,
        text: `${c.displayName} (${roleName(c.role)})`,
      })),
    ],
  }
}

/** Why a place on the list ended, in words (null: taken off the list by hand). */
export const ACCESS_END_REASONS: Record<AccessEndReason, string> = {
  role_removed: 'Their role was removed',
  account_deactivated: 'Their account was deactivated',
  school_changed: 'The child changed school',
  owner_changed: 'A new record owner',
  placement_ended: 'The placement ended',
  left_care: 'The child left care',
  lapsed: 'What it rested on had already ended',
}

/** The access list's history: who had access, from when to when, and why it ended. */
export function presentEndedAccess(entries: EndedAccessEntry[]) {
  return entries.map((e) => [
    { text: e.displayName },
    { text: roleName(e.capacity) },
    { text: `${formatDate(e.addedAt)} to ${formatDate(e.removedAt)}` },
    {
      text: `${e.endReason ? ACCESS_END_REASONS[e.endReason] : 'Taken off the list'}${
        e.removedByName ? ` (${e.removedByName})` : ''
      }`,
    },
  ])
}
