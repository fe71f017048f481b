import { sql, type Kysely } from 'kysely'

/*
 * A carer invited to a child (issue 20) by the child's social worker or the Virtual School. The
 * account side is the authority's invitation (ADR 9: authority_member, role_offer and the emailed
 * set-up link); this row says which child the carer is for. When the carer joins the authority
 * (sets their password from the link, or accepts while signed in) the row is accepted and a
 * carer's place on the child's access list begins. Withdrawn rows stay as the history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table carer_invitation (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references child (id),
      user_id uuid not null references app_user (id),
      invited_name text not null,
      invited_email text not null,
      invited_by uuid not null references app_user (id),
      invited_at timestamptz not null,
      last_sent_at timestamptz not null,
      accepted_at timestamptz,
      withdrawn_at timestamptz,
      withdrawn_by uuid references app_user (id)
    )`.execute(db)
  await sql`
    create unique index carer_invitation_pending_key on carer_invitation (child_id, user_id)
      where accepted_at is null and withdrawn_at is null`.execute(db)
  await sql`create index carer_invitation_user_idx on carer_invitation (user_id)`.execute(db)
  await sql`create index carer_invitation_child_idx on carer_invitation (child_id, invited_at)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table carer_invitation`.execute(db)
}
