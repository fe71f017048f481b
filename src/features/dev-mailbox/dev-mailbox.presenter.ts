import type { OutboxEmail } from '../../db/schema.ts'

/* The development mailbox's pages: their titles come from here (ADR 7). */

export const MAILBOX_TITLE = 'Development mailbox'

/** The mailbox's list of recent emails, everyone's or the reader's own. */
export const presentMailbox = <Email>(emails: readonly Email[], everyone: boolean) => ({
  pageTitle: MAILBOX_TITLE,
  emails,
  everyone,
})

/** One email, titled with its subject. */
export const presentEmail = (email: OutboxEmail) => ({ pageTitle: email.subject, email })
