import type { Database } from '../../db/connection.ts'
import { londonDate, type CalendarDate } from '../../domain/calendar-date.ts'
import {
  isPastRetention,
  keepUntil,
  RETENTION_LIMITS,
  type RetentionPolicy,
} from '../../domain/retention.ts'
import { audit, systemActor, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import {
  childrenWhoLeftCare,
  eraseChild,
  findChildForRetention,
  findPolicy,
  findReview,
  listForReview,
  policies,
  savePolicy,
  setProposal,
  unlistExcept,
} from './retention.repository.ts'

/*
 * Retention (issue 22, ADR 13). Each authority says how long it keeps a child's record after
 * they leave care, or until an age. A daily job lists the records past their date; erasing one
 * takes two different administrators of the child's authority: one proposes, another confirms.
 * Erasure removes everything held about the child in one transaction; the audit trail keeps
 * that it happened (the child's id, who proposed, who confirmed, how many rows), never what.
 */

/** The child's retention as a data rights page shows it. */
export interface ChildRetention {
  policy: RetentionPolicy | undefined
  keepUntil: CalendarDate | null
  listed: boolean
  proposedByName: string | null
}

export async function childRetention(db: Database, childId: string): Promise<ChildRetention> {
  const child = await findChildForRetention(db, childId)
  const policy = child && (await findPolicy(db, child.authorityId))
  const review = await findReview(db, childId)
  return {
    policy,
    keepUntil: child && policy ? keepUntil(policy, child) : null,
    listed: review !== undefined,
    proposedByName: review?.proposedByName ?? null,
  }
}

export type PolicyRefusal = 'years_after_care_invalid' | 'until_age_invalid' | 'nothing_set'

/** Reads one figure of the rule: blank is none; else a whole number within its limits. */
function readFigure(
  value: string,
  limits: { min: number; max: number },
): number | null | 'invalid' {
  const text = value.trim()
  if (text === '') return null
  if (!/^\d{1,3}$/.test(text)) return 'invalid'
  const n = Number(text)
  return n < limits.min || n > limits.max ? 'invalid' : n
}

/** Sets the authority's rule: at least one of the two, each within its limits. */
export async function setRetentionPolicy(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  input: { yearsAfterCare: string; untilAge: string },
): Promise<Result<RetentionPolicy, PolicyRefusal>> {
  const yearsAfterCare = readFigure(input.yearsAfterCare, RETENTION_LIMITS.yearsAfterCare)
  if (yearsAfterCare === 'invalid')
    return refuse('years_after_care_invalid', RETENTION_LIMITS.yearsAfterCare)
  const untilAge = readFigure(input.untilAge, RETENTION_LIMITS.untilAge)
  if (untilAge === 'invalid') return refuse('until_age_invalid', RETENTION_LIMITS.untilAge)
  if (yearsAfterCare === null && untilAge === null) return refuse('nothing_set')
  const policy = { yearsAfterCare, untilAge }
  await db.transaction().execute(async (trx) => {
    await savePolicy(trx, authorityId, policy, { userId: actor.userId, at: actor.now })
    await audit(trx, actor, {
      action: 'retention.policy.update',
      authorityId,
      details: { yearsAfterCare, untilAge },
    })
  })
  return ok(policy)
}

/**
 * The daily job: for each authority with a rule, lists its records past their date (a record
 * listed before stays listed, with any proposal) and takes off the list those no longer due
 * because the rule changed. Returns how many it listed and unlisted.
 */
export async function reviewRetention({ db, now }: { db: Database; now: Date }) {
  const today = londonDate(now)
  let listed = 0
  let unlisted = 0
  for (const row of await policies(db)) {
    const policy = { yearsAfterCare: row.years_after_care, untilAge: row.until_age }
    await db.transaction().execute(async (trx) => {
      const due = (await childrenWhoLeftCare(trx, row.authority_id)).filter((c) =>
        isPastRetention(policy, c, today),
      )
      let added = 0
      for (const child of due)
        if (
          await listForReview(
            trx,
            { id: child.id, authorityId: row.authority_id, keepUntil: keepUntil(policy, child)! },
            now,
          )
        )
          added++
      const removed = await unlistExcept(
        trx,
        row.authority_id,
        due.map((c) => c.id),
      )
      if (added > 0 || removed > 0)
        await audit(trx, systemActor(now), {
          action: 'retention.review',
          authorityId: row.authority_id,
          details: { listed: added, unlisted: removed, due: due.length },
        })
      listed += added
      unlisted += removed
    })
  }
  return { listed, unlisted }
}

export type ErasureRefusal =
  | 'not_found'
  | 'not_listed'
  | 'already_proposed'
  | 'not_proposed'
  | 'same_administrator'
  | 'not_due'

/** The listed record of a child of one of the actor's authorities, still past its date. */
async function listedRecord(
  db: Database,
  childId: string,
  authorityIds: readonly string[],
  today: CalendarDate,
) {
  const child = await findChildForRetention(db, childId)
  if (!child || !authorityIds.includes(child.authorityId)) return refuse('not_found' as const)
  const review = await findReview(db, childId)
  if (!review) return refuse('not_listed' as const)
  const policy = await findPolicy(db, child.authorityId)
  if (!policy || !isPastRetention(policy, child, today)) return refuse('not_due' as const)
  return ok({ child, review, policy })
}

/** The first administrator: proposes erasing a listed record. */
export async function proposeErasure(
  db: Database,
  actor: PersonActor,
  authorityIds: readonly string[],
  childId: string,
): Promise<Result<null, ErasureRefusal>> {
  const found = await listedRecord(db, childId, authorityIds, actor.today)
  if (!found.ok) return found
  if (found.value.review.proposedBy) return refuse('already_proposed')
  await db.transaction().execute(async (trx) => {
    await setProposal(trx, childId, { by: actor.userId, at: actor.now })
    await audit(trx, actor, {
      action: 'retention.erasure.propose',
      authorityId: found.value.child.authorityId,
      childId,
    })
  })
  return ok(null)
}

/** Takes a proposal back: the proposer or another administrator who does not agree. */
export async function withdrawProposal(
  db: Database,
  actor: PersonActor,
  authorityIds: readonly string[],
  childId: string,
): Promise<Result<null, ErasureRefusal>> {
  const child = await findChildForRetention(db, childId)
  if (!child || !authorityIds.includes(child.authorityId)) return refuse('not_found')
  const review = await findReview(db, childId)
  if (!review?.proposedBy) return refuse('not_proposed')
  await db.transaction().execute(async (trx) => {
    await setProposal(trx, childId, null)
    await audit(trx, actor, {
      action: 'retention.erasure.withdraw',
      authorityId: child.authorityId,
      childId,
    })
  })
  return ok(null)
}

/**
 * The second administrator: confirms, and the record is erased. Never the one who proposed it;
 * and only while it is still past its date under the rule as it stands now.
 */
export async function confirmErasure(
  db: Database,
  actor: PersonActor,
  authorityIds: readonly string[],
  childId: string,
): Promise<Result<Record<string, number>, ErasureRefusal>> {
  const found = await listedRecord(db, childId, authorityIds, actor.today)
  if (!found.ok) return found
  const { review, child } = found.value
  if (!review.proposedBy) return refuse('not_proposed')
  if (review.proposedBy === actor.userId) return refuse('same_administrator')
  const counts = await db.transaction().execute(async (trx) => {
    const erased = await eraseChild(trx, childId, actor.now)
    await audit(trx, actor, {
      action: 'retention.erasure.confirm',
      authorityId: child.authorityId,
      childId,
      details: {
        proposedBy: review.proposedBy,
        proposedAt: review.proposedAt?.toISOString(),
        keepUntil: review.keepUntil,
        rows: erased,
      },
    })
    return erased
  })
  return ok(counts)
}
