import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Term } from '../../domain/terms.ts'
import {
  oversightWorld,
  OAK_CONSULTANT,
  type OversightWorld,
} from '../../testing/oversight-world.ts'
import { writePage } from '../peps/peps.repository.ts'
import { ratingsByTerm, readTermCohort } from './cohort.query.ts'
import { readTermFigures } from './figures.query.ts'

/*
 * A PEP's Section D overall rating and the young person's participation are kept on the PEP's
 * row (qa_overall, qa_participated; migration t17dash01) from its quality assurance page, by a
 * trigger in the statement that writes the page, so the dashboard, its trend and the lists read
 * them without Section D's answers. Here they follow the page through a PEP's life on Oakvale
 * (src/testing/oversight-world.ts), and the figures follow them, worked out by hand: Gus's PEP
 * (waiting for quality assurance, no Section D yet) is rated (a save), returned for improvement
 * (the answers kept), rated again (a second save), signed off again after the return (back in
 * the figures, with the rating of the last save), and its page erased.
 */

let w: OversightWorld
const autumn: Term = { academicYear: 2026, name: 'autumn' }
const today = '2026-11-23'
let gusPep: string

beforeAll(async () => {
  w = await oversightWorld()
  gusPep = (
    await w.db
      .selectFrom('pep')
      .select('id')
      .where('child_id', '=', w.childIds['Gus']!)
      .executeTakeFirstOrThrow()
  ).id
})
afterAll(async () => w?.close())

/** Every PEP's kept rating and participation beside its page's answers, where they differ. */
async function differing() {
  const { rows } = await sql<{ id: string }>`select p.id from pep p
    left join pep_page q on q.pep_id = p.id and q.page_id = 'quality-assurance'
    where p.qa_overall is distinct from q.answers ->> 'qa-overall'
      or p.qa_participated is distinct from q.answers ->> 'qa-young-person-participated'`.execute(
    w.db,
  )
  return rows
}

async function kept() {
  return w.db
    .selectFrom('pep')
    .select(['qa_overall as overall', 'qa_participated as participated'])
    .where('id', '=', gusPep)
    .executeTakeFirstOrThrow()
}

/** Oakvale's autumn quality figures, its trend's autumn and the cohort rows' ratings. */
async function quality() {
  const { figures } = await readTermFigures(w.db, w.oakId, autumn, today)
  const [trend] = await ratingsByTerm(w.db, w.oakId, [autumn])
  const cohort = await readTermCohort(w.db, w.oakId, autumn, today)
  const gus = cohort.rows.find((r) => r.childId === w.childIds['Gus'])!
  return {
    ratings: Object.fromEntries(Object.entries(figures.ratings).filter(([, n]) => n > 0)),
    rated: figures.rated,
    participated: figures.participated,
    answered: figures.participationAnswered,
    returned: figures.byStage.returned,
    trend: { signedOff: trend!.signedOff, ratings: trend!.ratings },
    gus: { rating: gus.pep!.overallRating, participated: gus.pep!.participated },
  }
}

const save = (version: number, overall: string, participated: string) =>
  writePage(w.db, {
    pepId: gusPep,
    pageId: 'quality-assurance',
    answers: { 'qa-overall': overall, 'qa-young-person-participated': participated },
    version,
    savedBy: w.userIds[OAK_CONSULTANT]!,
    at: new Date('2026-11-23T10:00:00Z'),
    kind: 'saved',
  })

describe('the rating kept on the PEP from its Section D', () => {
  it('is each PEP’s answers as the world saved them (an insert of the page)', async () => {
    expect(await differing()).toEqual([])
    // Eve's autumn PEP, signed off, rated good, the young person took part: the only one counted.
    expect(await quality()).toEqual({
      ratings: { good: 1 },
      rated: 1,
      participated: 1,
      answered: 1,
      returned: 1,
      trend: { signedOff: 1, ratings: { good: 1 } },
      gus: { rating: null, participated: null },
    })
  })

  it('follows a save, a return, a second save and the sign-off after it, counted only once signed off', async () => {
    // A save: Section D rated inadequate, without the young person. Not counted: not signed off.
    expect(await save(1, 'inadequate', 'no')).toBe(true)
    expect(await kept()).toEqual({ overall: 'inadequate', participated: 'no' })
    expect((await quality()).rated).toBe(1)

    // A return for improvement (the step's own change: back in progress, the return recorded);
    // the quality assurance is kept, and still not counted. Gus's PEP is now returned too.
    await w.db.updateTable('pep').set({ status: 'in_progress' }).where('id', '=', gusPep).execute()
    await w.db
      .insertInto('pep_event')
      .values({ pep_id: gusPep, kind: 'returned-for-improvement', at: new Date(`${today}T09:00Z`) })
      .execute()
    expect(await kept()).toEqual({ overall: 'inadequate', participated: 'no' })
    expect(await quality()).toMatchObject({ rated: 1, returned: 2, ratings: { good: 1 } })

    // A second save after the improvements: requires improvement, the young person took part.
    expect(await save(2, 'requires_improvement', 'yes')).toBe(true)
    // A stale save (version 2 again) changes nothing, the rating neither.
    expect(await save(2, 'outstanding', 'no')).toBe(false)
    expect(await kept()).toEqual({ overall: 'requires_improvement', participated: 'yes' })

    // Signed off again: counted, with the rating of the last save.
    await w.db
      .updateTable('pep')
      .set({ status: 'signed_off', signed_off_at: new Date('2026-11-23T11:00:00Z') })
      .where('id', '=', gusPep)
      .execute()
    expect(await quality()).toEqual({
      ratings: { good: 1, requires_improvement: 1 },
      rated: 2,
      participated: 2,
      answered: 2,
      returned: 1,
      trend: { signedOff: 2, ratings: { good: 1, requires_improvement: 1 } },
      gus: { rating: 'requires_improvement', participated: true },
    })
    expect(await differing()).toEqual([])
  })

  it('goes with the page: erased, the PEP has no rating and is counted signed off, unrated', async () => {
    await w.db
      .deleteFrom('pep_page')
      .where('pep_id', '=', gusPep)
      .where('page_id', '=', 'quality-assurance')
      .execute()
    expect(await kept()).toEqual({ overall: null, participated: null })
    expect(await quality()).toMatchObject({
      ratings: { good: 1 },
      rated: 1,
      answered: 1,
      trend: { signedOff: 2, ratings: { good: 1 } },
      gus: { rating: null, participated: null },
    })
    expect(await differing()).toEqual([])
  })
})
