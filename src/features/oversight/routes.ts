import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { annualReportRoutes } from './annual-report.routes.ts'
import { childrenListRoutes } from './children.routes.ts'
import { dashboardRoutes } from './dashboard.routes.ts'
import { missingDataRoutes } from './missing-data.routes.ts'

/** The Virtual School's oversight of its cohort (ADR 11): each group of pages. */
export const oversightRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  await app.register(dashboardRoutes, { db, clock })
  await app.register(childrenListRoutes, { db, clock, baseUrl })
  await app.register(annualReportRoutes, { db, clock })
  await app.register(missingDataRoutes, { db, clock, baseUrl })
}
