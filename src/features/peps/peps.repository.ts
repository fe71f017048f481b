import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'
import type { PepStatus } from '../../db/schema.ts'
import type { Answers } from '../../forms/types.ts'
import type { Term, TermName } from '../../domain/terms.ts'

/* Kysely queries for PEPs and their pages; each takes a db or a transaction. */

export interface PepRow {
  id: string
  childId: string
  authorityId: string
  academicYear: number
  term: TermName
  formType: string
  templateVersion: number
  yearGroup: string
  schoolId: string | null
  status: PepStatus
  changeOfSchool: boolean
  startedOn: string
  meetingOn: string | null
  carriedFromId: string | null
  createdAt: Date
  meetingTime: string | null
  meetingConfirmedAt: Date | null
  meetingConfirmedByName: string | null
  signedOffAt: Date | null
  targetOn: string | null
  isInitial: boolean
  meetingLocation: string | null
  meetingReasons: string[]
  meetingOtherReason: string | null
  contactName: string | null
  contactPhone: string | null
}

const PEP_COLUMNS = [
  'pep.id',
  'pep.child_id as childId',
  'pep.authority_id as authorityId',
  'pep.academic_year as academicYear',
  'pep.term',
  'pep.form_type as formType',
  'pep.template_version as templateVersion',
  'pep.year_group as yearGroup',
  'pep.school_id as schoolId',
  'pep.status',
  'pep.change_of_school as changeOfSchool',
  'pep.started_on as startedOn',
  'pep.meeting_on as meetingOn',
  'pep.carried_from_id as carriedFromId',
  'pep.created_at as createdAt',
  'pep.meeting_time as meetingTime',
  'pep.meeting_confirmed_at as meetingConfirmedAt',
  'pep.signed_off_at as signedOffAt',
  'pep.target_on as targetOn',
  'pep.is_initial as isInitial',
  'pep.meeting_location as meetingLocation',
  'pep.meeting_reasons as meetingReasons',
  'pep.meeting_other_reason as meetingOtherReason',
  'pep.contact_name as contactName',
  'pep.contact_phone as contactPhone',
] as const

/**
 * A PEP of this child, or undefined: a PEP id never reaches another child's PEP. This and the
 * PEP's other reads below that every PEP page makes (its pages, sections, shares and delegation)
 * are prepared statements (db/prepared.ts), as the child's record's: each cost more to plan than
 * to run, and on PGlite planning also asks the file system for every table's size.
 */
export async function findPepOfChild(
  db: Queryable,
  childId: string,
  pepId: string,
): Promise<PepRow | undefined> {
  const [row] = await executePrepared(
    db,
    db
      .selectFrom('pep')
      .leftJoin('app_user as confirmer', 'confirmer.id', 'pep.meeting_confirmed_by')
      .select(PEP_COLUMNS)
      .select('confirmer.display_name as meetingConfirmedByName')
      .where('pep.id', '=', pepId)
      .where('pep.child_id', '=', childId),
  )
  return row
}

/**
 * The child's PEPs, newest term first (the first `limit` of them, if given). A prepared statement
 * (db/prepared.ts): the child's record and its PEPs tab ask it on every view.
 */
export async function listPepsOfChild(
  db: Queryable,
  childId: string,
  limit = 1000,
): Promise<PepRow[]> {
  return executePrepared(
    db,
    db
      .selectFrom('pep')
      .leftJoin('app_user as confirmer', 'confirmer.id', 'pep.meeting_confirmed_by')
      .select(PEP_COLUMNS)
      .select('confirmer.display_name as meetingConfirmedByName')
      .where('pep.child_id', '=', childId)
      .orderBy('pep.academic_year', 'desc')
      .orderBy(
        (eb) =>
          eb
            .case()
            .when('pep.term', '=', 'summer')
            .then(3)
            .when('pep.term', '=', 'spring')
            .then(2)
            .else(1)
            .end(),
        'desc',
      )
      .orderBy('pep.created_at', 'desc')
      .limit(limit),
  )
}

export async function pepsInTerm(db: Queryable, childId: string, term: Term) {
  return db
    .selectFrom('pep')
    .select(['id', 'change_of_school as changeOfSchool'])
    .where('child_id', '=', childId)
    .where('academic_year', '=', term.academicYear)
    .where('term', '=', term.name)
    .execute()
}

export async function insertPep(
  db: Queryable,
  pep: {
    childId: string
    authorityId: string
    term: Term
    formType: string
    templateVersion: number
    yearGroup: string
    schoolId: string | null
    changeOfSchool: boolean
    startedOn: string
    meetingOn: string | null
    meetingTime?: string | null
    meetingLocation?: string | null
    meetingReasons?: readonly string[]
    meetingOtherReason?: string | null
    contactName?: string | null
    contactPhone?: string | null
    targetOn?: string | null
    isInitial?: boolean
    /** Who is invited to the meeting: people on the child's access list, and outside emails. */
    invitees?: { userIds: readonly string[]; emails: readonly string[] }
    carriedFromId: string | null
    createdBy: string
    at: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('pep')
    .values({
      child_id: pep.childId,
      authority_id: pep.authorityId,
      academic_year: pep.term.academicYear,
      term: pep.term.name,
      form_type: pep.formType,
      template_version: pep.templateVersion,
      year_group: pep.yearGroup,
      school_id: pep.schoolId,
      change_of_school: pep.changeOfSchool,
      started_on: pep.startedOn,
      meeting_on: pep.meetingOn,
      meeting_time: pep.meetingTime ?? null,
      meeting_location: pep.meetingLocation ?? null,
      meeting_reasons: JSON.stringify(pep.meetingReasons ?? []),
      meeting_other_reason: pep.meetingOtherReason ?? null,
      contact_name: pep.contactName ?? null,
      contact_phone: pep.contactPhone ?? null,
      target_on: pep.targetOn ?? null,
      is_initial: pep.isInitial ?? false,
      carried_from_id: pep.carriedFromId,
      created_by: pep.createdBy,
      created_at: pep.at,
      updated_at: pep.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const invitees = [
    ...(pep.invitees?.userIds ?? []).map((userId) => ({
      pep_id: row.id,
      user_id: userId,
      email: null,
    })),
    ...(pep.invitees?.emails ?? []).map((email) => ({ pep_id: row.id, user_id: null, email })),
  ]
  if (invitees.length > 0) await db.insertInto('pep_invitee').values(invitees).execute()
  return row.id
}

/** Holds the PEP's row until the transaction ends, so saves and completion take turns. */
export async function lockPep(db: Queryable, pepId: string): Promise<void> {
  await db.selectFrom('pep').select('id').where('id', '=', pepId).forUpdate().execute()
}

/** Locks a PEP (as lockPep) and reads, in the same statement, what a save checks under the lock. */
export async function lockPepForSave(db: Queryable, pepId: string) {
  return db
    .selectFrom('pep')
    .select(['status', 'form_type', 'template_version'])
    .where('id', '=', pepId)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export interface PageRow {
  pageId: string
  answers: Answers
  version: number
  savedAt: Date
  savedBy: string | null
  savedByName: string | null
}

/** The latest answers of every saved page of a PEP. */
const pagesQuery = (db: Queryable, pepId: string) =>
  db
    .selectFrom('pep_page as p')
    .leftJoin('app_user as u', 'u.id', 'p.saved_by')
    .select([
      'p.page_id as pageId',
      'p.answers',
      'p.version',
      'p.saved_at as savedAt',
      'p.saved_by as savedBy',
      'u.display_name as savedByName',
    ])
    .where('p.pep_id', '=', pepId)

export async function pagesOf(db: Queryable, pepId: string): Promise<Map<string, PageRow>> {
  const rows = await executePrepared(db, pagesQuery(db, pepId))
  return new Map(rows.map((r) => [r.pageId, { ...r, answers: r.answers as Answers }]))
}

/** One page of a PEP as saved, if it has been: what `pagesOf(...).get(pageId)` gives. */
export async function pageOf(
  db: Queryable,
  pepId: string,
  pageId: string,
): Promise<PageRow | undefined> {
  const [row] = await executePrepared(db, pagesQuery(db, pepId).where('p.page_id', '=', pageId))
  return row && { ...row, answers: row.answers as Answers }
}

/** The pages of a PEP that staff have shared with the young person (ADR 10). */
export async function sharedPagesOf(db: Queryable, pepId: string): Promise<Set<string>> {
  const rows = await executePrepared(
    db,
    db.selectFrom('pep_page_share').select('page_id').where('pep_id', '=', pepId),
  )
  return new Set(rows.map((r) => r.page_id))
}

/** Shares a page with the young person, or stops sharing it; true if that changed anything. */
export async function setPageShared(
  db: Queryable,
  input: { pepId: string; pageId: string; shared: boolean; by: string; at: Date },
): Promise<boolean> {
  if (input.shared) {
    const rows = await db
      .insertInto('pep_page_share')
      .values({
        pep_id: input.pepId,
        page_id: input.pageId,
        shared_by: input.by,
        shared_at: input.at,
      })
      .onConflict((oc) => oc.columns(['pep_id', 'page_id']).doNothing())
      .returning('page_id')
      .execute()
    return rows.length > 0
  }
  const deleted = await db
    .deleteFrom('pep_page_share')
    .where('pep_id', '=', input.pepId)
    .where('page_id', '=', input.pageId)
    .executeTakeFirst()
  return Number(deleted.numDeletedRows) > 0
}

/**
 * Writes a page's answers as version `version`, keeping a revision of them. For a first save
 * (`version` 1) the insert does nothing if another save got there first: false means a conflict.
 */
export async function writePage(
  db: Queryable,
  page: {
    pepId: string
    pageId: string
    answers: Answers
    version: number
    savedBy: string
    at: Date
    kind: 'saved' | 'carried-forward'
  },
): Promise<boolean> {
  const answers = JSON.stringify(page.answers)
  if (page.version === 1) {
    const inserted = await db
      .insertInto('pep_page')
      .values({
        pep_id: page.pepId,
        page_id: page.pageId,
        answers,
        version: 1,
        saved_by: page.savedBy,
        saved_at: page.at,
      })
      .onConflict((oc) => oc.columns(['pep_id', 'page_id']).doNothing())
      .returning('version')
      .executeTakeFirst()
    if (!inserted) return false
  } else {
    const updated = await db
      .updateTable('pep_page')
      .set({ answers, version: page.version, saved_by: page.savedBy, saved_at: page.at })
      .where('pep_id', '=', page.pepId)
      .where('page_id', '=', page.pageId)
      .where('version', '=', page.version - 1)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return false
  }
  await db
    .insertInto('pep_page_revision')
    .values({
      pep_id: page.pepId,
      page_id: page.pageId,
      version: page.version,
      answers,
      saved_by: page.savedBy,
      saved_at: page.at,
      kind: page.kind,
    })
    .execute()
  await db.updateTable('pep').set({ updated_at: page.at }).where('id', '=', page.pepId).execute()
  return true
}

/**
 * Answers sent in a conflict and not chosen (the other save was kept): a revision of kind
 * 'not-chosen', numbered with the version it lost to, so the page's history keeps both.
 */
export async function writeNotChosen(
  db: Queryable,
  revision: {
    pepId: string
    pageId: string
    version: number
    answers: Answers
    savedBy: string
    at: Date
  },
): Promise<void> {
  await db
    .insertInto('pep_page_revision')
    .values({
      pep_id: revision.pepId,
      page_id: revision.pageId,
      version: revision.version,
      answers: JSON.stringify(revision.answers),
      saved_by: revision.savedBy,
      saved_at: revision.at,
      kind: 'not-chosen',
    })
    .execute()
}

export interface RevisionRow {
  version: number
  answers: Answers
  savedAt: Date
  savedByName: string | null
  kind: 'saved' | 'carried-forward' | 'not-chosen'
}

/** Every save of a page, oldest first. */
export async function revisionsOf(
  db: Queryable,
  pepId: string,
  pageId: string,
): Promise<RevisionRow[]> {
  const rows = await db
    .selectFrom('pep_page_revision as r')
    .leftJoin('app_user as u', 'u.id', 'r.saved_by')
    .select([
      'r.version',
      'r.answers',
      'r.saved_at as savedAt',
      'u.display_name as savedByName',
      'r.kind',
    ])
    .where('r.pep_id', '=', pepId)
    .where('r.page_id', '=', pageId)
    .orderBy('r.version')
    // A version not chosen comes after the save it lost to, even at the same instant (a clock's
    // resolution, a test's fixed clock), whatever order the rows are stored in.
    .orderBy(sql`r.kind = 'not-chosen'`)
    .orderBy('r.saved_at')
    .execute()
  return rows.map((r) => ({ ...r, answers: r.answers as Answers }))
}

export interface SectionRow {
  sectionId: string
  completedAt: Date | null
  completedByName: string | null
}

export async function sectionsOf(db: Queryable, pepId: string): Promise<Map<string, SectionRow>> {
  const rows = await executePrepared(
    db,
    db
      .selectFrom('pep_section as s')
      .leftJoin('app_user as u', 'u.id', 's.completed_by')
      .select([
        's.section_id as sectionId',
        's.completed_at as completedAt',
        'u.display_name as completedByName',
      ])
      .where('s.pep_id', '=', pepId),
  )
  return new Map(rows.map((r) => [r.sectionId, r]))
}

export async function markSectionComplete(
  db: Queryable,
  section: { pepId: string; sectionId: string; by: string; at: Date },
): Promise<void> {
  await db
    .insertInto('pep_section')
    .values({
      pep_id: section.pepId,
      section_id: section.sectionId,
      completed_by: section.by,
      completed_at: section.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['pep_id', 'section_id'])
        .doUpdateSet({ completed_by: section.by, completed_at: section.at }),
    )
    .execute()
}

export interface SchoolOnRecord {
  schoolType: string | null
  /** When the child joined their current school, from the school history. */
  since: string | null
}

/** The type of the child's school and when they joined it, for Education information. */
export async function schoolOnRecord(db: Queryable, childId: string): Promise<SchoolOnRecord> {
  const row = await db
    .selectFrom('child as c')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .leftJoin('child_school as cs', (join) =>
      join
        .onRef('cs.child_id', '=', 'c.id')
        .onRef('cs.school_id', '=', 'c.school_id')
        .on('cs.ended_on', 'is', null),
    )
    .select(['s.type as schoolType', 'cs.started_on as since'])
    .where('c.id', '=', childId)
    .orderBy('cs.started_on', 'desc')
    .executeTakeFirst()
  return { schoolType: row?.schoolType ?? null, since: row?.since ?? null }
}
