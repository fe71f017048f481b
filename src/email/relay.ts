import type { Transporter } from 'nodemailer'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'
import { claimDueEmails, markFailed, markSent } from './outbox.repository.ts'

export interface RelayOptions {
  db: Database
  clock: Clock
  log: FastifyBaseLogger
  /** An SMTP URL; without one, mail is "sent" to the development mailbox only. */
  smtpUrl: string | undefined
  from: string
  /** The service's address (BASE_URL): its host names each email's Message-ID. */
  baseUrl: string
  batchSize?: number
  maxAttempts?: number
}

/** How long a claimed email is held by one sender before another may retry it. */
const LEASE_MS = 60_000
const BASE_DELAY_MS = 30_000
const MAX_DELAY_MS = 60 * 60_000

/** Exponential back-off: 30 s, 1 min, 2 min ... capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1))
}

/** nodemailer is loaded with the first email, not at start (it takes a while to load). */
export async function createTransport(smtpUrl: string | undefined): Promise<Transporter> {
  const { default: nodemailer } = await import('nodemailer')
  return smtpUrl
    ? nodemailer.createTransport(smtpUrl)
    : nodemailer.createTransport({ jsonTransport: true })
}

/**
 * The Message-ID of an outbox email: fixed by its row, so every attempt to send it carries the
 * same one, and a copy sent again after an outage (sent, but not marked sent) is recognisable as
 * the same message by the people and mail systems that receive it.
 */
export function messageIdFor(emailId: string, baseUrl: string): string {
  return `<outbox.${emailId}@${new URL(baseUrl).hostname}>`
}

/**
 * Sends what is due in the outbox. Each email is claimed before it is sent and marked sent
 * after, so a crash between the two sends it again at most once more after the lease ends;
 * it is never lost. Delivery is at least once, not exactly once: a repeat keeps its Message-ID.
 */
export class OutboxRelay {
  private readonly options: RelayOptions
  private transport: Promise<Transporter> | undefined
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number> | undefined

  constructor(options: RelayOptions) {
    this.options = options
  }

  /** Sends every email due now; returns how many were sent. Safe to call concurrently. */
  async sendDue(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async drain(): Promise<number> {
    const { db, clock, log, from } = this.options
    const batchSize = this.options.batchSize ?? 20
    const maxAttempts = this.options.maxAttempts ?? 12
    let sent = 0
    for (;;) {
      const batch = await claimDueEmails(db, clock.now(), LEASE_MS, batchSize)
      if (batch.length > 0) this.transport ??= createTransport(this.options.smtpUrl)
      for (const email of batch) {
        try {
          await (
            await this.transport!
          ).sendMail({
            from,
            to: email.to_address,
            subject: email.subject,
            text: email.text_body,
            html: email.html_body ?? undefined,
            attachments: email.attachments.map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              content: a.content,
            })),
            messageId: messageIdFor(email.id, this.options.baseUrl),
            headers: { 'X-OpenPEP-Email-Id': email.id },
          })
          await markSent(db, email.id, clock.now())
          sent++
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err)
          const retryAt =
            email.attempts >= maxAttempts
              ? null
              : new Date(clock.now().getTime() + retryDelayMs(email.attempts))
          log.warn(
            { emailId: email.id, attempts: email.attempts, err: message },
            'email not sent; will retry',
          )
          await markFailed(db, email.id, message, retryAt)
        }
      }
      if (batch.length < batchSize) return sent
    }
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.sendDue()
        .catch((err: unknown) => this.options.log.error({ err }, 'outbox relay failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs)
        })
    }
    this.timer = setTimeout(tick, intervalMs)
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.running
    if (this.transport) (await this.transport).close()
  }
}
