import { sql, type Kysely } from 'kysely'

/*
 * Failed sign-ins of addresses without an account, counted like an account's: by the address's
 * key (a hash, never the address), with the same count and lock as app_user has. They used to be
 * counted from the audit trail, which read every event (224 ms against 48 ms for an address with
 * an account, at 400,000 events), so the answer's time told whether an address had an account.
 * Now both paths read one row and write one row, whatever the size of the audit trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_failure')
    .addColumn('email_key', 'text', (c) => c.primaryKey())
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // Carry over the counts the audit trail holds, so nothing is forgotten by the change.
  await sql`
    insert into sign_in_failure (email_key, failed_sign_ins, locked_until, updated_at)
    select details->>'emailKey',
           (count(*) % 5)::integer,
           case when count(*) % 5 = 0 and max(occurred_at) + interval '15 minutes' > now()
             then max(occurred_at) + interval '15 minutes' end,
           max(occurred_at)
    from audit_event
    where action = 'sign-in.failure' and subject_user_id is null and details ? 'emailKey'
    group by details->>'emailKey'
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_failure').execute()
}
