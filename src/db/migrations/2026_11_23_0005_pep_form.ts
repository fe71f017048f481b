import { sql, type Kysely } from 'kysely'

/*
 * The PEP and its form: one row per PEP, the latest answers of each page, and every save of
 * every page kept for ever (pep_page_revision, append-only), so no answer is ever lost.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pep')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('child_id', 'uuid', (c) => c.notNull().references('child.id'))
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    // The academic year's first calendar year (2026 for 2026/27) and the term within it.
    .addColumn('academic_year', 'integer', (c) => c.notNull())
    .addColumn('term', 'text', (c) =>
      c.notNull().check(sql`term in ('autumn', 'spring', 'summer')`),
    )
    .addColumn('form_type', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('year_group', 'text', (c) => c.notNull())
    .addColumn('school_id', 'uuid', (c) => c.references('school.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('in_progress'))
    // The extra review when a child changes school: the one exception to one PEP a term.
    .addColumn('change_of_school', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('started_on', 'date', (c) => c.notNull())
    .addColumn('meeting_on', 'date')
    .addColumn('carried_from_id', 'uuid', (c) => c.references('pep.id'))
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await sql`create unique index pep_one_per_term_key on pep (child_id, academic_year, term) where not change_of_school`.execute(
    db,
  )
  await sql`create index pep_child_idx on pep (child_id, academic_year desc, term)`.execute(db)
  await sql`create index pep_authority_term_idx on pep (authority_id, academic_year, term, status)`.execute(
    db,
  )

  await db.schema
    .createTable('pep_page')
    .addColumn('pep_id', 'uuid', (c) => c.notNull().references('pep.id'))
    .addColumn('page_id', 'text', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    // Bumped by every save: a save names the version it was edited from, so none is overwritten unseen.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('saved_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('pep_page_pkey', ['pep_id', 'page_id'])
    .execute()

  await db.schema
    .createTable('pep_page_revision')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pep_id', 'uuid', (c) => c.notNull().references('pep.id'))
    .addColumn('page_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('saved_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull())
    // 'saved', 'carried-forward' (copied from the last PEP when this one started).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addUniqueConstraint('pep_page_revision_version_key', ['pep_id', 'page_id', 'version'])
    .execute()
  await sql`
    create function pep_page_revision_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'pep_page_revision is append-only';
    end;
    $$`.execute(db)
  await sql`create trigger pep_page_revision_no_update before update or delete on pep_page_revision for each row execute function pep_page_revision_append_only()`.execute(
    db,
  )

  await db.schema
    .createTable('pep_section')
    .addColumn('pep_id', 'uuid', (c) => c.notNull().references('pep.id'))
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('completed_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('completed_at', 'timestamptz')
    .addPrimaryKeyConstraint('pep_section_pkey', ['pep_id', 'section_id'])
    .execute()

  // Which questions each authority makes mandatory, where it differs from the template's default.
  await db.schema
    .createTable('mandatory_question')
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('form_type', 'text', (c) => c.notNull())
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('mandatory', 'boolean', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('mandatory_question_pkey', [
      'authority_id',
      'form_type',
      'question_key',
    ])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['mandatory_question', 'pep_section', 'pep_page_revision', 'pep_page', 'pep'])
    await db.schema.dropTable(table).execute()
  await sql`drop function pep_page_revision_append_only()`.execute(db)
}
