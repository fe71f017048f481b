import { sql } from 'kysely'
import type { Database } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'

type Result = { current: number; ttl: number }
type Callback = (error: Error | null, result?: Result) => void

/**
 * A store for @fastify/rate-limit that keeps the counts in PostgreSQL, so the limit holds across
 * every app process rather than per process. One upsert per attempt: a fixed window per key.
 */
export function postgresRateLimitStore(db: Database, clock: Clock) {
  return class PostgresRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = clock.now()
      const windowEnds = new Date(now.getTime() + timeWindow)
      db.insertInto('rate_limit_counter')
        .values({ key, count: 1, window_ends_at: windowEnds })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when rate_limit_counter.window_ends_at <= ${now} then 1 else rate_limit_counter.count + 1 end`,
            window_ends_at: sql<Date>`case when rate_limit_counter.window_ends_at <= ${now} then ${windowEnds} else rate_limit_counter.window_ends_at end`,
          }),
        )
        .returning(['count', 'window_ends_at'])
        .executeTakeFirstOrThrow()
        .then(
          (row) =>
            callback(null, {
              current: row.count,
              ttl: Math.max(0, new Date(row.window_ends_at).getTime() - now.getTime()),
            }),
          (error: Error) => callback(error),
        )
    }

    read(key: string, callback: Callback): void {
      const now = clock.now()
      db.selectFrom('rate_limit_counter')
        .select(['count', 'window_ends_at'])
        .where('key', '=', key)
        .where('window_ends_at', '>', now)
        .executeTakeFirst()
        .then(
          (row) =>
            callback(
              null,
              row
                ? {
                    current: row.count,
                    ttl: new Date(row.window_ends_at).getTime() - now.getTime(),
                  }
                : { current: 0, ttl: 0 },
            ),
          (error: Error) => callback(error),
        )
    }

    child(): PostgresRateLimitStore {
      return new PostgresRateLimitStore()
    }
  }
}
