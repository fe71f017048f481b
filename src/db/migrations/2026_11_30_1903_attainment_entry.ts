import { sql, type Kysely } from 'kysely'

/*
 * Attainment over time (issue 19): per child, subject and term, working at, expected by the end
 * of the year and the target, on the scale of the child's key stage. A new entry for the same
 * subject and term supersedes the old one, which is kept for the history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attainment_entry (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references child (id) on delete cascade,
      subject text not null,
      academic_year integer not null,
      term text not null check (term in ('autumn', 'spring', 'summer')),
      scale text not null check (scale in ('early-years', 'primary', 'gcse', 'post-16')),
      working_at text not null,
      expected text not null,
      target text,
      recorded_by uuid references app_user (id),
      recorded_at timestamptz not null,
      superseded_at timestamptz,
      superseded_by uuid references attainment_entry (id),
      check (superseded_by is null or superseded_at is not null)
    )`.execute(db)
  await sql`
    create unique index attainment_entry_current_idx
      on attainment_entry (child_id, lower(subject), academic_year, term)
      where superseded_at is null`.execute(db)
  await sql`create index attainment_entry_child_idx on attainment_entry (child_id, academic_year desc)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table attainment_entry`.execute(db)
}
