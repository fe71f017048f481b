import { sql, type Kysely } from 'kysely'

/*
 * A payment line keeps the foreign keys that say what its money is: its run, its request and its
 * decision (erasure must unlink those before it deletes the child's requests, and the keys hold
 * it to that). Its authority, school and maker are facts copied when the line is made (the
 * request's authority and school, the run's maker), of rows that are never deleted (authorities
 * are kept, schools are closed, people are deactivated): their keys guarded nothing, and each
 * cost a look-up per line, 9,000 a national authority's payment run (issue 18's budget). The
 * README's design notes say why.
 */
const COPIED = [
  ['authority_id', 'authority'],
  ['school_id', 'school'],
  ['created_by', 'app_user'],
] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column] of COPIED)
    await sql`alter table payment_line drop constraint ${sql.raw(`payment_line_${column}_fkey`)}`.execute(
      db,
    )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [column, table] of COPIED)
    await sql`alter table payment_line add constraint ${sql.raw(`payment_line_${column}_fkey`)}
      foreign key (${sql.ref(column)}) references ${sql.table(table)} (id)`.execute(db)
}
