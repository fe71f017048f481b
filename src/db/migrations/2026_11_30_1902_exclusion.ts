import { sql, type Kysely } from 'kysely'

/*
 * Exclusions (issue 19): suspensions and permanent exclusions of a child, with their dates, the
 * sessions missed, the DfE reason and the provision made from the sixth day. The school is the
 * one the child was at on the first day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table exclusion (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references child (id) on delete cascade,
      school_id uuid references school (id),
      kind text not null check (kind in ('suspension', 'permanent')),
      starts_on date not null,
      ends_on date,
      sessions_missed integer check (sessions_missed >= 0),
      reason text not null,
      provision text not null,
      recorded_by uuid references app_user (id),
      recorded_at timestamptz not null,
      check (ends_on is null or ends_on >= starts_on),
      check (kind = 'permanent' or ends_on is not null)
    )`.execute(db)
  await sql`create index exclusion_child_idx on exclusion (child_id, starts_on desc)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table exclusion`.execute(db)
}
