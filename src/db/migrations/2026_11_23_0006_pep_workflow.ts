import { sql, type Kysely } from 'kysely'

/*
 * The life of a PEP: its state and meeting, the school's delegation, its timeline of events
 * (returns and their comments), the signed-off PDF, and the work trays' tasks and alerts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update pep set status = 'in_progress' where status not in ('in_progress', 'awaiting_bso_check', 'awaiting_qa', 'signed_off')`.execute(
    db,
  )
  await db.schema
    .alterTable('pep')
    .addCheckConstraint(
      'pep_status_check',
      sql`status in ('in_progress', 'awaiting_bso_check', 'awaiting_qa', 'signed_off')`,
    )
    .execute()
  await db.schema
    .alterTable('pep')
    .addColumn('meeting_time', 'text')
    .addColumn('meeting_location', 'text')
    .addColumn('meeting_reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('meeting_other_reason', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('target_on', 'date')
    .addColumn('is_initial', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('meeting_confirmed_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('meeting_confirmed_at', 'timestamptz')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('signed_off_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('signed_off_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('pep_invitee')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pep_id', 'uuid', (c) => c.notNull().references('pep.id'))
    .addColumn('user_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('email', 'text')
    .addCheckConstraint('pep_invitee_who', sql`(user_id is null) <> (email is null)`)
    .execute()
  await db.schema.createIndex('pep_invitee_pep_idx').on('pep_invitee').column('pep_id').execute()

  await db.schema
    .createTable('pep_delegation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pep_id', 'uuid', (c) => c.notNull().references('pep.id'))
    .addColumn('delegated_to', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('delegated_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    // The sections delegated; chosen pages of them, when not all.
    .addColumn('sections', 'jsonb', (c) => c.notNull())
    .addColumn('pages', 'jsonb')
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('delegated', 'submitted', 'retracted', 'done')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .execute()
  // At most one live delegation per PEP.
  await sql`create unique index pep_delegation_live_key on pep_delegation (pep_id) where status in ('delegated', 'submitted')`.execute(
    db,
  )
  await sql`create index pep_delegation_to_idx on pep_delegation (delegated_to, status)`.execute(db)

  await db.schema
    .createTable('pep_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pep_id', 'uuid', (c) => c.notNull().references('pep.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('by_user', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('comments', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
  await sql`create index pep_event_pep_idx on pep_event (pep_id, at)`.execute(db)

  await db.schema
    .createTable('pep_pdf')
    .addColumn('pep_id', 'uuid', (c) => c.primaryKey().references('pep.id'))
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()

  // Work trays: a task asks someone (or a group) to do something; an alert only tells them.
  await db.schema
    .createTable('task')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('is_alert', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('child_id', 'uuid', (c) => c.notNull().references('child.id'))
    .addColumn('pep_id', 'uuid', (c) => c.references('pep.id'))
    .addColumn('assigned_to', 'uuid', (c) => c.references('app_user.id'))
    // A group tray ('business_support', 'vs_consultant') when nobody has picked it up.
    .addColumn('group_role', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_on', 'date')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'done')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'uuid', (c) => c.references('app_user.id'))
    .addCheckConstraint('task_has_owner', sql`assigned_to is not null or group_role is not null`)
    .execute()
  await sql`create index task_user_open_idx on task (assigned_to, created_at desc) where status = 'open'`.execute(
    db,
  )
  await sql`create index task_group_open_idx on task (authority_id, group_role, created_at desc) where status = 'open' and assigned_to is null`.execute(
    db,
  )
  await sql`create index task_pep_open_idx on task (pep_id, kind) where status = 'open'`.execute(db)

  await db.schema
    .createTable('task_note')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('task.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('by_user', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('to_user', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('comment', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await sql`create index task_note_task_idx on task_note (task_id, at)`.execute(db)

  // Per-authority settings (the business support check, QA by sample, timescales...).
  await db.schema
    .createTable('authority_setting')
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('authority_setting_pkey', ['authority_id', 'key'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'authority_setting',
    'task_note',
    'task',
    'pep_pdf',
    'pep_event',
    'pep_delegation',
    'pep_invitee',
  ])
    await db.schema.dropTable(table).execute()
  await db.schema.alterTable('pep').dropConstraint('pep_status_check').execute()
  await db.schema
    .alterTable('pep')
    .dropColumn('meeting_time')
    .dropColumn('meeting_location')
    .dropColumn('meeting_reasons')
    .dropColumn('meeting_other_reason')
    .dropColumn('contact_name')
    .dropColumn('contact_phone')
    .dropColumn('target_on')
    .dropColumn('is_initial')
    .dropColumn('meeting_confirmed_by')
    .dropColumn('meeting_confirmed_at')
    .dropColumn('submitted_at')
    .dropColumn('signed_off_by')
    .dropColumn('signed_off_at')
    .dropColumn('version')
    .execute()
}
