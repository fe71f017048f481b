import { sql, type Kysely } from 'kysely'

/*
 * Who reads what (issue 13, ADR 10).
 *
 * A young person's account is the child: their place on a child's access list (capacity
 * young_person) links the account to the one child who is them. At most one live link per
 * account, and per child. If an installation already links an account to two children, the
 * migration stops and says how to find them, because only a person can tell which is right.
 *
 * pep_page_share: the pages of a PEP that staff have shared with the young person (ADR 10: the
 * young person reads their own views, targets and meetings, and what staff share with them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const doubled = await sql<{ n: number }>`
    select count(*)::int as n from (
      select user_id from child_access
      where capacity = 'young_person' and removed_at is null
      group by user_id having count(*) > 1
    ) d
  `.execute(db)
  const n = doubled.rows[0]?.n ?? 0
  if (n > 0)
    throw new Error(
      `${n} young person accounts are linked to more than one child; a young person's account is ` +
        `one child's. Find them with "select user_id, child_id from child_access where capacity = ` +
        `'young_person' and removed_at is null order by user_id", remove the wrong links from ` +
        `the children's access lists, then migrate again.`,
    )
  await sql`
    create unique index child_access_young_person_one_child
      on child_access (user_id) where capacity = 'young_person' and removed_at is null
  `.execute(db)
  await sql`
    create unique index child_access_child_one_young_person
      on child_access (child_id) where capacity = 'young_person' and removed_at is null
  `.execute(db)

  await db.schema
    .createTable('pep_page_share')
    .addColumn('pep_id', 'uuid', (c) => c.notNull().references('pep.id').onDelete('cascade'))
    .addColumn('page_id', 'text', (c) => c.notNull())
    .addColumn('shared_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('shared_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('pep_page_share_pkey', ['pep_id', 'page_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pep_page_share').execute()
  await sql`drop index child_access_child_one_young_person`.execute(db)
  await sql`drop index child_access_young_person_one_child`.execute(db)
}
