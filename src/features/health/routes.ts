import type { FastifyPluginAsync } from 'fastify'
import { sql } from 'kysely'
import type { Database } from '../../db/connection.ts'

/** For load balancers and monitoring: 200 while the database answers, 503 while it does not. */
export const healthRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/health',
    { config: { access: { public: true }, audit: 'none' }, logLevel: 'warn' },
    async (request, reply) => {
      try {
        await sql`select 1`.execute(db)
        return reply.send({ status: 'ok', database: 'up' })
      } catch (err) {
        request.log.error({ err }, 'database health check failed')
        return reply.code(503).send({ status: 'error', database: 'down' })
      }
    },
  )
}
