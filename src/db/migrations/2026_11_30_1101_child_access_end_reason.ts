import { sql, type Kysely } from 'kysely'

/*
 * Access follows the relationship it rests on (ADR 8). A place on a child's access list now says
 * why it ended: the change that ended the relationship, in the same transaction, or nothing for
 * someone taken off the list by hand. Places that no longer hold when this runs (the account
 * deactivated, the role gone from the child's authority, school staff of a school the child has
 * left) end now, as 'lapsed', so the list's history tells the truth from here on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table child_access add column end_reason text`.execute(db)
  await sql`
    alter table child_access add constraint child_access_end_reason_known check (end_reason in (
      'role_removed', 'account_deactivated', 'school_changed', 'owner_changed',
      'placement_ended', 'left_care', 'lapsed'
    ))
  `.execute(db)
  await sql`
    alter table child_access add constraint child_access_end_reason_when_ended
      check (end_reason is null or removed_at is not null)
  `.execute(db)
  await sql`
    update child_access as ca set removed_at = now(), end_reason = 'lapsed'
    where ca.removed_at is null and not exists (
      select 1 from child as c
      join membership as m on m.authority_id = c.authority_id
      join app_user as u on u.id = m.user_id
      where c.id = ca.child_id and m.user_id = ca.user_id and m.role = ca.capacity
        and u.status = 'active'
        and (ca.capacity not in ('designated_teacher', 'designated_person')
          or m.school_id = c.school_id)
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table child_access drop constraint child_access_end_reason_when_ended`.execute(db)
  await sql`alter table child_access drop constraint child_access_end_reason_known`.execute(db)
  await sql`alter table child_access drop column end_reason`.execute(db)
}
