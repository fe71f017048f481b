import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import type { Database } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'

type Callback = (err?: unknown) => void
type GetCallback = (err: unknown, result?: Session | null) => void

/**
 * How often an unchanged session is written back just to keep it alive. Rolling sessions would
 * otherwise write (and commit) on every request; instead a session lives `idleMs` plus this
 * long from its last write, so it never ends sooner than `idleMs` after the last request.
 */
export const SESSION_TOUCH_MS = 60_000

/** What a session holds, without its cookie (whose expiry moves on every request). */
const contentOf = (session: Session) => JSON.stringify({ ...session, cookie: undefined })

/** Sessions live in the database so several app processes share them and a restart signs nobody out. */
export class PostgresSessionStore implements SessionStore {
  private readonly db: Database
  private readonly clock: Clock
  private readonly idleMs: number
  /** Per session read in this process: its content and when it was last written. */
  private readonly seen = new Map<string, { content: string; writtenAt: number }>()

  constructor(db: Database, clock: Clock, idleMs: number) {
    this.db = db
    this.clock = clock
    this.idleMs = idleMs
  }

  set(sid: string, session: Session, callback: Callback): void {
    const now = this.clock.now()
    const content = contentOf(session)
    const last = this.seen.get(sid)
    if (last && last.content === content && now.getTime() - last.writtenAt < SESSION_TOUCH_MS) {
      callback()
      return
    }
    const expiresAt = new Date(now.getTime() + this.idleMs + SESSION_TOUCH_MS)
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
      .then(() => {
        this.remember(sid, content, now.getTime())
        callback()
      }, callback)
  }

  get(sid: string, callback: GetCallback): void {
    this.db
      .selectFrom('web_session')
      .select(['data', 'updated_at'])
      .where('sid', '=', sid)
      .where('expires_at', '>', this.clock.now())
      .executeTakeFirst()
      .then((row) => {
        if (!row) {
          this.seen.delete(sid)
          return callback(null, null)
        }
        const session = row.data as Session
        this.remember(sid, contentOf(session), row.updated_at.getTime())
        callback(null, session)
      }, callback)
  }

  destroy(sid: string, callback: Callback): void {
    this.seen.delete(sid)
    this.db
      .deleteFrom('web_session')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback(), callback)
  }

  private remember(sid: string, content: string, writtenAt: number) {
    // A bounded memory: the oldest entries go first (a Map keeps insertion order).
    this.seen.delete(sid)
    this.seen.set(sid, { content, writtenAt })
    if (this.seen.size > 10_000) this.seen.delete(this.seen.keys().next().value!)
  }
}
