import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'

/*
 * Everything OpenPEP holds about one child, table by table (issue 22's subject access export and
 * retention's erasure both read this list). A table is about a child when it names the child
 * (`child_id`), one of the child's PEPs (`pep_id`), one of their funding requests (`request_id`)
 * or one of their tasks (`task_id`). `subject-access.test.ts` asks the database for every table
 * with such a column, so a new table about a child cannot be left out of the export unnoticed.
 */

export type Row = Record<string, unknown>

/** How a table's rows are found from the child. */
export type Link = 'child' | 'pep' | 'request' | 'task' | 'carer-views'

export interface SubjectTable {
  table: string
  link: Link
  /** What the table holds, for the export's index. */
  describe: string
}

/**
 * The tables, in an order that can be deleted from top to bottom (children before parents):
 * erasure walks it as it is; the export reverses it so the child comes first.
 */
export const SUBJECT_TABLES: readonly SubjectTable[] = [
  {
    table: 'retention_review',
    link: 'child',
    describe: 'When the record was found past its retention date, and any proposal to erase it',
  },
  {
    table: 'outbox_email',
    link: 'child',
    describe: 'Emails to staff about the child (each names no child; it links to OpenPEP)',
  },
  { table: 'payment_line', link: 'request', describe: 'Pupil Premium Plus payments' },
  { table: 'funding_decision', link: 'request', describe: 'Pupil Premium Plus decisions' },
  {
    table: 'funding_request_revision',
    link: 'request',
    describe: 'Each version of a Pupil Premium Plus request',
  },
  {
    table: 'funding_impact_revision',
    link: 'request',
    describe: 'Every record of the impact of funding, with its corrections',
  },
  { table: 'funding_impact', link: 'pep', describe: 'The impact recorded for funding' },
  { table: 'funding_request', link: 'child', describe: 'Pupil Premium Plus requests' },
  { table: 'task_note', link: 'task', describe: 'Notes on tasks about the child' },
  {
    table: 'pep_carer_views_revision',
    link: 'carer-views',
    describe: 'Every saved version of the carer’s views',
  },
  { table: 'pep_carer_views', link: 'pep', describe: 'The carer’s views for each PEP' },
  { table: 'carer_invitation', link: 'child', describe: 'Carers invited to see the child’s PEPs' },
  { table: 'task', link: 'child', describe: 'Tasks and alerts about the child' },
  { table: 'attendance_period', link: 'child', describe: 'Attendance, period by period' },
  {
    table: 'exclusion_revision',
    link: 'child',
    describe: 'Every version of each suspension and exclusion, with its corrections',
  },
  { table: 'exclusion', link: 'child', describe: 'Suspensions and exclusions' },
  {
    table: 'child_education_circumstance',
    link: 'child',
    describe: 'Alternative provision, part-time timetables and NEET, from when to when',
  },
  { table: 'attainment_entry', link: 'child', describe: 'Attainment, subject by subject' },
  {
    table: 'statutory_result',
    link: 'child',
    describe: 'Statutory results (phonics, key stage 2, GCSE), with their corrections',
  },
  {
    table: 'pep_meeting_record_revision',
    link: 'pep',
    describe: 'Every saved version of each PEP’s meeting record',
  },
  { table: 'pep_meeting_record', link: 'pep', describe: 'Who came to each PEP meeting' },
  { table: 'pep_pdf', link: 'pep', describe: 'The PDF kept when a PEP was signed off' },
  { table: 'pep_event', link: 'pep', describe: 'Each step in a PEP’s life' },
  { table: 'pep_delegation', link: 'pep', describe: 'Who each PEP’s sections were given to' },
  { table: 'pep_invitee', link: 'pep', describe: 'Who was invited to each PEP meeting' },
  { table: 'pep_section', link: 'pep', describe: 'Sections marked complete' },
  {
    table: 'pep_page_revision',
    link: 'pep',
    describe: 'Every saved version of every PEP page: the answers’ history',
  },
  { table: 'pep_page_share', link: 'pep', describe: 'PEP pages shared with the young person' },
  {
    table: 'pep_young_person_views',
    link: 'pep',
    describe: 'When the young person sent their views',
  },
  { table: 'pep_page', link: 'pep', describe: 'The answers on each PEP page, as they stand' },
  { table: 'child_document', link: 'child', describe: 'Documents (their files are in documents/)' },
  { table: 'pep', link: 'child', describe: 'PEPs' },
  { table: 'child_note', link: 'child', describe: 'Notes' },
  { table: 'child_event', link: 'child', describe: 'Changes recorded on the record' },
  { table: 'child_school', link: 'child', describe: 'Schools and settings attended' },
  {
    table: 'child_access',
    link: 'child',
    describe: 'Who has had access to the record, from when to when, and why it ended',
  },
]

/** Columns holding file bytes: written as files of their own, never into JSON or CSV. */
export const FILE_COLUMNS = new Set(['content'])

/** The ids a table's rows are found by. */
export interface SubjectIds {
  childId: string
  pepIds: string[]
  requestIds: string[]
  taskIds: string[]
}

export async function subjectIds(db: Queryable, childId: string): Promise<SubjectIds> {
  const [peps, requests, tasks] = await Promise.all([
    db.selectFrom('pep').select('id').where('child_id', '=', childId).execute(),
    db.selectFrom('funding_request').select('id').where('child_id', '=', childId).execute(),
    db.selectFrom('task').select('id').where('child_id', '=', childId).execute(),
  ])
  return {
    childId,
    pepIds: peps.map((p) => p.id),
    requestIds: requests.map((r) => r.id),
    taskIds: tasks.map((t) => t.id),
  }
}

/** The SQL condition that finds a table's rows about the child. */
export function whereAbout(link: Link, ids: SubjectIds) {
  const list = (values: string[]) =>
    values.length === 0
      ? sql`false`
      : sql`${sql.ref(`${link}_id`)} in (${sql.join(values.map((v) => sql`${v}::uuid`))})`
  switch (link) {
    case 'child':
      return sql`child_id = ${ids.childId}::uuid`
    case 'pep':
      return list(ids.pepIds)
    case 'request':
      return list(ids.requestIds)
    case 'task':
      return list(ids.taskIds)
    case 'carer-views':
      return ids.pepIds.length === 0
        ? sql`false`
        : sql`views_id in (select id from pep_carer_views where pep_id in (${sql.join(
            ids.pepIds.map((v) => sql`${v}::uuid`),
          )}))`
  }
}

/** The table's rows about the child, every column. */
export async function rowsAbout(db: Queryable, spec: SubjectTable, ids: SubjectIds) {
  const result = await sql<Row>`select * from ${sql.table(spec.table)} where ${whereAbout(
    spec.link,
    ids,
  )}`.execute(db)
  return result.rows
}

export async function childRow(db: Queryable, childId: string): Promise<Row | undefined> {
  const result = await sql<Row>`select * from child where id = ${childId}::uuid`.execute(db)
  return result.rows[0]
}

/**
 * The audit trail's events about the child: those naming it, and refusals that name it in their
 * details (a refused request has no child in context). The address and browser of whoever acted
 * are left out: they are the staff member's, not the child's.
 */
export async function auditAbout(db: Queryable, childId: string): Promise<Row[]> {
  const result = await sql<Row>`
    select id, occurred_at, user_id, acting_role, authority_id, action, outcome, child_id,
           subject_user_id, method, path, request_id, details
    from audit_event
    where child_id = ${childId}::uuid or details ->> 'childId' = ${childId}
    order by occurred_at, id`.execute(db)
  return result.rows
}

/** The names of the people the rows refer to (who wrote, changed or decided what). */
export async function peopleNamed(db: Queryable, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()
}

/** Each foreign key as the table that holds it and the table it refers to (for the export's test). */
export async function foreignKeys(db: Queryable) {
  const result = await sql<{ from_table: string; to_table: string }>`
    select distinct c.conrelid::regclass::text as from_table, c.confrelid::regclass::text as to_table
    from pg_constraint c
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace
    order by 1, 2`.execute(db)
  return result.rows
}

/** Every table in the database with a column linking it to a child (for the export's test). */
export async function tablesLinkedToAChild(db: Queryable): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select distinct table_name from information_schema.columns
    where table_schema = current_schema()
      and column_name in ('child_id', 'pep_id')
    order by table_name`.execute(db)
  return result.rows.map((r) => r.table_name)
}
