import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { FundingOutcome } from '../../db/schema.ts'
import { DEFAULT_FUNDING_CATEGORIES, type FinancialYear } from '../../domain/funding.ts'
import type { Pence } from '../../domain/money.ts'

/*
 * The queries and writes of Pupil Premium Plus' tables (ADR 7: no transactions, audit or rules
 * here). Every figure is summed from the lines in SQL as integers.
 */

export interface FundingSettings {
  categories: string[]
  decideBeforeSubmission: boolean
}

export async function loadFundingSettings(
  db: Queryable,
  authorityId: string,
): Promise<FundingSettings> {
  const row = await db
    .selectFrom('funding_setting')
    .select(['categories', 'decide_before_submission'])
    .where('authority_id', '=', authorityId)
    .executeTakeFirst()
  return {
    categories: row?.categories ?? [...DEFAULT_FUNDING_CATEGORIES],
    decideBeforeSubmission: row?.decide_before_submission ?? false,
  }
}

export async function saveFundingSettings(
  db: Queryable,
  authorityId: string,
  settings: FundingSettings,
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    categories: JSON.stringify(settings.categories),
    decide_before_submission: settings.decideBeforeSubmission,
    updated_by: by,
    updated_at: at,
  }
  await db
    .insertInto('funding_setting')
    .values({ authority_id: authorityId, ...values })
    .onConflict((oc) => oc.column('authority_id').doUpdateSet(values))
    .execute()
}

export interface Budget {
  financialYear: FinancialYear
  allocationPerChildPence: Pence
  devolvedPerTermPence: Pence
  centralPence: Pence
  grantReceivedPence: Pence
}

/** A budget's columns, as a `Budget`. */
const BUDGET_COLUMNS = [
  'financial_year as financialYear',
  'allocation_per_child_pence as allocationPerChildPence',
  'devolved_per_term_pence as devolvedPerTermPence',
  'central_pence as centralPence',
  'grant_received_pence as grantReceivedPence',
] as const

export async function findBudget(
  db: Queryable,
  authorityId: string,
  year: FinancialYear,
): Promise<Budget | undefined> {
  return db
    .selectFrom('funding_budget')
    .select(BUDGET_COLUMNS)
    .where('authority_id', '=', authorityId)
    .where('financial_year', '=', year)
    .executeTakeFirst()
}

export async function listBudgets(db: Queryable, authorityId: string): Promise<Budget[]> {
  return db
    .selectFrom('funding_budget')
    .select(BUDGET_COLUMNS)
    .where('authority_id', '=', authorityId)
    .orderBy('financial_year', 'desc')
    .execute()
}

export async function saveBudget(
  db: Queryable,
  authorityId: string,
  budget: Budget,
  by: string,
  at: Date,
): Promise<Budget | undefined> {
  const before = await findBudget(db, authorityId, budget.financialYear)
  const values = {
    allocation_per_child_pence: budget.allocationPerChildPence,
    devolved_per_term_pence: budget.devolvedPerTermPence,
    central_pence: budget.centralPence,
    grant_received_pence: budget.grantReceivedPence,
    updated_by: by,
    updated_at: at,
  }
  await db
    .insertInto('funding_budget')
    .values({ authority_id: authorityId, financial_year: budget.financialYear, ...values })
    .onConflict((oc) => oc.columns(['authority_id', 'financial_year']).doUpdateSet(values))
    .execute()
  return before
}

/** A SMART target of a PEP, as its page holds it. */
export interface PepTarget {
  id: string
  area: string | null
  target: string
  amount: string | null
  purpose: string | null
}

export async function targetsOfPep(db: Queryable, pepId: string): Promise<PepTarget[]> {
  const page = await db
    .selectFrom('pep_page')
    .select('answers')
    .where('pep_id', '=', pepId)
    .where('page_id', '=', 'smart-targets')
    .executeTakeFirst()
  const items = page?.answers.targets
  if (!Array.isArray(items)) return []
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null)
  return items
    .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null)
    .filter((i) => typeof i.id === 'string')
    .map((i) => ({
      id: i.id as string,
      area: text(i.area),
      target: text(i.target) ?? '',
      amount: text(i['funding-amount']),
      purpose: text(i['funding-purpose']),
    }))
}

export interface RequestRow {
  id: string
  authorityId: string
  childId: string
  pepId: string
  targetId: string
  targetText: string
  area: string | null
  schoolId: string | null
  schoolName: string | null
  amountPence: Pence
  purpose: string
  category: string
  expectedImpact: string
  requestedBy: string
  requestedByName: string
  requestedAt: Date
  version: number
  pepStatus: string
  pepAcademicYear: number
  pepTerm: string
  /** The current decision, if any. */
  decisionId: string | null
  outcome: FundingOutcome | null
  approvedPence: Pence
  decisionReason: string | null
  decidedOn: string | null
  financialYear: FinancialYear | null
  overAllocationReason: string | null
  decidedByName: string | null
  /** Every line (payments and corrections) in a paid run. */
  paidPence: Pence
  /** Payment lines in any run. */
  paymentsPence: Pence
  impactOutcome: string | null
  impactDifference: string | null
  impactVersion: number | null
}

const money = (column: string) => sql<number>`coalesce(${sql.raw(column)}, 0)::int`

function requestQuery(db: Queryable) {
  return db
    .selectFrom('funding_request as r')
    .innerJoin('pep', 'pep.id', 'r.pep_id')
    .innerJoin('app_user as requester', 'requester.id', 'r.requested_by')
    .leftJoin('school', 'school.id', 'r.school_id')
    .leftJoin('funding_decision as d', (j) =>
      j.onRef('d.request_id', '=', 'r.id').on('d.is_current', '=', true),
    )
    .leftJoin('app_user as decider', 'decider.id', 'd.decided_by')
    .leftJoin('funding_impact as impact', 'impact.request_id', 'r.id')
    .select([
      'r.id',
      'r.authority_id as authorityId',
      'r.child_id as childId',
      'r.pep_id as pepId',
      'r.target_id as targetId',
      'r.target_text as targetText',
      'r.area',
      'r.school_id as schoolId',
      'school.name as schoolName',
      'r.amount_pence as amountPence',
      'r.purpose',
      'r.category',
      'r.expected_impact as expectedImpact',
      'r.requested_by as requestedBy',
      'requester.display_name as requestedByName',
      'r.requested_at as requestedAt',
      'r.version',
      'pep.status as pepStatus',
      'pep.academic_year as pepAcademicYear',
      'pep.term as pepTerm',
      'd.id as decisionId',
      'd.outcome',
      'd.reason as decisionReason',
      'd.decided_on as decidedOn',
      'd.financial_year as financialYear',
      'd.over_allocation_reason as overAllocationReason',
      'decider.display_name as decidedByName',
      'impact.outcome as impactOutcome',
      'impact.difference as impactDifference',
      'impact.version as impactVersion',
    ])
    .select([
      money('d.amount_pence').as('approvedPence'),
      sql<number>`(select coalesce(sum(l.amount_pence), 0)::int from payment_line l
        join payment_run pr on pr.id = l.run_id
        where l.request_id = r.id and pr.status = 'paid')`.as('paidPence'),
      sql<number>`(select coalesce(sum(l.amount_pence), 0)::int from payment_line l
        where l.request_id = r.id and l.kind = 'payment' and not l.discarded)`.as('paymentsPence'),
    ])
}

export async function findRequest(
  db: Queryable,
  childId: string,
  requestId: string,
): Promise<RequestRow | undefined> {
  return requestQuery(db)
    .where('r.id', '=', requestId)
    .where('r.child_id', '=', childId)
    .executeTakeFirst()
}

export async function findRequestForTarget(
  db: Queryable,
  pepId: string,
  targetId: string,
): Promise<RequestRow | undefined> {
  return requestQuery(db)
    .where('r.pep_id', '=', pepId)
    .where('r.target_id', '=', targetId)
    .executeTakeFirst()
}

export async function requestsOfChild(db: Queryable, childId: string): Promise<RequestRow[]> {
  return requestQuery(db)
    .where('r.child_id', '=', childId)
    .orderBy('r.requested_at', 'desc')
    .execute()
}

export async function requestsOfPep(db: Queryable, pepId: string): Promise<RequestRow[]> {
  return requestQuery(db).where('r.pep_id', '=', pepId).orderBy('r.requested_at').execute()
}

/**
 * The requests of an authority waiting for a decision (none of its decisions current), once their
 * PEP reached the Virtual School, or all: the one rule the list to decide and the overview's count
 * both read.
 */
export function awaitingDecisionQuery(
  db: Queryable,
  authorityId: string,
  includeBeforeSubmission: boolean,
) {
  const query = db
    .selectFrom('funding_request as r')
    .innerJoin('pep', 'pep.id', 'r.pep_id')
    .where('r.authority_id', '=', authorityId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('funding_decision as d')
            .select('d.id')
            .whereRef('d.request_id', '=', 'r.id')
            .where('d.is_current', '=', true),
        ),
      ),
    )
  return includeBeforeSubmission ? query : query.where('pep.status', '<>', 'in_progress')
}

/** Requests waiting for a decision in an authority: once their PEP reached the Virtual School, or all. */
export async function requestsAwaitingDecision(
  db: Queryable,
  authorityId: string,
  includeBeforeSubmission: boolean,
  limit = 500,
) {
  return awaitingDecisionQuery(db, authorityId, includeBeforeSubmission)
    .innerJoin('child', 'child.id', 'r.child_id')
    .leftJoin('school', 'school.id', 'r.school_id')
    .select([
      'r.id',
      'r.child_id as childId',
      'child.first_name as firstName',
      'child.last_name as lastName',
      'child.case_reference as caseReference',
      'school.name as schoolName',
      'r.amount_pence as amountPence',
      'r.category',
      'r.purpose',
      'r.requested_at as requestedAt',
      'pep.status as pepStatus',
    ])
    .orderBy('r.requested_at')
    .limit(limit)
    .execute()
}

export interface NewRequest {
  authorityId: string
  childId: string
  pepId: string
  targetId: string
  targetText: string
  area: string | null
  schoolId: string | null
  amountPence: Pence
  purpose: string
  category: string
  expectedImpact: string
  by: string
  at: Date
}

/** A new request with its first revision; undefined if the target has one already (a race). */
export async function insertRequest(db: Queryable, r: NewRequest) {
  const row = await db
    .insertInto('funding_request')
    .values({
      authority_id: r.authorityId,
      child_id: r.childId,
      pep_id: r.pepId,
      target_id: r.targetId,
      target_text: r.targetText,
      area: r.area,
      school_id: r.schoolId,
      amount_pence: r.amountPence,
      purpose: r.purpose,
      category: r.category,
      expected_impact: r.expectedImpact,
      requested_by: r.by,
      requested_at: r.at,
    })
    .onConflict((oc) => oc.columns(['pep_id', 'target_id']).doNothing())
    .returning(['id', 'version'])
    .executeTakeFirst()
  if (row) await insertRevision(db, row.id, row.version, r)
  return row
}

async function insertRevision(
  db: Queryable,
  requestId: string,
  version: number,
  r: Pick<NewRequest, 'amountPence' | 'purpose' | 'category' | 'expectedImpact' | 'by' | 'at'>,
) {
  await db
    .insertInto('funding_request_revision')
    .values({
      request_id: requestId,
      version,
      amount_pence: r.amountPence,
      purpose: r.purpose,
      category: r.category,
      expected_impact: r.expectedImpact,
      saved_by: r.by,
      saved_at: r.at,
    })
    .execute()
}

/** Changes an undecided request seen at `seenVersion`; false if it changed or was decided meanwhile. */
export async function updateRequest(
  db: Queryable,
  requestId: string,
  seenVersion: number,
  r: Pick<
    NewRequest,
    'amountPence' | 'purpose' | 'category' | 'expectedImpact' | 'targetText' | 'by' | 'at'
  >,
): Promise<boolean> {
  const row = await db
    .updateTable('funding_request')
    .set({
      amount_pence: r.amountPence,
      purpose: r.purpose,
      category: r.category,
      expected_impact: r.expectedImpact,
      target_text: r.targetText,
      version: seenVersion + 1,
    })
    .where('id', '=', requestId)
    .where('version', '=', seenVersion)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('funding_decision')
            .select('id')
            .whereRef('request_id', '=', 'funding_request.id')
            .where('is_current', '=', true),
        ),
      ),
    )
    .returning('id')
    .executeTakeFirst()
  if (!row) return false
  await insertRevision(db, requestId, seenVersion + 1, r)
  return true
}

export async function revisionsOf(db: Queryable, requestId: string) {
  return db
    .selectFrom('funding_request_revision as v')
    .innerJoin('app_user', 'app_user.id', 'v.saved_by')
    .select([
      'v.version',
      'v.amount_pence as amountPence',
      'v.purpose',
      'v.category',
      'v.expected_impact as expectedImpact',
      'app_user.display_name as byName',
      'v.saved_at as at',
    ])
    .where('v.request_id', '=', requestId)
    .orderBy('v.version', 'desc')
    .execute()
}

export async function decisionsOf(db: Queryable, requestId: string) {
  return db
    .selectFrom('funding_decision as d')
    .innerJoin('app_user', 'app_user.id', 'd.decided_by')
    .select([
      'd.id',
      'd.outcome',
      'd.amount_pence as amountPence',
      'd.reason',
      'd.financial_year as financialYear',
      'd.decided_on as decidedOn',
      'd.over_allocation_reason as overAllocationReason',
      'd.is_current as isCurrent',
      'd.decided_role as role',
      'app_user.display_name as byName',
      'd.decided_at as at',
    ])
    .where('d.request_id', '=', requestId)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id')
    .execute()
}

/** What the child's other requests have approved in a financial year (current decisions). */
export async function approvedForChild(
  db: Queryable,
  childId: string,
  year: FinancialYear,
  exceptRequestId: string,
): Promise<Pence> {
  const row = await db
    .selectFrom('funding_decision as d')
    .innerJoin('funding_request as r', 'r.id', 'd.request_id')
    .select(sql<number>`coalesce(sum(d.amount_pence), 0)::bigint`.as('total'))
    .where('r.child_id', '=', childId)
    .where('r.id', '<>', exceptRequestId)
    .where('d.is_current', '=', true)
    .where('d.financial_year', '=', year)
    .executeTakeFirstOrThrow()
  return Number(row.total)
}

/** Locks the request (deciding and changing it take turns) and checks the version seen. */
export async function lockRequest(db: Queryable, requestId: string) {
  return db
    .selectFrom('funding_request')
    .select(['id', 'version'])
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst()
}

export async function insertDecision(
  db: Queryable,
  d: {
    requestId: string
    outcome: FundingOutcome
    amountPence: Pence
    reason: string
    financialYear: FinancialYear
    decidedOn: string
    overAllocationReason: string | null
    by: string
    role: string
    at: Date
  },
): Promise<string> {
  await db
    .updateTable('funding_decision')
    .set({ is_current: false })
    .where('request_id', '=', d.requestId)
    .where('is_current', '=', true)
    .execute()
  const row = await db
    .insertInto('funding_decision')
    .values({
      request_id: d.requestId,
      outcome: d.outcome,
      amount_pence: d.amountPence,
      reason: d.reason,
      financial_year: d.financialYear,
      decided_on: d.decidedOn,
      over_allocation_reason: d.overAllocationReason,
      is_current: true,
      decided_by: d.by,
      decided_role: d.role,
      decided_at: d.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .updateTable('funding_request')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', d.requestId)
    .execute()
  return row.id
}

/** A child's money per financial year: approved and paid, from the lines. */
export async function childYears(db: Queryable, childId: string) {
  const rows = await db
    .selectFrom('funding_decision as d')
    .innerJoin('funding_request as r', 'r.id', 'd.request_id')
    .select([
      'd.financial_year as financialYear',
      sql<number>`coalesce(sum(d.amount_pence), 0)::bigint`.as('approvedPence'),
      sql<number>`coalesce(sum((select coalesce(sum(l.amount_pence), 0) from payment_line l
        join payment_run pr on pr.id = l.run_id
        where l.request_id = r.id and pr.status = 'paid')), 0)::bigint`.as('paidPence'),
    ])
    .where('r.child_id', '=', childId)
    .where('d.is_current', '=', true)
    .groupBy('d.financial_year')
    .orderBy('d.financial_year', 'desc')
    .execute()
  return rows.map((r) => ({
    financialYear: r.financialYear,
    approvedPence: Number(r.approvedPence),
    paidPence: Number(r.paidPence),
  }))
}

export async function recordImpact(
  db: Queryable,
  i: {
    requestId: string
    pepId: string
    outcome: 'achieved' | 'partly_achieved' | 'not_achieved' | 'continuing'
    difference: string
    /** The version the form was opened on (0: none recorded yet). */
    fromVersion: number
    by: string
    at: Date
  },
): Promise<{ version: number } | 'changed'> {
  const current = await db
    .selectFrom('funding_impact')
    .select('version')
    .where('request_id', '=', i.requestId)
    .forUpdate()
    .executeTakeFirst()
  if ((current?.version ?? 0) !== i.fromVersion) return 'changed'
  const version = i.fromVersion + 1
  const values = {
    pep_id: i.pepId,
    outcome: i.outcome,
    difference: i.difference,
    recorded_by: i.by,
    recorded_at: i.at,
    version,
  }
  await db
    .insertInto('funding_impact')
    .values({ request_id: i.requestId, ...values })
    .onConflict((oc) => oc.column('request_id').doUpdateSet(values))
    .execute()
  await db
    .insertInto('funding_impact_revision')
    .values({ request_id: i.requestId, ...values })
    .execute()
  return { version }
}

/** The earlier records of a request's impact, newest first (not the current one). */
export async function earlierImpacts(db: Queryable, requestId: string) {
  return db
    .selectFrom('funding_impact_revision as r')
    .innerJoin('funding_impact as i', 'i.request_id', 'r.request_id')
    .leftJoin('app_user as u', 'u.id', 'r.recorded_by')
    .select([
      'r.version',
      'r.outcome',
      'r.difference',
      'r.recorded_at as recordedAt',
      'u.display_name as recordedBy',
    ])
    .where('r.request_id', '=', requestId)
    .whereRef('r.version', '<', 'i.version')
    .orderBy('r.version', 'desc')
    .execute()
}

/** Funded requests of the child's earlier PEPs (an earlier term, or earlier in this one): those this PEP reviews. */
export async function fundedBefore(db: Queryable, childId: string, pepId: string) {
  const pep = await db
    .selectFrom('pep')
    .select(['academic_year', 'term', 'created_at'])
    .where('id', '=', pepId)
    .executeTakeFirstOrThrow()
  const order = (year: number, term: string) =>
    year * 3 + (term === 'autumn' ? 0 : term === 'spring' ? 1 : 2)
  const here = order(pep.academic_year, pep.term)
  const termOrder = sql<number>`pep.academic_year * 3 + case pep.term when 'autumn' then 0 when 'spring' then 1 else 2 end`
  return requestQuery(db)
    .where('r.child_id', '=', childId)
    .where('r.pep_id', '<>', pepId)
    .where((eb) =>
      eb.or([
        eb(termOrder, '<', here),
        eb.and([eb(termOrder, '=', here), eb('pep.created_at', '<', pep.created_at)]),
      ]),
    )
    .where('d.outcome', 'in', ['approved', 'part_approved'])
    .orderBy('r.requested_at')
    .execute()
}
