import { CHILD_CSV_COLUMNS } from '../domain/child-import.ts'
import { withCheckLetter } from '../domain/upn.ts'

/**
 * A child import CSV of `count` fictional children, with the awkward cases a real file has
 * (Welsh and Irish names, an emoji, a quoted comma, blanks): for the import's scale test and
 * the bench.
 */
export function bigChildCsv(count: number): Buffer {
  const lines = [CHILD_CSV_COLUMNS.join(',')]
  const urns = ['990001', '990002', '990003', '']
  for (let i = 0; i < count; i++) {
    const year = 2008 + (i % 15)
    const cells: Record<string, string> = {
      first_name: i % 7 === 0 ? 'Siôn 😀' : `First${i}`,
      last_name: i % 5 === 0 ? '"Ó Briain, Jr"' : `Last${i}`,
      preferred_name: '',
      date_of_birth: `${year}-0${1 + (i % 9)}-1${i % 10}`,
      gender: ['female', 'male', 'non_binary'][i % 3]!,
      upn: withCheckLetter(`8${String(i).padStart(11, '0')}`),
      uln: i % 2 === 0 ? String(1000000000 + i) : '',
      case_reference: `BULK-${i}`,
      entered_care_on: '2024-09-01',
      emergency_placement: i % 11 === 0 ? 'yes' : 'no',
      legal_status: 'Full care order (C2)',
      placement: 'Foster care',
      school_urn: urns[i % urns.length]!,
      sen_status: ['none', 'sen_support', 'ehc_plan'][i % 3]!,
      year_group: '',
      record_owner_email: i % 3 === 0 ? 'social.worker@example.org' : '',
    }
    lines.push(CHILD_CSV_COLUMNS.map((c) => cells[c]).join(','))
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`)
}
