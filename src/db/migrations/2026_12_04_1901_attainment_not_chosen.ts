import { sql, type Kysely } from 'kysely'

/*
 * Attainment levels typed on a PEP's attainment page that lost a conflict (issue 19): when two
 * people saved the page at once and the one who saved second chose to keep the other's answers,
 * the levels they typed are kept in the child's attainment history as not chosen, as the page's
 * own answers are kept in its history (pep_page_revision's not-chosen kind). They are never
 * current: each is written already superseded, by the entry that was current (or by none).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table attainment_entry
      add column not_chosen boolean not null default false,
      add column pep_id uuid references pep (id) on delete set null,
      add constraint attainment_entry_not_chosen_superseded
        check (not not_chosen or superseded_at is not null)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table attainment_entry
      drop constraint attainment_entry_not_chosen_superseded,
      drop column pep_id,
      drop column not_chosen`.execute(db)
}
