import { sql, type Kysely } from 'kysely'

/*
 * The impact of funding, corrected without losing what was recorded (issue 18): each record of a
 * request's impact is kept as a revision, and the current one carries its version so a form
 * opened before someone else's correction is refused rather than saved over it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table funding_impact add column version integer not null default 1`.execute(db)
  await sql`
    create table funding_impact_revision (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references funding_request (id),
      version integer not null,
      pep_id uuid not null references pep (id),
      outcome text not null,
      difference text not null,
      recorded_by uuid not null references app_user (id),
      recorded_at timestamptz not null,
      unique (request_id, version)
    )`.execute(db)
  await sql`
    insert into funding_impact_revision
      (request_id, version, pep_id, outcome, difference, recorded_by, recorded_at)
    select request_id, version, pep_id, outcome, difference, recorded_by, recorded_at
    from funding_impact`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table funding_impact_revision`.execute(db)
  await sql`alter table funding_impact drop column version`.execute(db)
}
