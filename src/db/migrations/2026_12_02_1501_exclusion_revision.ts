import { sql, type Kysely } from 'kysely'

/*
 * Correcting an exclusion keeps its history (issue 19). `exclusion` holds the exclusion as it
 * stands, with a version (a form opened on an older one is refused) and whether it is still in
 * force: withdrawn (the headteacher withdrew it, or the governors reinstated the pupil) or
 * recorded in error means the Virtual School need do nothing, and its task closes. Every version
 * is appended to `exclusion_revision`, never changed afterwards (a trigger refuses updates); the
 * exclusions recorded before this migration start their history with what they hold now. The
 * Virtual School's task about an exclusion names its first day (`task.about_date`), as an
 * attendance alarm names its period's last day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table exclusion add column version integer not null default 1`.execute(db)
  await sql`
    alter table exclusion add column status text not null default 'in-force'
      check (status in ('in-force', 'withdrawn', 'in-error'))`.execute(db)
  await sql`
    create table exclusion_revision (
      id uuid primary key default gen_random_uuid(),
      exclusion_id uuid not null references exclusion (id) on delete cascade,
      child_id uuid not null references child (id) on delete cascade,
      version integer not null,
      record jsonb not null,
      recorded_by uuid references app_user (id),
      recorded_at timestamptz not null,
      unique (exclusion_id, version)
    )`.execute(db)
  await sql`create index exclusion_revision_child_idx on exclusion_revision (child_id)`.execute(db)
  await sql`
    create function exclusion_revision_unchanged() returns trigger language plpgsql as $$
    begin
      raise exception 'exclusion_revision is append-only';
    end $$`.execute(db)
  await sql`
    create trigger exclusion_revision_unchanged before update on exclusion_revision
    for each row execute function exclusion_revision_unchanged()`.execute(db)
  await sql`
    insert into exclusion_revision (exclusion_id, child_id, version, record, recorded_by, recorded_at)
    select id, child_id, 1, jsonb_build_object(
        'kind', kind, 'startsOn', starts_on, 'endsOn', ends_on, 'sessionsMissed', sessions_missed,
        'reason', reason, 'provision', provision, 'status', 'in-force', 'schoolId', school_id
      ), recorded_by, recorded_at
    from exclusion`.execute(db)
  await sql`
    update task as t set about_date = e.starts_on
    from exclusion as e
    where t.kind = 'exclusion-recorded' and t.about_date is null
      and e.child_id = t.child_id and e.recorded_at = t.created_at`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table exclusion_revision`.execute(db)
  await sql`drop function exclusion_revision_unchanged()`.execute(db)
  await sql`alter table exclusion drop column status`.execute(db)
  await sql`alter table exclusion drop column version`.execute(db)
}
