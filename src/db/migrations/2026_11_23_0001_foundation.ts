import { sql, type Kysely } from 'kysely'

/* The first tables: authorities, their people and schools, children, sessions and the outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('authority')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('app_user')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('invited', 'active', 'deactivated')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index app_user_email_key on app_user (lower(email))`.execute(db)

  await db.schema
    .createTable('school')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('urn', 'text')
    .addColumn('dfe_number', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('open', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('school_authority_idx')
    .on('school')
    .columns(['authority_id', 'name'])
    .execute()

  await db.schema
    .createTable('membership')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('school_id', 'uuid', (c) => c.references('school.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('membership_user_authority_role_key', ['user_id', 'authority_id', 'role'])
    .execute()
  await db.schema
    .createIndex('membership_authority_idx')
    .on('membership')
    .columns(['authority_id', 'role'])
    .execute()

  await db.schema
    .createTable('child')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'date', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('upn', 'text')
    .addColumn('case_reference', 'text', (c) => c.notNull())
    .addColumn('entered_care_on', 'date', (c) => c.notNull())
    .addColumn('school_id', 'uuid', (c) => c.references('school.id'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('in_care')
        .check(sql`status in ('in_care', 'ceased')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('child_authority_case_reference_key', ['authority_id', 'case_reference'])
    .execute()
  await db.schema
    .createIndex('child_authority_name_idx')
    .on('child')
    .columns(['authority_id', 'last_name', 'first_name', 'id'])
    .execute()

  await db.schema
    .createTable('web_session')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('web_session_user_idx').on('web_session').column('user_id').execute()
  await db.schema
    .createIndex('web_session_expires_idx')
    .on('web_session')
    .column('expires_at')
    .execute()

  await db.schema
    .createTable('outbox_email')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute()
  await sql`create index outbox_email_due_idx on outbox_email (next_attempt_at) where status = 'pending'`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbox_email',
    'web_session',
    'child',
    'membership',
    'school',
    'app_user',
    'authority',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
