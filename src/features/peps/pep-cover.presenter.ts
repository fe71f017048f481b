import type { Queryable } from '../../db/connection.ts'
import { PEP_STATE_NAMES } from '../../domain/pep-workflow.ts'
import { STAFF_ROLES, isRole, type Role } from '../../domain/roles.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { displayAnswer } from '../../forms/display.ts'
import { readableQuestions, type PepReader } from '../../forms/reading.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { listAccessEntries } from '../../shared/child-access.ts'
import { roleName } from '../children/child-record.presenter.ts'
import type { PepInContext } from './pep-context.ts'
import { pepSummaryRows, pepTermWords } from './pep.presenter.ts'
import type { PageRow } from './peps.repository.ts'

/** The protective marking of every PEP (on each page of its PDF, and on its cover). */
export const PROTECTIVE_MARKING = 'OFFICIAL-SENSITIVE'

export interface PepCover {
  summary: { label: string; value: string }[]
  professionals: { name: string; role: string; email: string }[]
}

/**
 * The first page of a PEP's PDF (and the top of its print view): the child, the authority, the
 * term and academic year, the meeting, the PEP's state and overall rating, when and by whom it
 * was signed off, the protective marking, and the professionals. Each line only for a reader
 * who may read it (ADR 10): the date of birth, UPN, case reference and legal status are core
 * data (staff), the professionals and the authority are for staff and the carer, the overall
 * rating is the quality assurance's (staff).
 */
export async function pepCover(
  db: Queryable,
  pep: PepInContext,
  reader: PepReader,
  pages: ReadonlyMap<string, PageRow>,
): Promise<PepCover> {
  const may = (part: Parameters<typeof mayReadPart>[1]) => mayReadPart(reader.role, part)
  const [child, school, signer, access] = await Promise.all([
    db
      .selectFrom('child as c')
      .innerJoin('authority as a', 'a.id', 'c.authority_id')
      .select([
        'c.date_of_birth as dateOfBirth',
        'c.upn',
        'c.case_reference as caseReference',
        'c.legal_status as legalStatus',
        'a.name as authorityName',
      ])
      .where('c.id', '=', pep.childId)
      .executeTakeFirstOrThrow(),
    pep.schoolId
      ? db
          .selectFrom('school')
          .select(['name', 'urn'])
          .where('id', '=', pep.schoolId)
          .executeTakeFirst()
      : undefined,
    db
      .selectFrom('pep')
      .leftJoin('app_user as u', 'u.id', 'pep.signed_off_by')
      .select(['pep.signed_off_at as at', 'u.display_name as name'])
      .where('pep.id', '=', pep.id)
      .executeTakeFirst(),
    may('professionals') ? listAccessEntries(db, pep.childId) : [],
  ])
  const summary: PepCover['summary'] = []
  const add = (label: string, value: string | null | undefined) =>
    summary.push({ label, value: value || 'Not recorded' })
  if (may('core-data')) {
    add('Date of birth', formatDate(child.dateOfBirth))
    add('Unique pupil number (UPN)', child.upn)
    add('Case reference', child.caseReference)
    add('Legal status', child.legalStatus)
  }
  add(
    'School or setting',
    school ? `${school.name}${school.urn ? ` (URN ${school.urn})` : ''}` : null,
  )
  if (may('professionals')) add('Looked after by', child.authorityName)
  const pepRows = pepSummaryRows(pep).map((row) => ({
    label: row.key.text,
    value: row.value.text,
  }))
  for (const row of pepRows) {
    if (row.label === 'Term') add('Term', pepTermWords(pep))
    else if (row.label !== 'Started') summary.push(row)
  }
  add('State', PEP_STATE_NAMES[pep.status])
  const rating = overallRating(pep, reader, pages)
  if (rating) add('Overall rating', rating)
  if (signer?.at) {
    add(
      'Signed off',
      `${formatDateTime(signer.at)}${signer.name && may('professionals') ? ` by ${signer.name}` : ''}`,
    )
  }
  add('Protective marking', PROTECTIVE_MARKING)
  return {
    summary,
    professionals: access
      .filter((a) => isRole(a.capacity) && (STAFF_ROLES as readonly Role[]).includes(a.capacity))
      .map((a) => ({ name: a.displayName, role: roleName(a.capacity), email: a.email })),
  }
}

/** The quality assurance's overall rating, as its answer reads, for a reader who may read it. */
function overallRating(
  pep: PepInContext,
  reader: PepReader,
  pages: ReadonlyMap<string, PageRow>,
): string | null {
  for (const section of pep.template.sections) {
    for (const page of section.pages) {
      const question = readableQuestions(reader, section, page).find((q) => q.id === 'qa-overall')
      if (!question) continue
      const shown = displayAnswer(question, pages.get(page.id)?.answers[question.id])
      return shown.kind === 'text' ? shown.text : null
    }
  }
  return null
}
