import type { Database } from '../../db/connection.ts'
import {
  decide,
  financialYearOf,
  type DecisionRefusal,
  type FinancialYear,
  type ImpactOutcome,
} from '../../domain/funding.ts'
import type { Pence } from '../../domain/money.ts'
import { audit, type Actor, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import {
  approvedForChild,
  findBudget,
  insertDecision,
  insertRequest,
  loadFundingSettings,
  lockRequest,
  recordImpact,
  saveBudget,
  saveFundingSettings,
  updateRequest,
  type Budget,
  type FundingSettings,
  type PepTarget,
  type RequestRow,
} from './funding.repository.ts'

/*
 * Every change to Pupil Premium Plus requests, decisions, budgets and impact: one transaction
 * each, with its audit event (ADR 7). Payment runs are in payments.service.ts.
 */

export interface RequestFields {
  amountPence: Pence
  purpose: string
  category: string
  expectedImpact: string
}

export type RequestRefusal = 'funding.changed-meanwhile' | 'funding.already-decided'

/** Requests funding for a target of a PEP, or changes its undecided request. */
export async function saveRequest(
  db: Database,
  actor: PersonActor,
  on: {
    childId: string
    authorityId: string
    pepId: string
    schoolId: string | null
    target: PepTarget
    existing: RequestRow | undefined
    seenVersion: number | undefined
  },
  fields: RequestFields,
): Promise<Result<string, RequestRefusal>> {
  return db.transaction().execute(async (trx) => {
    let requestId: string
    if (!on.existing) {
      const row = await insertRequest(trx, {
        authorityId: on.authorityId,
        childId: on.childId,
        pepId: on.pepId,
        targetId: on.target.id,
        targetText: on.target.target,
        area: on.target.area,
        schoolId: on.schoolId,
        ...fields,
        by: actor.userId,
        at: actor.now,
      })
      if (!row) return refuse('funding.changed-meanwhile')
      requestId = row.id
    } else {
      if (on.existing.decisionId) return refuse('funding.already-decided')
      const changed = await updateRequest(trx, on.existing.id, on.seenVersion ?? -1, {
        ...fields,
        targetText: on.target.target,
        by: actor.userId,
        at: actor.now,
      })
      if (!changed) return refuse('funding.changed-meanwhile')
      requestId = on.existing.id
    }
    await audit(trx, actor, {
      action: 'funding.request.save',
      childId: on.childId,
      authorityId: on.authorityId,
      details: {
        requestId,
        pepId: on.pepId,
        targetId: on.target.id,
        amountPence: fields.amountPence,
        category: fields.category,
        change: on.existing ? 'changed' : 'requested',
      },
    })
    return ok(requestId)
  })
}

export type DecideRefusal =
  DecisionRefusal | 'funding.changed-meanwhile' | 'funding.not-yet-with-virtual-school'

/** What the decision form says, as read (the rule checks it). */
export interface DecisionForm {
  /** The request's version the form was opened on (-1 if missing): a later change refuses it. */
  seenVersion: number
  outcome: unknown
  typedAmount: unknown
  reason: string
  overAllocationReason: string
}

/**
 * Decides on a request (or changes the decision: the earlier one stays in its history), for a
 * person acting (the Virtual School; a system has no one to decide). The rule is decide() in the
 * domain, answering codes (their words are in funding.messages.ts); the authority's settings say
 * whether a request can be decided before its PEP reaches the Virtual School; the child's other
 * approvals in the decision's financial year are summed inside the transaction, with the request
 * locked. One transaction, with its audit event.
 */
export async function decideRequest(
  db: Database,
  actor: Actor,
  request: RequestRow,
  form: DecisionForm,
): Promise<Result<{ decisionId: string; financialYear: FinancialYear }, DecideRefusal>> {
  const decidedBy = actor.userId
  if (decidedBy === null) throw new Error('A funding decision is made by a person')
  const { decideBeforeSubmission } = await loadFundingSettings(db, request.authorityId)
  if (request.pepStatus === 'in_progress' && !decideBeforeSubmission)
    return refuse('funding.not-yet-with-virtual-school')
  return db.transaction().execute(async (trx) => {
    const locked = await lockRequest(trx, request.id)
    if (!locked || locked.version !== form.seenVersion) return refuse('funding.changed-meanwhile')
    const financialYear = financialYearOf(actor.today)
    const budget = await findBudget(trx, request.authorityId, financialYear)
    const decision = decide({
      outcome: form.outcome,
      typedAmount: form.typedAmount,
      reason: form.reason,
      overAllocationReason: form.overAllocationReason,
      requestedPence: request.amountPence,
      requestedBy: request.requestedBy,
      decidedBy,
      deciderIsHead: actor.role === 'vs_head',
      allocationPence: budget?.allocationPerChildPence,
      otherApprovedPence: await approvedForChild(trx, request.childId, financialYear, request.id),
    })
    if (!decision.ok) return decision
    const d = decision.value
    const decisionId = await insertDecision(trx, {
      requestId: request.id,
      outcome: d.outcome,
      amountPence: d.amountPence,
      reason: d.reason,
      financialYear,
      decidedOn: actor.today,
      overAllocationReason: d.overAllocation?.reason ?? null,
      by: decidedBy,
      role: actor.role ?? 'unknown',
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'funding.decision',
      childId: request.childId,
      authorityId: request.authorityId,
      details: {
        requestId: request.id,
        decisionId,
        outcome: d.outcome,
        amountPence: d.amountPence,
        financialYear,
        overAllocation: d.overAllocation !== null,
        replaces: request.decisionId,
      },
    })
    return ok({ decisionId, financialYear })
  })
}

/** Sets the authority's budget for a financial year (audited with what it was before). */
export async function setBudget(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  budget: Budget,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await saveBudget(trx, authorityId, budget, actor.userId, actor.now)
    await audit(trx, actor, {
      action: 'funding.budget.update',
      authorityId,
      details: { financialYear: budget.financialYear, before: before ?? null, after: budget },
    })
  })
}

export async function setFundingSettings(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  settings: FundingSettings,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await saveFundingSettings(trx, authorityId, settings, actor.userId, actor.now)
    await audit(trx, actor, {
      action: 'funding.settings.update',
      authorityId,
      details: {
        categories: settings.categories.length,
        decideBeforeSubmission: settings.decideBeforeSubmission,
      },
    })
  })
}

/**
 * Records (or corrects) how a funded target turned out, at the next review. A correction keeps
 * the earlier record; a form opened before someone else's correction is refused, not saved over it.
 */
export async function saveImpact(
  db: Database,
  actor: PersonActor,
  request: RequestRow,
  pepId: string,
  impact: { outcome: ImpactOutcome; difference: string; fromVersion: number },
): Promise<Result<{ version: number }, 'funding.impact-changed'>> {
  return db.transaction().execute(async (trx) => {
    const recorded = await recordImpact(trx, {
      requestId: request.id,
      pepId,
      ...impact,
      by: actor.userId,
      at: actor.now,
    })
    if (recorded === 'changed') return refuse('funding.impact-changed')
    await audit(trx, actor, {
      action: 'funding.impact.record',
      childId: request.childId,
      authorityId: request.authorityId,
      details: {
        requestId: request.id,
        pepId,
        outcome: impact.outcome,
        version: recorded.version,
      },
    })
    return ok(recorded)
  })
}
