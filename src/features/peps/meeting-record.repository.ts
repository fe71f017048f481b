import type { Queryable } from '../../db/connection.ts'

export interface Invitee {
  id: string
  name: string
}

export interface MeetingRecord {
  attendedInviteeIds: string[]
  otherAttendees: string
  apologyInviteeIds: string[]
  otherApologies: string
  youngPersonAttended: 'yes' | 'part' | 'no'
  youngPersonViews: 'in-person' | 'in-writing' | 'advocate' | 'passed-on' | 'not-given'
  youngPersonViewsDetail: string
  socialWorkerAttended: boolean
  socialWorkerInput: string
}

export interface StoredMeetingRecord extends MeetingRecord {
  recordedByName: string
  recordedAt: Date
}

/** The people invited to the PEP's meeting: an account's name, or the email typed in. */
export async function inviteesOf(db: Queryable, pepId: string): Promise<Invitee[]> {
  const rows = await db
    .selectFrom('pep_invitee')
    .leftJoin('app_user', 'app_user.id', 'pep_invitee.user_id')
    .select(['pep_invitee.id', 'app_user.display_name as name', 'pep_invitee.email'])
    .where('pep_invitee.pep_id', '=', pepId)
    .orderBy('app_user.display_name')
    .orderBy('pep_invitee.email')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name ?? r.email ?? 'Invitee' }))
}

export async function findMeetingRecord(
  db: Queryable,
  pepId: string,
): Promise<StoredMeetingRecord | undefined> {
  const row = await db
    .selectFrom('pep_meeting_record as m')
    .innerJoin('app_user as u', 'u.id', 'm.recorded_by')
    .selectAll('m')
    .select('u.display_name as recordedByName')
    .where('m.pep_id', '=', pepId)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    attendedInviteeIds: row.attended_invitee_ids,
    otherAttendees: row.other_attendees,
    apologyInviteeIds: row.apology_invitee_ids,
    otherApologies: row.other_apologies,
    youngPersonAttended: row.young_person_attended,
    youngPersonViews: row.young_person_views,
    youngPersonViewsDetail: row.young_person_views_detail,
    socialWorkerAttended: row.social_worker_attended,
    socialWorkerInput: row.social_worker_input,
    recordedByName: row.recordedByName,
    recordedAt: row.recorded_at,
  }
}

/** Writes the PEP's one meeting record, replacing what was there. Returns whether it was new. */
export async function upsertMeetingRecord(
  db: Queryable,
  pepId: string,
  record: MeetingRecord,
  by: { userId: string; at: Date },
): Promise<boolean> {
  const values = {
    attended_invitee_ids: JSON.stringify(record.attendedInviteeIds),
    other_attendees: record.otherAttendees,
    apology_invitee_ids: JSON.stringify(record.apologyInviteeIds),
    other_apologies: record.otherApologies,
    young_person_attended: record.youngPersonAttended,
    young_person_views: record.youngPersonViews,
    young_person_views_detail: record.youngPersonViewsDetail,
    social_worker_attended: record.socialWorkerAttended,
    social_worker_input: record.socialWorkerInput,
    recorded_by: by.userId,
    recorded_at: by.at,
  }
  const existed = await db
    .selectFrom('pep_meeting_record')
    .select('pep_id')
    .where('pep_id', '=', pepId)
    .executeTakeFirst()
  await db
    .insertInto('pep_meeting_record')
    .values({ pep_id: pepId, ...values })
    .onConflict((oc) => oc.column('pep_id').doUpdateSet(values))
    .execute()
  // Every save kept whole, never changed: the record's history (issue 15).
  const last = await db
    .selectFrom('pep_meeting_record_revision')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('pep_id', '=', pepId)
    .executeTakeFirst()
  await db
    .insertInto('pep_meeting_record_revision')
    .values({
      pep_id: pepId,
      version: Number(last?.version ?? 0) + 1,
      record: JSON.stringify(record),
      recorded_by: by.userId,
      recorded_at: by.at,
    })
    .execute()
  return existed === undefined
}

/** Every saved version of the PEP's meeting record, newest first. */
export async function meetingRecordHistory(
  db: Queryable,
  pepId: string,
): Promise<(StoredMeetingRecord & { version: number })[]> {
  const rows = await db
    .selectFrom('pep_meeting_record_revision as r')
    .innerJoin('app_user as u', 'u.id', 'r.recorded_by')
    .select(['r.version', 'r.record', 'r.recorded_at', 'u.display_name'])
    .where('r.pep_id', '=', pepId)
    .orderBy('r.version', 'desc')
    .execute()
  return rows.map((r) => ({
    ...(r.record as unknown as MeetingRecord),
    version: r.version,
    recordedByName: r.display_name,
    recordedAt: r.recorded_at,
  }))
}
