import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { decorateFundingAuthority } from './authority-context.ts'
import { decorateFundingRequest } from './request-context.ts'
import { decorateBudgetYear } from './budget-context.ts'
import { decoratePaymentRun } from './run-context.ts'
import { budgetsRoutes } from './budgets.routes.ts'
import { impactRoutes } from './impact.routes.ts'
import { overviewRoutes } from './overview.routes.ts'
import { paymentsRoutes } from './payments.routes.ts'
import { childFundingRoutes } from './child.routes.ts'
import { requestFormRoutes } from './request-form.routes.ts'
import { requestRoutes } from './request.routes.ts'
import { runDiscardRoutes } from './run-discard.routes.ts'

/** Pupil Premium Plus (issue 18): its page groups. */
export const fundingRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  options,
) => {
  decorateFundingAuthority(app)
  decorateFundingRequest(app)
  decoratePaymentRun(app)
  decorateBudgetYear(app)
  await app.register(childFundingRoutes, options)
  await app.register(requestFormRoutes, options)
  await app.register(requestRoutes, options)
  await app.register(overviewRoutes, options)
  await app.register(budgetsRoutes, options)
  await app.register(paymentsRoutes, options)
  await app.register(runDiscardRoutes, options)
  await app.register(impactRoutes, options)
}
