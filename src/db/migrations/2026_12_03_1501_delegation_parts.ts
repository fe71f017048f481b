import { sql, type Kysely } from 'kysely'

/*
 * A designated teacher passes parts of the school's pages to different colleagues at once (issue
 * 15). Each part is a delegation of its own, `part_of` the teacher's: its holder, its pages, its
 * own end. The teacher's delegation stays the one live delegation of the school's part per PEP;
 * its parts are live beside it, each page with at most one of them (checked under the PEP's lock),
 * and at most one live part per colleague (their pages are added to it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pep_delegation add column part_of uuid references pep_delegation (id) on delete cascade`.execute(
    db,
  )
  await sql`alter table pep_delegation add constraint pep_delegation_part_pages check (part_of is null or pages is not null)`.execute(
    db,
  )
  await sql`drop index pep_delegation_live_key`.execute(db)
  await sql`create unique index pep_delegation_live_key on pep_delegation (pep_id) where status in ('delegated', 'submitted') and part_of is null`.execute(
    db,
  )
  await sql`create unique index pep_delegation_live_part_key on pep_delegation (part_of, delegated_to) where status = 'delegated' and part_of is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index pep_delegation_live_part_key`.execute(db)
  await sql`drop index pep_delegation_live_key`.execute(db)
  await sql`create unique index pep_delegation_live_key on pep_delegation (pep_id) where status in ('delegated', 'submitted')`.execute(
    db,
  )
  await sql`alter table pep_delegation drop constraint pep_delegation_part_pages`.execute(db)
  await sql`alter table pep_delegation drop column part_of`.execute(db)
}
