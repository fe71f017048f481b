import { type Kysely } from 'kysely'

/*
 * Demo accounts are marked as such. They alone skip two-step verification, so the demo can be
 * tried in every role without an authenticator app while the installation's setting stays as it
 * is (the seed used to turn the setting off for every account). They exist only in a demo
 * database: the seed refuses a database that holds anything else, and production refuses to
 * start on a database that has them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('app_user')
    .addColumn('demo_account', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('demo_account').execute()
}
