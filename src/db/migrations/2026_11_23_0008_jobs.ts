import { sql, type Kysely } from 'kysely'

/*
 * The scheduled jobs' memory of what they have done: one row per notice, reminder, escalation,
 * move or bulk start, keyed by what kind it was, what it was about and the day (or term) it was
 * for. A job inserts its row in the same transaction as its work, and does the work only when the
 * row is new, so running a job twice, or in two processes at once, does it once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scheduled_notice')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    // A delegation, a child, a PEP or an authority, as the kind says.
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('for_date', 'date', (c) => c.notNull())
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addUniqueConstraint('scheduled_notice_key', ['kind', 'subject_id', 'for_date'])
    .execute()
  await sql`create index scheduled_notice_authority_idx on scheduled_notice (authority_id, created_at desc)`.execute(
    db,
  )
  // The reminders' daily queries: live delegations by due date, PEPs by meeting day.
  await sql`create index pep_delegation_live_due_idx on pep_delegation (due_on) where status = 'delegated'`.execute(
    db,
  )
  await sql`create index pep_meeting_on_idx on pep (meeting_on) where meeting_on is not null`.execute(
    db,
  )
  await sql`create index child_authority_in_care_idx on child (authority_id) where status = 'in_care'`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index child_authority_in_care_idx`.execute(db)
  await sql`drop index pep_meeting_on_idx`.execute(db)
  await sql`drop index pep_delegation_live_due_idx`.execute(db)
  await db.schema.dropTable('scheduled_notice').execute()
}
