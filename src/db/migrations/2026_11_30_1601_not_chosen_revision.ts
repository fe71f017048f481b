import { sql, type Kysely } from 'kysely'

/*
 * When two people save a page at once, the one who meets the conflict chooses whose answers the
 * page keeps (issue 15). Whichever is chosen, the other version stays in the page's history: a
 * version saved and then replaced is already a revision, and answers that were never saved
 * because the other person's were kept are now a revision too, of kind 'not-chosen', numbered
 * with the version they lost to. So the version number is unique among the page's real saves
 * only ('saved', 'carried-forward'), not among the versions not chosen.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pep_page_revision drop constraint pep_page_revision_version_key`.execute(db)
  await sql`
    create unique index pep_page_revision_version_key on pep_page_revision (pep_id, page_id, version)
    where kind <> 'not-chosen'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Revisions are append-only: while versions not chosen exist this fails, as it should.
  await sql`drop index pep_page_revision_version_key`.execute(db)
  await sql`
    alter table pep_page_revision
    add constraint pep_page_revision_version_key unique (pep_id, page_id, version)`.execute(db)
}
