import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { SchoolFields } from '../../domain/school.ts'

export interface SchoolFilters {
  search?: string
  type?: string
  phase?: string
  status?: 'open' | 'closed'
}

export interface SchoolRow {
  id: string
  authorityId: string
  authorityName: string
  name: string
  urn: string | null
  dfeNumber: string | null
  type: string
  phase: string
  open: boolean
  predecessorId: string | null
  openedOn: string | null
  closedOn: string | null
  updatedAt: Date
}

/**
 * What the edit form carries to spot a change made meanwhile: a fingerprint of everything the
 * form shows (the school table has no version column, and a timestamp can repeat).
 */
export function schoolVersion(school: SchoolRow): string {
  const { name, urn, dfeNumber, type, phase, open, closedOn, predecessorId } = school
  return createHash('sha256')
    .update(JSON.stringify([name, urn, dfeNumber, type, phase, open, closedOn, predecessorId]))
    .digest('base64url')
    .slice(0, 22)
}

const columns = [
  's.id',
  's.authority_id as authorityId',
  'a.name as authorityName',
  's.name',
  's.urn',
  's.dfe_number as dfeNumber',
  's.type',
  's.phase',
  's.open',
  's.predecessor_id as predecessorId',
  's.opened_on as openedOn',
  's.closed_on as closedOn',
  's.updated_at as updatedAt',
] as const

export async function listSchools(
  db: Queryable,
  authorityIds: string[],
  filters: SchoolFilters,
  page: { offset: number; limit: number },
): Promise<{ rows: SchoolRow[]; total: number }> {
  if (authorityIds.length === 0) return { rows: [], total: 0 }
  let query = db
    .selectFrom('school as s')
    .innerJoin('authority as a', 'a.id', 's.authority_id')
    .where('s.authority_id', 'in', authorityIds)
  if (filters.search) {
    const like = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(s.name)`, 'like', like),
        eb('s.urn', 'like', like),
        eb('s.dfe_number', 'like', like),
      ]),
    )
  }
  if (filters.type) query = query.where('s.type', '=', filters.type)
  if (filters.phase) query = query.where('s.phase', '=', filters.phase)
  if (filters.status) query = query.where('s.open', '=', filters.status === 'open')
  const [rows, count] = await Promise.all([
    query
      .select(columns)
      .orderBy('s.name')
      .orderBy('s.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

/** A school in one of the given authorities, or undefined (callers answer 404). */
export async function findSchool(
  db: Queryable,
  authorityIds: string[],
  schoolId: string,
  forUpdate = false,
): Promise<SchoolRow | undefined> {
  if (authorityIds.length === 0) return undefined
  let query = db
    .selectFrom('school as s')
    .innerJoin('authority as a', 'a.id', 's.authority_id')
    .select(columns)
    .where('s.id', '=', schoolId)
    .where('s.authority_id', 'in', authorityIds)
  if (forUpdate) query = query.forUpdate('s')
  return query.executeTakeFirst()
}

/** The schools this one replaced (newest first) and the ones that replaced it (in order). */
export async function findLineage(db: Queryable, school: SchoolRow) {
  const predecessors: SchoolRow[] = []
  const seen = new Set([school.id])
  let next = school.predecessorId
  while (next && !seen.has(next)) {
    seen.add(next)
    const row = await findSchool(db, [school.authorityId], next)
    if (!row) break
    predecessors.push(row)
    next = row.predecessorId
  }
  const successors: SchoolRow[] = []
  let current = school.id
  for (;;) {
    const row = await db
      .selectFrom('school as s')
      .innerJoin('authority as a', 'a.id', 's.authority_id')
      .select(columns)
      .where('s.predecessor_id', '=', current)
      .executeTakeFirst()
    if (!row || seen.has(row.id)) break
    seen.add(row.id)
    successors.push(row)
    current = row.id
  }
  return { predecessors, successors }
}

export async function countChildrenAt(db: Queryable, schoolId: string): Promise<number> {
  const row = await db
    .selectFrom('child')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('school_id', '=', schoolId)
    .where('status', '=', 'in_care')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function schoolRow(authorityId: string, fields: SchoolFields, today: string, at: Date) {
  return {
    authority_id: authorityId,
    name: fields.name,
    urn: fields.urn,
    dfe_number: fields.dfeNumber,
    type: fields.type,
    phase: fields.phase,
    open: fields.open,
    closed_on: fields.open ? null : today,
    updated_at: at,
  }
}
