import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import type { Database } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'

type Callback = (err?: unknown) => void
type GetCallback = (err: unknown, result?: Session | null) => void

/** Sessions live in the database so several app processes share them and a restart signs nobody out. */
export class PostgresSessionStore implements SessionStore {
  private readonly db: Database
  private readonly clock: Clock
  private readonly idleMs: number

  constructor(db: Database, clock: Clock, idleMs: number) {
    this.db = db
    this.clock = clock
    this.idleMs = idleMs
  }

  set(sid: string, session: Session, callback: Callback): void {
    const now = this.clock.now()
    const expiresAt = new Date(now.getTime() + this.idleMs)
    const data = JSON.stringify(session)
    this.db
      .insertInto('web_session')
      .values({
        sid,
        user_id: session.userId ?? null,
        data,
        expires_at: expiresAt,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('sid').doUpdateSet({
          user_id: session.userId ?? null,
          data,
          expires_at: expiresAt,
          updated_at: now,
        }),
      )
      .execute()
      .then(() => callback(), callback)
  }

  get(sid: string, callback: GetCallback): void {
    this.db
      .selectFrom('web_session')
      .select(['data'])
      .where('sid', '=', sid)
      .where('expires_at', '>', this.clock.now())
      .executeTakeFirst()
      .then((row) => callback(null, row ? (row.data as Session) : null), callback)
  }

  destroy(sid: string, callback: Callback): void {
    this.db
      .deleteFrom('web_session')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback(), callback)
  }
}
