import { sql, type Kysely } from 'kysely'

/*
 * The young person's views, sent (issue 20). What they say is Section C's answers, kept in
 * pep_page with every save in pep_page_revision; this records that they sent them to the people
 * at their meeting (after which they are no longer theirs to change), by whom and when: the young
 * person themself, or someone recording their views on their behalf, with how they were gathered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pep_young_person_views (
      pep_id uuid primary key references pep (id) on delete cascade,
      sent_by uuid not null references app_user (id),
      sent_at timestamptz not null,
      on_behalf boolean not null,
      how_gathered text not null
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pep_young_person_views`.execute(db)
}
