import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { childForPep, createPep } from '../features/peps/start.service.ts'
import { createTestDatabase } from '../testing/database.ts'
import { makeSchool } from '../testing/factories.ts'
import { addChild, addPep, makeWorld, type JobWorld } from '../testing/job-fixtures.ts'
import { bulkStartTerm } from './bulk-start.ts'

/*
 * Starting a PEP one at a time (peps.service createPep) and in bulk (jobs/bulk-start.ts, the
 * same work set-based) are two code paths that must give the same PEP. For each shape of child
 * (a first, initial PEP; one carrying forward answers and targets; a child at a special school;
 * a post-16 young person), twins are made: one started by createPep, the other by the bulk start,
 * at the same instant. Every column of the PEP, every page and its revision, and the audit
 * event's facts must match; only who started it (a person or OpenPEP) and the ids differ.
 */

let database: DatabaseHandle
const autumn2026 = { academicYear: 2026, name: 'autumn' } as const
const spring2027 = { academicYear: 2026, name: 'spring' } as const
const newYear = new Date('2027-01-01T00:30:00Z')

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

interface Shape {
  name: string
  child?: Parameters<typeof addChild>[2]
  special?: boolean
  earlier?: Record<string, Record<string, unknown>>
  /** Moved school: a school left, then the current one, in the school history. */
  moved?: boolean
}

const SHAPES: Shape[] = [
  { name: 'a first PEP, initial (in care a few days)', child: { enteredCareOn: '2026-12-21' } },
  { name: 'a first PEP, not initial (in care for years)', child: { enteredCareOn: '2019-05-01' } },
  {
    name: 'a PEP carrying answers and targets forward',
    earlier: {
      'personal-information': { 'preferred-name': 'Robin' },
      'smart-targets': {
        targets: [
          { id: '11111111-1111-4111-8111-111111111111', area: 'literacy', target: 'Read daily' },
        ],
      },
    },
  },
  { name: 'a child at a special school', special: true },
  { name: 'a post-16 young person', child: { dateOfBirth: '2010-03-01' } },
  { name: 'a child who has moved school', child: { enteredCareOn: '2019-05-01' }, moved: true },
]

/** A child of the shape: its school made special where asked, its earlier PEP where given. */
async function childOfShape(world: JobWorld, shape: Shape, specialSchoolId: string) {
  const id = await addChild(database.db, world, shape.child)
  if (shape.special)
    await database.db
      .updateTable('child')
      .set({ school_id: specialSchoolId })
      .where('id', '=', id)
      .execute()
  if (shape.moved)
    await database.db
      .insertInto('child_school')
      .values([
        {
          child_id: id,
          school_id: specialSchoolId,
          started_on: '2020-09-01',
          ended_on: '2025-07-20',
        },
        {
          child_id: id,
          school_id: world.schoolId,
          started_on: '2025-09-01',
          reason: 'Moved placement',
        },
      ])
      .execute()
  if (shape.earlier)
    await addPep(database.db, world, id, {
      term: autumn2026,
      status: 'signed_off',
      pages: shape.earlier,
    })
  return id
}

/** Everything about a child's spring PEP, without its ids and who started it. */
async function startedPep(childId: string) {
  const db = database.db
  const pep = await db
    .selectFrom('pep')
    .selectAll()
    .where('child_id', '=', childId)
    .where('term', '=', 'spring')
    .executeTakeFirstOrThrow()
  const earlier = await db
    .selectFrom('pep')
    .select('id')
    .where('child_id', '=', childId)
    .where('term', '=', 'autumn')
    .executeTakeFirst()
  const pages = await db
    .selectFrom('pep_page')
    .select(['page_id', 'answers', 'version', 'saved_at'])
    .where('pep_id', '=', pep.id)
    .orderBy('page_id')
    .execute()
  const revisions = await db
    .selectFrom('pep_page_revision')
    .select(['page_id', 'answers', 'version', 'saved_at', 'kind'])
    .where('pep_id', '=', pep.id)
    .orderBy('page_id')
    .execute()
  const audit = await db
    .selectFrom('audit_event')
    .select(['details', 'authority_id', 'child_id', 'occurred_at', 'outcome'])
    .where('action', '=', 'pep.start')
    .where('child_id', '=', childId)
    .executeTakeFirstOrThrow()
  const { id, child_id, created_by, carried_from_id, ...columns } = pep
  const { pepId, bulkStart, carriedForwardFrom, ...facts } = audit.details as Record<
    string,
    unknown
  >
  return {
    pep: { ...columns, carriesFromItsLastPep: carried_from_id === (earlier?.id ?? null) },
    pages: pages.map((p) => ({ ...p, answers: withoutItemIds(p.answers) })),
    revisions: revisions.map((r) => ({ ...r, answers: withoutItemIds(r.answers) })),
    audit: {
      ...audit,
      child_id: audit.child_id === childId,
      details: { ...facts, fromItsLastPep: carriedForwardFrom === (earlier?.id ?? null) },
    },
    ids: { id, child_id, created_by, pepId, bulkStart },
  }
}

/** Repeating items get new ids on each start; what they carry must match. */
function withoutItemIds(answers: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(answers, (key, value) => (key === 'id' ? '(new id)' : value)),
  ) as Record<string, unknown>
}

describe('starting a PEP one at a time and in bulk', () => {
  it('gives the same PEP, page for page, for every shape of child', async () => {
    const world = await makeWorld(database.db, 'TWIN', { bulkStartNextTerm: true })
    const special = await makeSchool(database.db, {
      authorityId: world.authorityId,
      name: 'Twin Special School',
      type: 'special',
      phase: 'all-through',
    })
    const twins = []
    for (const shape of SHAPES)
      twins.push({
        shape,
        byHand: await childOfShape(world, shape, special.schoolId),
        inBulk: await childOfShape(world, shape, special.schoolId),
      })

    // One at a time, as a person would, at the very instant the bulk start runs.
    for (const { byHand } of twins)
      await database.db.transaction().execute(async (trx) => {
        const started = await createPep(
          trx,
          {
            userId: world.socialWorker.id,
            role: 'social_worker',
            authorityId: world.authorityId,
            now: newYear,
            today: '2027-01-01',
          },
          {
            child: await childForPep(trx, byHand),
            term: spring2027,
            meetingOn: null,
            changeOfSchool: false,
          },
        )
        expect(started.ok).toBe(true)
      })
    // The rest in bulk: only the twins still without the term's PEP.
    expect(await bulkStartTerm({ db: database.db, now: newYear })).toEqual({
      authorities: 1,
      started: SHAPES.length,
    })

    for (const { shape, byHand, inBulk } of twins) {
      const one = await startedPep(byHand)
      const bulk = await startedPep(inBulk)
      expect(bulk.pep, shape.name).toEqual(one.pep)
      expect(bulk.pages, shape.name).toEqual(one.pages)
      expect(bulk.revisions, shape.name).toEqual(one.revisions)
      expect(bulk.audit, shape.name).toEqual(one.audit)
      expect(one.ids.created_by).toBe(world.socialWorker.id)
      expect(bulk.ids).toMatchObject({ created_by: null, bulkStart: true })
    }
    // The shapes are what they say: each path met an initial PEP, carried pages, a special form
    // and a post-16 form.
    const all = await Promise.all(twins.map((t) => startedPep(t.byHand)))
    expect(all.map((p) => [p.pep.form_type, p.pep.is_initial, p.pages.length])).toEqual([
      ['secondary', true, 0],
      ['secondary', false, 0],
      ['secondary', false, 2],
      ['secondary_special', false, 0],
      ['post_16', false, 0],
      ['secondary', false, 1],
    ])
    // The moved child's "Previous schools" has the school they left, by either path.
    const moved = all.at(-1)!.pages.flatMap((p) => {
      const items = p.answers['previous-schools']
      return Array.isArray(items) ? (items as Record<string, unknown>[]) : []
    })
    expect(moved).toMatchObject([
      {
        'school-name': 'Twin Special School',
        'from-date': '2020-09-01',
        'to-date': '2025-07-20',
        'reason-for-leaving': 'Moved placement',
      },
    ])
  })
})
