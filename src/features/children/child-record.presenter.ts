import { ROLE_NAMES, STAFF_ROLES, isRole, type Role } from '../../domain/roles.ts'
import { mayReadPart, type RecordPart } from '../../domain/visibility.ts'
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
import type { AccessCandidate, EndedAccessEntry } from './access-list.repository.ts'
import type { AccessListEntry } from '../../shared/child-access.ts'
import type { AccessEndReason } from '../../db/schema.ts'
import type { ChildRecord } from './children.repository.ts'
import type { Refusal } from '../../shared/result.ts'
import type { AccessListRefusal } from './access-list.service.ts'

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

/**
 * The child's record page: key indicators, core data, the access list, and for those who may not
 * read the access list, the professionals to contact. Each row and part is shown only as far as
 * the reader's role may read it (ADR 10).
 */
export function presentChildRecord(
  record: ChildRecord,
  access: AccessListEntry[],
  candidates: AccessCandidate[],
  today: CalendarDate,
  role: Role | null,
) {
  const may = (part: RecordPart) => mayReadPart(role, part)
  const row = (part: RecordPart, key: string, value: string | null | undefined) => ({
    part,
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
  const keyIndicators = [
    { label: 'Year group', value: yearText },
    { label: 'Age', value: String(ageOn(record.dateOfBirth, today)) },
    // A planned entry into care (issue 19) says when it is planned for.
    daysBetween(today, record.enteredCareOn) > 0
      ? { label: 'Days in care', value: `Planned: enters care ${formatDate(record.enteredCareOn)}` }
      : {
          label: 'Days in care',
          value: String(Math.max(0, daysBetween(record.enteredCareOn, careEnd))),
        },
    { label: 'SEN', value: SEN_STATUSES[record.senStatus] },
  ]
  const coreRows = [
    row('name', 'Preferred name', record.preferredName),
    row('core-data', 'Date of birth', formatDate(record.dateOfBirth)),
    row('core-data', 'Gender', GENDERS[record.gender] ?? record.gender),
    row('key-indicators', 'Key stage', yearGroup ? KEY_STAGE_NAMES[keyStageOf(yearGroup)] : null),
    row(
      'key-indicators',
      'PEP form',
      yearGroup ? FORM_TYPE_NAMES[formTypeFor(yearGroup, record.schoolType === 'special')] : null,
    ),
    row('core-data', 'Unique pupil number (UPN)', record.upn),
    row('core-data', 'Unique learner number (ULN)', record.uln),
    row('core-data', 'Case reference', record.caseReference),
    row('core-data', 'Entered care', formatDate(record.enteredCareOn)),
    row('core-data', 'Emergency placement', record.emergencyPlacement ? 'Yes' : 'No'),
    row('core-data', 'Legal status', record.legalStatus),
    row('core-data', 'Placement', record.placement),
    row(
      'school',
      'School or setting',
      record.schoolName
        ? `${record.schoolName}${record.schoolUrn ? ` (URN ${record.schoolUrn})` : ''}`
        : null,
    ),
    row('professionals', 'Record owner', record.recordOwnerName),
    row('professionals', 'Looked after by', record.authorityName),
    row(
      'core-data',
      'Status',
      record.status === 'ceased'
        ? `${STATUSES.ceased} on ${formatDate(record.ceasedOn)}: ${record.ceasedReason ?? ''}`
        : STATUSES.in_care,
    ),
  ]
  return {
    pageTitle: `${record.firstName} ${record.lastName}`,
    child: record,
    keyIndicators: may('key-indicators') ? keyIndicators : [],
    coreRows: coreRows.filter((r) => may(r.part)).map(({ key, value }) => ({ key, value })),
    /** Only for those who may read core data: the heading says "Core data". */
    coreData: may('core-data'),
    showAccessList: may('access-list'),
    access: (may('access-list') ? access : []).map((a) => ({
      name: a.displayName,
      role: roleName(a.capacity),
      added: `${formatDate(a.addedAt)}${a.addedByName ? ` by ${a.addedByName}` : ''}`,
      removeHref: paths.children.removeAccess(record.id, a.id),
    })),
    /** Who to contact: the professionals on the list, for those who may not read the list itself. */
    professionals:
      may('professionals') && !may('access-list')
        ? access
            .filter((a) => isRole(a.capacity) && STAFF_ROLES.includes(a.capacity))
            .map((a) => ({ name: a.displayName, role: roleName(a.capacity), email: a.email }))
        : [],
    showProfessionals: may('professionals') && !may('access-list'),
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

/** What a change to the access list says, and why one was refused (its codes' words). */
export const accessAddedText = (displayName: string) => `${displayName} can now see this record`
export const ACCESS_REMOVED_TEXT = 'They can no longer see this record'
export function accessListRefusalText(refusal: Refusal<AccessListRefusal>): string {
  switch (refusal.code) {
    case 'access-list.young-person-linked':
      // A young person's account is one child's (ADR 10): linked meanwhile, elsewhere or here.
      return `${refusal.params?.['displayName']} cannot be added: a young person's account belongs to one child, and a child has one`
    case 'access-list.not-a-candidate':
    case 'access-list.not-on-list':
      return 'Select the person to add'
  }
}
