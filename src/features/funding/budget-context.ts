import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parseFinancialYear, type FinancialYear } from '../../domain/funding.ts'

/*
 * What a year's budget page loads from its URL (issue 18), after the authority it works in
 * (authority-context.ts): the financial year `:year` names (`2026-27`); anything else is 404.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** On a year's budget page (`:year`): the financial year the URL names. */
    budgetYear: FinancialYear | null
  }
}

/** Lets the budget routes carry the year their URL names (once, where they are registered). */
export function decorateBudgetYear(app: FastifyInstance): void {
  app.decorateRequest('budgetYear', null)
}

/** The pre-handler of a year's budget page: the year the URL names, or 404. */
export async function loadBudgetYear(request: FastifyRequest, reply: FastifyReply) {
  const year = parseFinancialYear((request.params as { year: string }).year)
  if (year === undefined) return reply.notFound()
  request.budgetYear = year
}

/** The year the pre-handler loaded. */
export const budgetYearOf = (request: FastifyRequest): FinancialYear => request.budgetYear!
