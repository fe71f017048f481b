import { sql, type Kysely } from 'kysely'

/* Sign-in security, MFA, account tokens, per-child access lists, installation settings and the audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('app_user')
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('mfa_secret', 'text')
    .addColumn('mfa_enabled_at', 'timestamptz')
    .addColumn('password_changed_at', 'timestamptz')
    .addColumn('last_sign_in_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('recovery_code')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('recovery_code_user_idx')
    .on('recovery_code')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('account_token')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('invitation', 'password_reset')`),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('account_token_user_idx')
    .on('account_token')
    .columns(['user_id', 'purpose'])
    .execute()

  await db.schema
    .createTable('child_access')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('child_id', 'uuid', (c) => c.notNull().references('child.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('capacity', 'text', (c) => c.notNull())
    .addColumn('added_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('removed_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('removed_at', 'timestamptz')
    .execute()
  // One live place on a child's list per user; removed places stay as history.
  await sql`create unique index child_access_live_key on child_access (child_id, user_id) where removed_at is null`.execute(
    db,
  )
  await sql`create index child_access_user_idx on child_access (user_id, child_id) where removed_at is null`.execute(
    db,
  )

  await db.schema
    .createTable('app_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('audit_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('acting_role', 'text')
    .addColumn('authority_id', 'uuid', (c) => c.references('authority.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome in ('success', 'failure', 'denied')`),
    )
    // No foreign keys to children or subjects: nothing may ever stop an event being written or kept.
    .addColumn('child_id', 'uuid')
    .addColumn('subject_user_id', 'uuid')
    .addColumn('method', 'text')
    .addColumn('path', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
  await sql`create index audit_event_user_idx on audit_event (user_id, occurred_at desc, id)`.execute(
    db,
  )
  await sql`create index audit_event_child_idx on audit_event (child_id, occurred_at desc, id) where child_id is not null`.execute(
    db,
  )
  await sql`create index audit_event_subject_idx on audit_event (subject_user_id, occurred_at desc, id) where subject_user_id is not null`.execute(
    db,
  )
  // Append-only: the trail cannot be edited or deleted through the application's connection.
  await sql`
    create function audit_event_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only';
    end;
    $$`.execute(db)
  await sql`create trigger audit_event_no_update before update or delete on audit_event for each row execute function audit_event_append_only()`.execute(
    db,
  )
  await sql`create trigger audit_event_no_truncate before truncate on audit_event for each statement execute function audit_event_append_only()`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_event`.execute(db)
  await sql`drop function audit_event_append_only()`.execute(db)
  for (const table of ['app_setting', 'child_access', 'account_token', 'recovery_code']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema
    .alterTable('app_user')
    .dropColumn('failed_sign_ins')
    .dropColumn('locked_until')
    .dropColumn('mfa_secret')
    .dropColumn('mfa_enabled_at')
    .dropColumn('password_changed_at')
    .dropColumn('last_sign_in_at')
    .execute()
}
