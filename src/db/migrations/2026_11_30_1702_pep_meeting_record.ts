import { sql, type Kysely } from 'kysely'

/*
 * The record of a PEP's meeting (issue 15): who attended (invitees chosen, and others typed in),
 * apologies, whether the young person attended and how their views were given, and the social
 * worker's input when they were absent. Kept beside the PEP, outside its form: the form's shipped
 * template versions are fingerprinted and do not change. One record per PEP, saved again as it
 * is corrected; each save is audited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pep_meeting_record (
      pep_id uuid primary key references pep (id) on delete cascade,
      attended_invitee_ids jsonb not null,
      other_attendees text not null,
      apology_invitee_ids jsonb not null,
      other_apologies text not null,
      young_person_attended text not null
        check (young_person_attended in ('yes', 'part', 'no')),
      young_person_views text not null
        check (young_person_views in ('in-person', 'in-writing', 'advocate', 'passed-on', 'not-given')),
      young_person_views_detail text not null,
      social_worker_attended boolean not null,
      social_worker_input text not null,
      recorded_by uuid not null references app_user (id),
      recorded_at timestamptz not null
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pep_meeting_record`.execute(db)
}
