import { sql, type Kysely } from 'kysely'

/*
 * A child's education circumstances over time (issue 17): alternative provision (with its
 * provider), a part-time timetable (hours a week and why) and, post-16, not in education,
 * employment or training. Each is a period of its own, from a date and, once known, to a date;
 * a new circumstance is a new row, so the record keeps every one. Ending a period records its
 * last day and who recorded it; the child's events keep both steps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table child_education_circumstance (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references child (id) on delete cascade,
      kind text not null check (kind in ('alternative_provision', 'part_time', 'neet')),
      starts_on date not null,
      ends_on date,
      provider text check (provider is null or length(provider) <= 200),
      hours_per_week numeric(4, 1) check (hours_per_week is null or hours_per_week > 0),
      reason text check (reason is null or length(reason) <= 500),
      recorded_by uuid references app_user (id),
      recorded_at timestamptz not null,
      ended_by uuid references app_user (id),
      ended_at timestamptz,
      check (ends_on is null or ends_on >= starts_on),
      check (kind <> 'alternative_provision' or provider is not null),
      check (kind <> 'part_time' or (hours_per_week is not null and reason is not null))
    )`.execute(db)
  await sql`create index child_education_circumstance_child_idx
    on child_education_circumstance (child_id, starts_on desc)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table child_education_circumstance`.execute(db)
}
