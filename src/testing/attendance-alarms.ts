import type { Queryable } from '../db/connection.ts'

/*
 * For the attendance alarm's tests: each alarm about the children, as the trays and the webhook
 * queue (the outbox of what is sent out of OpenPEP) hold them, counted per child.
 */
export async function attendanceAlarms(
  db: Queryable,
  about: { childIds: readonly string[]; socialWorkerId: string; clientId: string },
) {
  const { childIds, socialWorkerId, clientId } = about
  const tasks = await db
    .selectFrom('task')
    .select(['child_id', 'is_alert', 'assigned_to', 'group_role'])
    .where('kind', '=', 'attendance-below')
    .where('child_id', 'in', childIds)
    .execute()
  const deliveries = await db
    .selectFrom('api_webhook_delivery as d')
    .innerJoin('api_webhook as w', 'w.id', 'd.webhook_id')
    .select(['d.payload'])
    .where('w.client_id', '=', clientId)
    .where('d.event_type', '=', 'child.attendance-below-threshold')
    .execute()
  return childIds.map((childId) => ({
    alerts: tasks.filter(
      (r) => r.child_id === childId && r.is_alert && r.assigned_to === socialWorkerId,
    ).length,
    tasks: tasks.filter(
      (r) => r.child_id === childId && !r.is_alert && r.group_role === 'vs_consultant',
    ).length,
    deliveries: deliveries.filter(
      (d) => (d.payload as { data: { childId: string } }).data.childId === childId,
    ).length,
  }))
}
