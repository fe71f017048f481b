import { sql, type Kysely } from 'kysely'

/*
 * The carer's views for a PEP (issue 20): what is going well, their worries and what would help,
 * in their own words, saved as they go and then sent to the people at the meeting (after which
 * they are no longer the carer's to change). One row per carer and PEP; every save is kept in
 * pep_carer_views_revision, so nothing a carer once wrote is lost by a later save.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pep_carer_views (
      id uuid primary key default gen_random_uuid(),
      pep_id uuid not null references pep (id) on delete cascade,
      carer_id uuid not null references app_user (id),
      going_well text not null default '',
      worries text not null default '',
      would_help text not null default '',
      version integer not null default 1,
      saved_at timestamptz not null,
      sent_at timestamptz,
      unique (pep_id, carer_id)
    )`.execute(db)
  await sql`
    create table pep_carer_views_revision (
      id uuid primary key default gen_random_uuid(),
      views_id uuid not null references pep_carer_views (id) on delete cascade,
      version integer not null,
      going_well text not null,
      worries text not null,
      would_help text not null,
      saved_at timestamptz not null,
      unique (views_id, version)
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pep_carer_views_revision`.execute(db)
  await sql`drop table pep_carer_views`.execute(db)
}
