import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { youngPersonHomeRoutes } from './home.routes.ts'
import { voiceRoutes } from './voice.routes.ts'
import { myPepRoutes } from './my-pep.routes.ts'

/**
 * The young person's own part (issue 20; house style: its own layout, navigation and plain
 * words in one place). Every route is theirs alone (`young-person.own`) and a child route, so the
 * access plugin proves the child is the one linked to their account (ADR 10) and audits it.
 */
export const youngPersonRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  await app.register(youngPersonHomeRoutes, { db, clock })
  await app.register(voiceRoutes, { db, clock, baseUrl })
  await app.register(myPepRoutes, { db, clock })
}
