import { sql } from 'kysely'
import type { Queryable } from '../db/connection.ts'
import { addDays, londonDate } from '../domain/calendar-date.ts'
import { isInitialPep } from '../domain/initial-pep.ts'
import { termOf, termStart, type Term } from '../domain/terms.ts'
import { formTypeFor } from '../domain/year-group.ts'
import { currentTemplate } from '../forms/templates/index.ts'
import type { Answers } from '../forms/types.ts'
import { loadAuthoritySettings } from '../shared/settings.ts'
import {
  addSchoolMoves,
  carryForward,
  schoolMovesOfChildren,
  yearGroupInTerm,
} from '../features/peps/start.service.ts'
import { childrenWithoutPep, type ChildWithoutPep } from './children-without-pep.ts'
import {
  auditSystem,
  claimNotice,
  closureDaysOf,
  listAuthorities,
  SYSTEM_ROLE,
  type JobContext,
} from './job-context.ts'

/*
 * Where an authority switches on bulkStartNextTerm: on the first day of a term (or, when the
 * service was down that day, on the first night it runs within the term's first week), start
 * the term's PEP for every child in care who has none, exactly as `createPep` starts one: form
 * type and year group from the child, the current template, what carries forward from the last
 * three PEPs, the initial-PEP flag, and a `pep.start` audit event, here by OpenPEP itself.
 *
 * At national scale (84,000 children) one `createPep` per child costs some twenty statements
 * each, so this does the same work set-based, a batch of children per transaction: their last
 * PEPs and pages in two queries, their PEPs, pages, revisions and audit events in one insert
 * each. A batch that fails leaves nothing half-done, and running again starts only the children
 * still without this term's PEP, so the job is safe to repeat. A user starting a child's PEP at
 * the same moment wins: the insert skips any child whose term is taken by then.
 *
 * The two paths must give the same PEP: pep-start-paths.test.ts starts twins of every shape
 * (initial, carrying forward, special school, post-16) one each way and compares every column,
 * page, revision and audit fact, so a change to one path that the other lacks fails there.
 */

const BATCH = 500
/** How long after the first day of a term a missed bulk start is still made up. */
const CATCH_UP_DAYS = 6

export interface BulkStartResult {
  authorities: number
  started: number
}

export async function bulkStartTerm(
  { db, now }: JobContext,
  options: { batchSize?: number } = {},
): Promise<BulkStartResult> {
  const today = londonDate(now)
  const term = termOf(today)
  const first = termStart(term)
  const result: BulkStartResult = { authorities: 0, started: 0 }
  if (today > addDays(first, CATCH_UP_DAYS)) return result
  for (const authority of await listAuthorities(db)) {
    const settings = await loadAuthoritySettings(db, authority.id)
    if (!settings.bulkStartNextTerm) continue
    const done = await db
      .selectFrom('scheduled_notice')
      .select('id')
      .where('kind', '=', 'bulk-start')
      .where('subject_id', '=', authority.id)
      .where('for_date', '=', first)
      .executeTakeFirst()
    if (done) continue
    const closures = await closureDaysOf(db, authority.id)
    const children = await childrenWithoutPep(db, authority.id, term)
    let started = 0
    const size = options.batchSize ?? BATCH
    for (let i = 0; i < children.length; i += size) {
      const batch = children.slice(i, i + size)
      started += await db
        .transaction()
        .execute((trx) =>
          startBatch(trx, batch, term, today, now, settings.initialPepMeetingWorkingDays, closures),
        )
    }
    await db.transaction().execute(async (trx) => {
      await claimNotice(trx, {
        kind: 'bulk-start',
        subjectId: authority.id,
        forDate: first,
        authorityId: authority.id,
        at: now,
        details: { started },
      })
      await auditSystem(trx, {
        action: 'job.pep.bulk-start',
        at: now,
        authorityId: authority.id,
        details: { term: `${term.academicYear}-${term.name}`, started },
      })
    })
    result.authorities++
    result.started += started
  }
  return result
}

/** Starts one batch's PEPs in the caller's transaction; returns how many were started. */
async function startBatch(
  trx: Queryable,
  children: readonly ChildWithoutPep[],
  term: Term,
  today: string,
  now: Date,
  initialWorkingDays: number,
  closures: ReadonlySet<string>,
): Promise<number> {
  if (children.length === 0) return 0
  const ids = children.map((c) => c.id)
  // Each child's last three PEPs, newest first (as listPepsOfChild orders them).
  const earlier = await trx
    .selectFrom((qb) =>
      qb
        .selectFrom('pep')
        .select([
          'id',
          'child_id',
          sql<number>`row_number() over (partition by child_id order by academic_year desc, case term when 'summer' then 3 when 'spring' then 2 else 1 end desc, created_at desc)`.as(
            'rank',
          ),
        ])
        .where('child_id', 'in', ids)
        .as('ranked'),
    )
    .select(['id', 'child_id as childId', 'rank'])
    .where('rank', '<=', 3)
    .orderBy('child_id')
    .orderBy('rank')
    .execute()
  const pages = earlier.length
    ? await trx
        .selectFrom('pep_page')
        .select(['pep_id as pepId', 'page_id as pageId', 'answers'])
        .where(
          'pep_id',
          'in',
          earlier.map((e) => e.id),
        )
        .execute()
    : []
  const pagesByPep = new Map<string, Map<string, { answers: Answers }>>()
  for (const page of pages) {
    let map = pagesByPep.get(page.pepId)
    if (!map) pagesByPep.set(page.pepId, (map = new Map()))
    map.set(page.pageId, { answers: page.answers as Answers })
  }
  const earlierByChild = new Map<string, string[]>()
  for (const e of earlier) {
    const list = earlierByChild.get(e.childId) ?? []
    list.push(e.id)
    earlierByChild.set(e.childId, list)
  }

  // "Previous schools" gets every school move, as createPep adds them (issue 15).
  const moves = await schoolMovesOfChildren(trx, ids)
  const planned = children.flatMap((child) => {
    const yearGroup = yearGroupInTerm(child, term)
    if (!yearGroup) return []
    const template = currentTemplate(formTypeFor(yearGroup, child.atSpecialSchool))
    const earlierIds = earlierByChild.get(child.id) ?? []
    const carried = addSchoolMoves(
      template,
      carryForward(
        template,
        earlierIds.map((id) => pagesByPep.get(id) ?? new Map()),
      ),
      moves.get(child.id) ?? [],
    )
    const isInitial = isInitialPep({
      enteredCareOn: child.enteredCareOn,
      today,
      hasEarlierPep: earlierIds.length > 0,
      workingDays: initialWorkingDays,
      closures,
    })
    return [{ child, yearGroup, template, carried, isInitial, lastId: earlierIds[0] ?? null }]
  })
  if (planned.length === 0) return 0

  const inserted = await trx
    .insertInto('pep')
    .values(
      planned.map((p) => ({
        child_id: p.child.id,
        authority_id: p.child.authorityId,
        academic_year: term.academicYear,
        term: term.name,
        form_type: p.template.formType,
        template_version: p.template.version,
        year_group: p.yearGroup,
        school_id: p.child.schoolId,
        change_of_school: false,
        started_on: today,
        meeting_on: null,
        target_on: null,
        is_initial: p.isInitial,
        carried_from_id: p.lastId,
        created_by: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['child_id', 'academic_year', 'term'])
        .where(sql<boolean>`not change_of_school`)
        .doNothing(),
    )
    .returning(['id', 'child_id as childId'])
    .execute()
  const pepOf = new Map(inserted.map((row) => [row.childId, row.id]))
  const started = planned.filter((p) => pepOf.has(p.child.id))

  const pageRows = started.flatMap((p) =>
    [...p.carried].map(([pageId, answers]) => ({
      pep_id: pepOf.get(p.child.id)!,
      page_id: pageId,
      answers: JSON.stringify(answers),
    })),
  )
  for (let i = 0; i < pageRows.length; i += 1000) {
    const chunk = pageRows.slice(i, i + 1000)
    await trx
      .insertInto('pep_page')
      .values(chunk.map((r) => ({ ...r, version: 1, saved_by: null, saved_at: now })))
      .execute()
    await trx
      .insertInto('pep_page_revision')
      .values(
        chunk.map((r) => ({
          ...r,
          version: 1,
          saved_by: null,
          saved_at: now,
          kind: 'carried-forward' as const,
        })),
      )
      .execute()
  }
  for (let i = 0; i < started.length; i += 1000) {
    await trx
      .insertInto('audit_event')
      .values(
        started.slice(i, i + 1000).map((p) => ({
          occurred_at: now,
          user_id: null,
          acting_role: SYSTEM_ROLE,
          authority_id: p.child.authorityId,
          action: 'pep.start',
          outcome: 'success' as const,
          child_id: p.child.id,
          details: JSON.stringify({
            pepId: pepOf.get(p.child.id),
            term: `${term.academicYear}-${term.name}`,
            formType: p.template.formType,
            carriedForwardFrom: p.lastId,
            pagesCarriedForward: [...p.carried.keys()],
            meetingOn: null,
            targetOn: null,
            isInitial: p.isInitial,
            invitees: 0,
            bulkStart: true,
          }),
        })),
      )
      .execute()
  }
  return started.length
}
