import fp from 'fastify-plugin'
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'
import { paths } from '../paths.ts'

/*
 * Nothing typed is lost when a session ends (issue 15, WCAG 2.2.5 "Re-authenticating"). A form
 * sent after the session has ended (idle for 30 minutes, or ended elsewhere) would be refused:
 * instead, on the pages that can show it again, what was sent is kept for a day and the person is
 * asked to sign in; the page they sent it to then shows it again, filled in, with a notice to check
 * it and save again. Nothing is saved for them unseen.
 *
 * What was sent is sealed (AES-256-GCM) under a key derived from a random one-time token that only
 * the browser holds, in an HttpOnly cookie; the database holds the token's hash, never the token,
 * so neither a copy of the database nor a log can read it. It is shown once, then deleted. When
 * the ended session's user is known, only they get it back.
 */

declare module 'fastify' {
  interface FastifyReply {
    /**
     * For a form sent without a live session (or with a stale form token): keeps what was sent
     * and sends the person to sign in (or straight back, if signed in). False if this route's
     * forms are not kept (nothing was done).
     */
    keepUnsavedForm(): Promise<boolean>
    /** What this user sent to this page after being signed out, if anything: once, then gone. */
    takeUnsavedForm(): Promise<Record<string, unknown> | undefined>
  }
}

export const UNSAVED_COOKIE = 'openpep.unsaved'
/** How long a kept form waits to be shown again. */
export const UNSAVED_FORM_MS = 24 * 60 * 60_000
/** The routes whose pages show a kept form again (each reads it with takeUnsavedForm). */
export const RESTORABLE_ROUTES = new Set([
  paths.peps.page(':childId', ':pepId', ':pageId'),
  // Every other form that holds typed text, its page at the address it is sent to.
  paths.children.notes(':childId'),
  paths.peps.start(':childId'),
  paths.peps.meetingRecord(':childId', ':pepId'),
  paths.peps.action(':childId', ':pepId', ':transition'),
  // The young person's own words, a question a page (issue 20).
  paths.youngPerson.viewsStep(':childId', ':pepId', ':stepId'),
])

const SESSION_COOKIE = 'openpep.sid'

export interface UnsavedFormsOptions {
  db: Database
  clock: Clock
  secureCookies: boolean
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')
const keyOf = (token: string) =>
  Buffer.from(hkdfSync('sha256', token, '', 'openpep unsaved form', 32))

export function seal(token: string, path: string, body: Record<string, unknown>): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyOf(token), iv)
  cipher.setAAD(Buffer.from(path))
  const data = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.')
}

export function unseal(token: string, path: string, sealed: string): Record<string, unknown> {
  const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'))
  const decipher = createDecipheriv('aes-256-gcm', keyOf(token), iv!)
  decipher.setAAD(Buffer.from(path))
  decipher.setAuthTag(tag!)
  const text = Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8')
  return JSON.parse(text) as Record<string, unknown>
}

/** The user of the session the browser's cookie names, even if it has ended (only to bind to). */
async function userOfEndedSession(db: Database, request: FastifyRequest) {
  const cookie = request.cookies?.[SESSION_COOKIE]
  if (!cookie) return null
  const sid = cookie.slice(0, cookie.lastIndexOf('.'))
  if (!sid) return null
  const row = await db
    .selectFrom('web_session')
    .select('user_id')
    .where('sid', '=', sid)
    .executeTakeFirst()
  return row?.user_id ?? null
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/'
}

export const unsavedFormsPlugin = fp<UnsavedFormsOptions>(
  async (app, { db, clock, secureCookies }) => {
    app.decorateReply('keepUnsavedForm', async function (this: FastifyReply) {
      const request = this.request
      const body = request.body
      if (
        request.method !== 'POST' ||
        !RESTORABLE_ROUTES.has(request.routeOptions.url ?? '') ||
        !body ||
        typeof body !== 'object' ||
        Array.isArray(body)
      )
        return false
      const sent = Object.fromEntries(
        Object.entries(body as Record<string, unknown>).filter(([name]) => name !== '_csrf'),
      )
      const path = pathOf(request)
      const now = clock.now()
      const token = randomBytes(32).toString('base64url')
      const userId = request.session?.userId ?? (await userOfEndedSession(db, request))
      await db.deleteFrom('unsaved_form').where('expires_at', '<=', now).execute()
      await db
        .insertInto('unsaved_form')
        .values({
          token_hash: hashOf(token),
          user_id: userId,
          path,
          sealed: seal(token, path, sent),
          created_at: now,
          expires_at: new Date(now.getTime() + UNSAVED_FORM_MS),
        })
        .execute()
      await request.audit({
        action: 'form.kept-after-sign-out',
        outcome: 'success',
        userId,
        details: { path },
      })
      this.setCookie(UNSAVED_COOKIE, token, {
        path: '/',
        httpOnly: true,
        secure: secureCookies,
        sameSite: 'lax',
        maxAge: UNSAVED_FORM_MS / 1000,
      })
      const signedIn = Boolean(request.session?.userId)
      await this.redirect(
        signedIn ? path : `${paths.signIn()}?returnTo=${encodeURIComponent(path)}&notice=unsaved`,
        303,
      )
      return true
    })

    app.decorateReply('takeUnsavedForm', async function (this: FastifyReply) {
      const request = this.request
      const token = request.cookies?.[UNSAVED_COOKIE]
      const user = request.user
      if (!token || !user) return undefined
      const path = pathOf(request)
      const row = await db
        .selectFrom('unsaved_form')
        .select(['user_id', 'sealed'])
        .where('token_hash', '=', hashOf(token))
        .where('path', '=', path)
        .where('expires_at', '>', clock.now())
        .executeTakeFirst()
      if (!row || (row.user_id !== null && row.user_id !== user.id)) return undefined
      let sent: Record<string, unknown>
      try {
        sent = unseal(token, path, row.sealed)
      } catch {
        return undefined
      }
      await db.deleteFrom('unsaved_form').where('token_hash', '=', hashOf(token)).execute()
      this.clearCookie(UNSAVED_COOKIE, { path: '/' })
      await request.audit({ action: 'form.restored', outcome: 'success', details: { path } })
      return sent
    })
  },
)
