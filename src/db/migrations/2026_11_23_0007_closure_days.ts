import { sql, type Kysely } from 'kysely'

/*
 * An authority's closure days: days its working-day timescales skip besides weekends and bank
 * holidays (e.g. an extra day at Christmas). One row per authority and date.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('authority_closure_day')
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('on_date', 'date', (c) => c.notNull())
    .addColumn('description', 'text', (c) =>
      c.notNull().check(sql`char_length(description) between 1 and 200`),
    )
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('authority_closure_day_pkey', ['authority_id', 'on_date'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('authority_closure_day').execute()
}
