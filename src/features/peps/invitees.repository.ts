import type { Queryable } from '../../db/connection.ts'
import { isRole, ROLE_NAMES } from '../../domain/roles.ts'
import { listAccessEntries } from '../../shared/child-access.ts'
import type { InviteeChoice } from './start.form.ts'

/** The roles on a child's record who should be at every PEP meeting (issue 15). */
const EXPECTED_CAPACITIES = new Set(['social_worker', 'designated_teacher', 'carer', 'iro'])

/**
 * Who can be invited to a PEP meeting: everyone on the child's record, not only its access list.
 * The access list now (with the carer of the placement and the IRO), the record's owner (its
 * social worker) and the designated teachers of the child's current school, each once. Those
 * who should be at every meeting come ticked (`expected`): the record's owner and social worker,
 * the designated teacher of the current school, the carer and the IRO.
 */
export async function meetingInviteeChoices(
  db: Queryable,
  childId: string,
): Promise<InviteeChoice[]> {
  const [child, entries] = await Promise.all([
    db
      .selectFrom('child')
      .leftJoin('school', 'school.id', 'child.school_id')
      .select(['child.record_owner_id', 'child.school_id', 'school.name as schoolName'])
      .where('child.id', '=', childId)
      .executeTakeFirstOrThrow(),
    listAccessEntries(db, childId),
  ])
  const choices = new Map<string, InviteeChoice>()
  const add = (choice: InviteeChoice) => {
    const already = choices.get(choice.userId)
    if (!already) choices.set(choice.userId, choice)
    else if (choice.expected && !already.expected) already.expected = true
  }
  for (const e of entries)
    add({
      userId: e.userId,
      name: e.displayName,
      role:
        (isRole(e.capacity) ? ROLE_NAMES[e.capacity] : e.capacity) +
        (e.userId === child.record_owner_id ? ', record owner' : ''),
      expected: EXPECTED_CAPACITIES.has(e.capacity) || e.userId === child.record_owner_id,
    })
  if (child.record_owner_id) {
    const owner = await db
      .selectFrom('app_user')
      .select(['id', 'display_name'])
      .where('id', '=', child.record_owner_id)
      .where('status', '=', 'active')
      .executeTakeFirst()
    if (owner)
      add({ userId: owner.id, name: owner.display_name, role: 'Record owner', expected: true })
  }
  if (child.school_id) {
    const teachers = await db
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['app_user.id', 'app_user.display_name'])
      .where('membership.school_id', '=', child.school_id)
      .where('membership.role', '=', 'designated_teacher')
      .where('app_user.status', '=', 'active')
      .orderBy('app_user.display_name')
      .execute()
    for (const t of teachers)
      add({
        userId: t.id,
        name: t.display_name,
        role: `Designated teacher, ${child.schoolName ?? 'current school'}`,
        expected: true,
      })
  }
  return [...choices.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
}
