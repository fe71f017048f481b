import { sql, type Kysely } from 'kysely'

/*
 * Every saved version of a PEP's meeting record (issue 15: every word in history, as for the
 * form's answers). pep_meeting_record holds the record as it stands; each save also appends its
 * whole record here, never changed afterwards (a trigger refuses updates). The records saved
 * before this migration start their history with what they hold now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pep_meeting_record_revision (
      id uuid primary key default gen_random_uuid(),
      pep_id uuid not null references pep (id) on delete cascade,
      version integer not null,
      record jsonb not null,
      recorded_by uuid not null references app_user (id),
      recorded_at timestamptz not null,
      unique (pep_id, version)
    )`.execute(db)
  await sql`
    create function pep_meeting_record_revision_unchanged() returns trigger language plpgsql as $$
    begin
      raise exception 'pep_meeting_record_revision is append-only';
    end $$`.execute(db)
  await sql`
    create trigger pep_meeting_record_revision_unchanged before update on pep_meeting_record_revision
    for each row execute function pep_meeting_record_revision_unchanged()`.execute(db)
  await sql`
    insert into pep_meeting_record_revision (pep_id, version, record, recorded_by, recorded_at)
    select pep_id, 1, jsonb_build_object(
        'attendedInviteeIds', attended_invitee_ids,
        'otherAttendees', other_attendees,
        'apologyInviteeIds', apology_invitee_ids,
        'otherApologies', other_apologies,
        'youngPersonAttended', young_person_attended,
        'youngPersonViews', young_person_views,
        'youngPersonViewsDetail', young_person_views_detail,
        'socialWorkerAttended', social_worker_attended,
        'socialWorkerInput', social_worker_input
      ), recorded_by, recorded_at
    from pep_meeting_record`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pep_meeting_record_revision`.execute(db)
  await sql`drop function pep_meeting_record_revision_unchanged()`.execute(db)
}
