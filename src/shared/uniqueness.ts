import type { Queryable } from '../db/connection.ts'

/*
 * Is this value taken already? The checks several features make before a save (a school's URN,
 * a child's UPN or case reference), and the unique-violation reading for a save that raced
 * another one past them (PostgreSQL 23505): the database's unique index is the last word, these
 * checks only let the form say why before it is tried.
 */

/** The name of the unique constraint or index a write broke (PostgreSQL 23505), if it broke one. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string } | null
  return e?.code === '23505' ? (e.constraint ?? '') : undefined
}

/** True when the error is PostgreSQL's unique violation (a race the checks could not see). */
export function isUniqueViolation(error: unknown): boolean {
  return uniqueViolation(error) !== undefined
}

// ---- Schools ----

/** Whether another school (any authority) has this URN. */
export async function urnTaken(db: Queryable, urn: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('school').select('id').where('urn', '=', urn)
  if (exceptId) query = query.where('id', '!=', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

/** Every URN a school has, for checking a whole import file. */
export async function allUrns(db: Queryable): Promise<Set<string>> {
  const rows = await db.selectFrom('school').select('urn').where('urn', 'is not', null).execute()
  return new Set(rows.map((r) => r.urn!))
}

// ---- Children ----

/** Whether another child of the authority has this case reference. */
export async function caseReferenceTaken(
  db: Queryable,
  authorityId: string,
  reference: string,
  exceptChildId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('child')
    .select('id')
    .where('authority_id', '=', authorityId)
    .where('case_reference', '=', reference)
  if (exceptChildId) query = query.where('id', '!=', exceptChildId)
  return (await query.executeTakeFirst()) !== undefined
}

/** Whether another child, in any authority, has this UPN (stored normalised). */
export async function upnTaken(
  db: Queryable,
  upn: string,
  exceptChildId?: string,
): Promise<boolean> {
  let query = db.selectFrom('child').select('id').where('upn', '=', upn)
  if (exceptChildId) query = query.where('id', '!=', exceptChildId)
  return (await query.executeTakeFirst()) !== undefined
}

/** Which of these UPNs (normalised) a child already has, in any authority. */
export async function upnsTaken(db: Queryable, upns: readonly string[]): Promise<Set<string>> {
  if (upns.length === 0) return new Set()
  const rows = await db
    .selectFrom('child')
    .select('upn')
    .where('upn', 'in', [...new Set(upns)])
    .execute()
  return new Set(rows.flatMap((r) => (r.upn ? [r.upn] : [])))
}

/** The unique index that keeps one child per UPN (migration 2026_11_30_0401). */
export const UPN_UNIQUE_INDEX = 'child_upn_key'
