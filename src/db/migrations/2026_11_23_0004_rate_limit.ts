import { sql, type Kysely } from 'kysely'

/* Attempt counters shared by every app process (per-IP throttling of sign-in and account forms),
   and the index that counts failed sign-ins for addresses without an account. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_counter')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await sql`create index rate_limit_counter_window_idx on rate_limit_counter (window_ends_at)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_event_sign_in_failure_key_idx`.execute(db)
  await db.schema.dropTable('rate_limit_counter').execute()
}
