import { ROLE_NAMES, isRole } from '../../domain/roles.ts'
import { formatDate } from '../../views/format.ts'
import { ageOn, daysBetween, type CalendarDate } from '../../domain/calendar-date.ts'
import {
  FORM_TYPE_NAMES,
  KEY_STAGE_NAMES,
  YEAR_GROUP_NAMES,
  formTypeFor,
  keyStageOf,
  yearGroupOn,
} from '../../domain/year-group.ts'
import type { ChildAccessRow, ChildRecord } from './children.repository.ts'

const GENDERS: Record<string, string> = { female: 'Female', male: 'Male', non_binary: 'Non-binary' }
const STATUSES: Record<ChildRecord['status'], string> = {
  in_care: 'In care',
  ceased: 'Ceased to be in care',
}

/** The child's page as rows for the GOV.UK summary list and table. */
export function presentChildRecord(
  record: ChildRecord,
  access: ChildAccessRow[],
  today: CalendarDate,
) {
  const row = (key: string, value: string | null) => ({
    key: { text: key },
    value: { text: value || 'Not recorded' },
  })
  const year = yearGroupOn(record.dateOfBirth, today)
  const yearGroup = year.kind === 'year' ? year.yearGroup : undefined
  const yearText = yearGroup
    ? YEAR_GROUP_NAMES[yearGroup]
    : year.kind === 'too-young'
      ? 'Not yet of nursery age'
      : 'Beyond Year 13'
  return {
    pageTitle: `${record.firstName} ${record.lastName}`,
    child: record,
    coreRows: [
      row(
        'Date of birth',
        `${formatDate(record.dateOfBirth)} (age ${ageOn(record.dateOfBirth, today)})`,
      ),
      row('Year group', yearText),
      row('Key stage', yearGroup ? KEY_STAGE_NAMES[keyStageOf(yearGroup)] : null),
      row(
        'PEP form',
        yearGroup ? FORM_TYPE_NAMES[formTypeFor(yearGroup, record.schoolType === 'special')] : null,
      ),
      row('Gender', GENDERS[record.gender] ?? record.gender),
      row('Unique pupil number (UPN)', record.upn),
      row('Case reference', record.caseReference),
      row(
        'Entered care',
        `${formatDate(record.enteredCareOn)} (${daysBetween(record.enteredCareOn, today)} days in care)`,
      ),
      row('Status', STATUSES[record.status]),
      row(
        'School or setting',
        record.schoolName
          ? `${record.schoolName}${record.schoolUrn ? ` (URN ${record.schoolUrn})` : ''}`
          : null,
      ),
      row('Looked after by', record.authorityName),
    ],
    accessRows: access.map((a) => [
      { text: a.displayName },
      { text: isRole(a.capacity) ? ROLE_NAMES[a.capacity] : a.capacity },
      { text: formatDate(a.addedAt) },
    ]),
  }
}
