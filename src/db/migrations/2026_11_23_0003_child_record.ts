import { sql, type Kysely } from 'kysely'

/* The child's record: core data, school history, events, notes and documents; schools' lineage. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('school')
    // An academy conversion opens a new school (new DfE number) whose predecessor is the old one.
    .addColumn('predecessor_id', 'uuid', (c) => c.references('school.id'))
    .addColumn('opened_on', 'date')
    .addColumn('closed_on', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index school_urn_key on school (urn) where urn is not null`.execute(db)

  await db.schema
    .alterTable('child')
    .addColumn('preferred_name', 'text')
    .addColumn('uln', 'text')
    .addColumn('emergency_placement', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('legal_status', 'text')
    .addColumn('placement', 'text')
    .addColumn('sen_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('none')
        .check(sql`sen_status in ('none', 'sen_support', 'ehc_plan')`),
    )
    .addColumn('record_owner_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('year_group_override', 'text')
    .addColumn('ceased_on', 'date')
    .addColumn('ceased_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await sql`create index child_authority_search_idx on child (authority_id, lower(last_name), lower(first_name))`.execute(
    db,
  )
  await sql`create index child_authority_upn_idx on child (authority_id, upn) where upn is not null`.execute(
    db,
  )
  await db.schema.createIndex('child_school_idx').on('child').column('school_id').execute()

  await db.schema
    .createTable('child_school')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('child_id', 'uuid', (c) => c.notNull().references('child.id'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id'))
    .addColumn('started_on', 'date', (c) => c.notNull())
    .addColumn('ended_on', 'date')
    .addColumn('reason', 'text')
    .addColumn('recorded_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('child_school_child_idx')
    .on('child_school')
    .columns(['child_id', 'started_on'])
    .execute()

  await db.schema
    .createTable('child_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('child_id', 'uuid', (c) => c.notNull().references('child.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('recorded_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('child_event_child_idx')
    .on('child_event')
    .columns(['child_id', 'recorded_at'])
    .execute()

  await db.schema
    .createTable('child_note')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('child_id', 'uuid', (c) => c.notNull().references('child.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('user_note', 'case_note')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('child_note_child_idx')
    .on('child_note')
    .columns(['child_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('child_document')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('child_id', 'uuid', (c) => c.notNull().references('child.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // In the database, so every app process sees it and no file sits in a served folder.
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('child_document_child_idx')
    .on('child_document')
    .columns(['child_id', 'uploaded_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['child_document', 'child_note', 'child_event', 'child_school'])
    await db.schema.dropTable(table).execute()
  await sql`drop index child_authority_search_idx`.execute(db)
  await sql`drop index child_authority_upn_idx`.execute(db)
  await sql`drop index child_school_idx`.execute(db)
  await sql`drop index school_urn_key`.execute(db)
  await db.schema
    .alterTable('child')
    .dropColumn('preferred_name')
    .dropColumn('uln')
    .dropColumn('emergency_placement')
    .dropColumn('legal_status')
    .dropColumn('placement')
    .dropColumn('sen_status')
    .dropColumn('record_owner_id')
    .dropColumn('year_group_override')
    .dropColumn('ceased_on')
    .dropColumn('ceased_reason')
    .dropColumn('version')
    .execute()
  await db.schema
    .alterTable('school')
    .dropColumn('predecessor_id')
    .dropColumn('opened_on')
    .dropColumn('closed_on')
    .dropColumn('updated_at')
    .execute()
}
