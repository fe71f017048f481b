import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { FormErrors } from '../../forms/validation.ts'
import type { RequestFacts } from './account.service.ts'
import {
  CURRENT_PASSWORD_MISSING,
  EMAIL_FORMAT,
  MAX_REMINDER_ADDRESSES,
  reminderProblemText,
} from './account.presenter.ts'

/* Reading the account forms: the email address of a forgotten password, the addresses of a
 * forgotten email, and GOV.UK errors for the password fields. */

export const emailSchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(z.email({ error: EMAIL_FORMAT })),
})

const emailLine = z.email()

/** A form's text field as typed, or empty. */
export const typedText = (body: Record<string, unknown> | undefined, name: string): string =>
  typeof body?.[name] === 'string' ? body[name] : ''

/** The current password of the change-password form, or the error of its absence. */
export function readCurrentPassword(body: Record<string, unknown> | undefined) {
  const current = typedText(body, 'currentPassword')
  return { current, error: current ? undefined : CURRENT_PASSWORD_MISSING }
}

/** The addresses typed for a forgotten email, one a line, or what is wrong with them. */
export function readReminderEmails(body: Record<string, unknown> | undefined) {
  const typed = typedText(body, 'emails')
  const lines = typed
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  const problem =
    lines.length === 0
      ? reminderProblemText('none')
      : lines.length > MAX_REMINDER_ADDRESSES
        ? reminderProblemText('too-many')
        : lines.some((line) => line.length > 254 || !emailLine.safeParse(line).success)
          ? reminderProblemText('format')
          : null
  return { typed, lines, problem }
}

/** The one-field error of the forgotten-email form. */
export const emailsError = (problem: string): FormErrors => ({
  list: [{ text: problem, href: '#emails' }],
  fields: { emails: { text: problem } },
})

export function passwordErrors(fields: Record<string, string | undefined>): FormErrors {
  const errors: FormErrors = { list: [], fields: {} }
  for (const [name, text] of Object.entries(fields)) {
    if (!text) continue
    errors.fields[name] = { text }
    errors.list.push({ text, href: `#${name}` })
  }
  return errors
}

/** What the account's audit events record of the request. */
export function requestFacts(request: FastifyRequest): RequestFacts {
  return {
    method: request.method,
    path: request.url.split('/').slice(0, 3).join('/'),
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  }
}
