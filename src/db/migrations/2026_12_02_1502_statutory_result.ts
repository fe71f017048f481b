import { sql, type Kysely } from 'kysely'

/*
 * A child's statutory results (issue 19): the phonics screening check (the mark out of 40 and
 * the threshold of that year, so whether the standard was met can always be worked out again),
 * the key stage 2 scaled scores and writing assessment, and GCSE grades. A result entered again
 * for the same test, subject and year supersedes the old one, which is kept for the history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table statutory_result (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references child (id) on delete cascade,
      kind text not null check (kind in ('phonics', 'ks2', 'gcse')),
      academic_year integer not null,
      subject text not null,
      retake boolean not null default false,
      mark integer check (mark between 0 and 40),
      threshold integer check (threshold between 0 and 40),
      scaled_score integer check (scaled_score between 80 and 120),
      outcome text,
      recorded_by uuid references app_user (id),
      recorded_at timestamptz not null,
      superseded_at timestamptz,
      superseded_by uuid references statutory_result (id),
      check (superseded_by is null or superseded_at is not null),
      check (kind <> 'phonics' or (mark is not null and threshold is not null))
    )`.execute(db)
  await sql`
    create unique index statutory_result_current_idx
      on statutory_result (child_id, kind, lower(subject), academic_year, retake)
      where superseded_at is null`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table statutory_result`.execute(db)
}
