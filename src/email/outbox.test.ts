import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import pino from 'pino'
import type { DatabaseHandle } from '../db/connection.ts'
import { fixedClock } from '../domain/clock.ts'
import { createTestDatabase } from '../testing/database.ts'
import { startSmtpServer } from '../testing/smtp.ts'
import { enqueueEmail } from './outbox.repository.ts'
import { OutboxRelay, messageIdFor, retryDelayMs } from './relay.ts'
import { meetingCalendar } from './meeting-invitation.ts'

let database: DatabaseHandle
let smtp: Awaited<ReturnType<typeof startSmtpServer>>
const clock = fixedClock('2026-11-23T09:00:00Z')
const log = pino({ level: 'silent' })

beforeAll(async () => {
  database = await createTestDatabase()
  smtp = await startSmtpServer()
})
afterAll(async () => {
  await smtp.close()
  await database.close()
})
beforeEach(async () => {
  await database.db.deleteFrom('outbox_email').execute()
  smtp.received.length = 0
  smtp.refuse(false)
  smtp.loseReplies(false)
})

function relay(options: { smtp: boolean } = { smtp: true }) {
  return new OutboxRelay({
    db: database.db,
    clock,
    log,
    smtpUrl: options.smtp ? smtp.url : undefined,
    from: 'OpenPEP <no-reply@example.org>',
    baseUrl: 'https://pep.example.org',
  })
}

function messageIdOf(raw: string): string | undefined {
  return /^Message-ID: (.+)$/im.exec(raw)?.[1]?.trim()
}

describe('the outbox', () => {
  it('sends an email written in a committed transaction, once, through real SMTP', async () => {
    await database.db.transaction().execute((trx) =>
      enqueueEmail(
        trx,
        {
          to: 'teacher@example.org',
          subject: 'A PEP has been delegated to you',
          text: 'Sign in to see it: café ✓ 😀',
        },
        clock.now(),
      ),
    )
    const sender = relay()
    expect(await sender.sendDue()).toBe(1)
    expect(await sender.sendDue()).toBe(0)
    await sender.stop()
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]!.to).toEqual(['teacher@example.org'])
    expect(smtp.received[0]!.raw).toContain('Subject: A PEP has been delegated to you')
    const row = await database.db.selectFrom('outbox_email').selectAll().executeTakeFirstOrThrow()
    expect(row.status).toBe('sent')
    expect(row.attempts).toBe(1)
  })

  it('delivers a meeting invitation with its calendar file as a text/calendar part', async () => {
    const calendar = meetingCalendar({
      pepId: '6f1c2d3e-0000-4000-8000-000000000002',
      sequence: 0,
      date: '2026-12-02',
      time: '14:30',
      location: 'Kingsmead Academy',
      url: 'http://localhost:3000/',
      organiser: { name: 'Jordan Social', email: 'jordan@example.org' },
      now: clock.now(),
    })
    await enqueueEmail(
      database.db,
      { to: 'head@example.org', subject: 'Invitation', text: 'Hello', attachments: [calendar] },
      clock.now(),
    )
    const sender = relay()
    expect(await sender.sendDue()).toBe(1)
    await sender.stop()
    const raw = smtp.received[0]!.raw.replace(/=\r\n/g, '')
    expect(raw).toContain('Content-Type: text/calendar; charset=utf-8; method=REQUEST')
    expect(raw).toContain('filename=pep-meeting.ics')
  })

  it('sends nothing when the change that caused the email rolls back', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueEmail(
          trx,
          { to: 'teacher@example.org', subject: 'Never', text: 'Never' },
          clock.now(),
        )
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    const sender = relay()
    expect(await sender.sendDue()).toBe(0)
    await sender.stop()
    expect(smtp.received).toHaveLength(0)
  })

  it('keeps email through an SMTP outage and sends each exactly once when it returns', async () => {
    for (const n of [1, 2, 3]) {
      await enqueueEmail(
        database.db,
        {
          to: `person${n}@example.org`,
          subject: `Reminder ${n}`,
          text: 'Your PEP meeting is today',
        },
        clock.now(),
      )
    }
    smtp.refuse(true)
    const sender = relay()
    expect(await sender.sendDue()).toBe(0)
    const waiting = await database.db.selectFrom('outbox_email').selectAll().execute()
    expect(waiting.every((e) => e.status === 'pending' && e.attempts === 1 && e.last_error)).toBe(
      true,
    )

    // Not due yet: the back-off holds them.
    expect(await sender.sendDue()).toBe(0)
    smtp.refuse(false)
    expect(await sender.sendDue()).toBe(0)

    clock.advance(retryDelayMs(1))
    expect(await sender.sendDue()).toBe(3)
    clock.advance(retryDelayMs(10))
    expect(await sender.sendDue()).toBe(0)
    await sender.stop()
    expect(smtp.received.map((e) => e.to[0]).sort()).toEqual([
      'person1@example.org',
      'person2@example.org',
      'person3@example.org',
    ])
  })

  it('gives each email a Message-ID from its outbox row and BASE_URL’s host, the same on every attempt', async () => {
    const id = await enqueueEmail(
      database.db,
      { to: 'carer@example.org', subject: 'PEP meeting', text: 'Tuesday at 2pm' },
      clock.now(),
    )
    expect(messageIdFor(id, 'https://pep.example.org/')).toBe(`<outbox.${id}@pep.example.org>`)
    // The server takes the message, but the reply is lost: the relay cannot know it was delivered.
    smtp.loseReplies(true)
    const sender = relay()
    expect(await sender.sendDue()).toBe(0)
    smtp.loseReplies(false)
    clock.advance(retryDelayMs(1))
    expect(await sender.sendDue()).toBe(1)
    await sender.stop()
    // At least once: the recipient has it twice, recognisably the same message.
    expect(smtp.received).toHaveLength(2)
    const [first, repeat] = smtp.received.map((e) => messageIdOf(e.raw))
    expect(first).toBe(`<outbox.${id}@pep.example.org>`)
    expect(repeat).toBe(first)

    // Another email has another Message-ID.
    const other = await enqueueEmail(
      database.db,
      { to: 'carer@example.org', subject: 'PEP meeting moved', text: 'Wednesday' },
      clock.now(),
    )
    const again = relay()
    expect(await again.sendDue()).toBe(1)
    await again.stop()
    expect(messageIdOf(smtp.received[2]!.raw)).toBe(`<outbox.${other}@pep.example.org>`)
  })

  it('without SMTP, marks email delivered to the development mailbox', async () => {
    await enqueueEmail(
      database.db,
      { to: 'someone@example.org', subject: 'Set your password', text: 'Follow the link' },
      clock.now(),
    )
    const sender = relay({ smtp: false })
    expect(await sender.sendDue()).toBe(1)
    await sender.stop()
    expect(smtp.received).toHaveLength(0)
  })

  it('never lets two relays send the same email', async () => {
    for (let n = 0; n < 30; n++) {
      await enqueueEmail(
        database.db,
        { to: `p${n}@example.org`, subject: `Email ${n}`, text: 'x' },
        clock.now(),
      )
    }
    const a = relay()
    const b = relay()
    const [sentA, sentB] = await Promise.all([a.sendDue(), b.sendDue()])
    await Promise.all([a.stop(), b.stop()])
    expect(sentA + sentB).toBe(30)
    expect(new Set(smtp.received.map((e) => e.to[0])).size).toBe(30)
    expect(smtp.received).toHaveLength(30)
  })
})

describe('retryDelayMs', () => {
  it('backs off exponentially from 30 seconds to at most an hour', () => {
    expect(retryDelayMs(1)).toBe(30_000)
    expect(retryDelayMs(2)).toBe(60_000)
    expect(retryDelayMs(3)).toBe(120_000)
    expect(retryDelayMs(20)).toBe(3_600_000)
  })
})
