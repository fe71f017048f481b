import type { Queryable } from '../../db/connection.ts'

/* The young person's own part (issue 20): the queries behind their home. */

/** Who is invited to each of these PEPs' meetings, by name (people with an account only). */
export async function inviteeNamesOf(
  db: Queryable,
  pepIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (pepIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('pep_invitee as i')
    .innerJoin('app_user as u', 'u.id', 'i.user_id')
    .select(['i.pep_id as pepId', 'u.display_name as name'])
    .where('i.pep_id', 'in', pepIds)
    .orderBy('u.display_name')
    .execute()
  const names = new Map<string, string[]>()
  for (const row of rows) names.set(row.pepId, [...(names.get(row.pepId) ?? []), row.name])
  return names
}

/** The pages of these PEPs that staff have shared with the young person. */
export async function sharedPagesOfPeps(
  db: Queryable,
  pepIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (pepIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('pep_page_share')
    .select(['pep_id as pepId', 'page_id as pageId'])
    .where('pep_id', 'in', pepIds)
    .orderBy('shared_at')
    .execute()
  const shared = new Map<string, string[]>()
  for (const row of rows) shared.set(row.pepId, [...(shared.get(row.pepId) ?? []), row.pageId])
  return shared
}
