import type { Queryable } from '../../db/connection.ts'

/** The carers invited to a child, newest first (ties by id), with who invited them. */
export async function listCarerInvitations(db: Queryable, childId: string) {
  return db
    .selectFrom('carer_invitation as i')
    .leftJoin('app_user as by', 'by.id', 'i.invited_by')
    .innerJoin('app_user as u', 'u.id', 'i.user_id')
    .select([
      'i.id',
      'i.invited_name as name',
      'i.invited_email as email',
      'i.invited_at as invitedAt',
      'i.last_sent_at as lastSentAt',
      'i.accepted_at as acceptedAt',
      'i.withdrawn_at as withdrawnAt',
      'by.display_name as invitedByName',
      'u.status as accountStatus',
    ])
    .where('i.child_id', '=', childId)
    .orderBy('i.invited_at', 'desc')
    .orderBy('i.id', 'desc')
    .execute()
}

export type CarerInvitationRow = Awaited<ReturnType<typeof listCarerInvitations>>[number]

/** One of the child's invitations still waiting (neither accepted nor withdrawn), locked. */
export async function findPendingInvitation(db: Queryable, childId: string, invitationId: string) {
  return db
    .selectFrom('carer_invitation')
    .select(['id', 'user_id', 'invited_name'])
    .where('id', '=', invitationId)
    .where('child_id', '=', childId)
    .where('accepted_at', 'is', null)
    .where('withdrawn_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/** The roles a person holds in an authority. */
export async function rolesInAuthority(db: Queryable, userId: string, authorityId: string) {
  const rows = await db
    .selectFrom('membership')
    .select('role')
    .where('user_id', '=', userId)
    .where('authority_id', '=', authorityId)
    .execute()
  return rows.map((r) => r.role)
}

/** Whether the person has another invitation to a child of this authority still waiting. */
export async function otherPendingInAuthority(
  db: Queryable,
  userId: string,
  authorityId: string,
  exceptId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('carer_invitation as i')
    .innerJoin('child as c', 'c.id', 'i.child_id')
    .select('i.id')
    .where('i.user_id', '=', userId)
    .where('c.authority_id', '=', authorityId)
    .where('i.id', '!=', exceptId)
    .where('i.accepted_at', 'is', null)
    .where('i.withdrawn_at', 'is', null)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
