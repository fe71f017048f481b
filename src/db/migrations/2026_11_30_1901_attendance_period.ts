import { sql, type Kysely } from 'kysely'

/*
 * Attendance over time (issue 19): one row per child, school and period, with the sessions the
 * school counted. A correction never overwrites: it adds a new row and marks the old one
 * superseded by it, so the history keeps every version, who gave it and when. Only one current
 * (not superseded) row per child, school and period; a row's sessions always add up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attendance_period (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references child (id) on delete cascade,
      school_id uuid references school (id),
      starts_on date not null,
      ends_on date not null,
      sessions_possible integer not null check (sessions_possible >= 0),
      sessions_attended integer not null check (sessions_attended >= 0),
      authorised_absence integer not null check (authorised_absence >= 0),
      unauthorised_absence integer not null check (unauthorised_absence >= 0),
      source text not null check (source in ('record', 'pep', 'import')),
      pep_id uuid references pep (id) on delete set null,
      recorded_by uuid references app_user (id),
      recorded_at timestamptz not null,
      superseded_at timestamptz,
      superseded_by uuid references attendance_period (id),
      check (ends_on >= starts_on),
      check (sessions_attended <= sessions_possible),
      check (sessions_attended + authorised_absence + unauthorised_absence = sessions_possible),
      check (superseded_by is null or superseded_at is not null)
    )`.execute(db)
  await sql`
    create unique index attendance_period_current_idx
      on attendance_period (child_id, school_id, starts_on, ends_on) nulls not distinct
      where superseded_at is null`.execute(db)
  await sql`
    create index attendance_period_child_idx on attendance_period (child_id, ends_on desc)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table attendance_period`.execute(db)
}
