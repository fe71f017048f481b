import type { EmailMessage } from './outbox.repository.ts'

/*
 * Plain, accessible emails: short paragraphs, one clear link written out in full, no images,
 * and never a child's name or any other personal data beyond the recipient's own name.
 */

interface EmailContent {
  to: string
  subject: string
  greeting: string
  paragraphs: string[]
  link?: { text: string; url: string }
  closing?: string[]
}

const escapeHtml = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')

const SIGN_OFF = 'OpenPEP, for your Virtual School'
const NOT_YOU = 'If you were not expecting this email, you can ignore it.'

export function composeEmail(content: EmailContent): EmailMessage {
  const closing = content.closing ?? [NOT_YOU]
  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.link ? [`${content.link.text}:`, content.link.url, ''] : []),
    ...closing.flatMap((p) => [p, '']),
    SIGN_OFF,
  ].join('\n')
  const para = (p: string) =>
    `<p style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.3;">${escapeHtml(p)}</p>`
  const html = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(content.subject),
    '</title></head><body>',
    para(content.greeting),
    ...content.paragraphs.map(para),
    content.link
      ? `<p style="font-family: Arial, sans-serif; font-size: 19px;"><a href="${escapeHtml(content.link.url)}">${escapeHtml(content.link.text)}</a></p>`
      : '',
    ...closing.map(para),
    para(SIGN_OFF),
    '</body></html>',
  ].join('')
  return { to: content.to, subject: content.subject, text, html }
}

export function invitationEmail(input: {
  to: string
  name: string
  invitedBy: string
  authorityName: string
  url: string
  expiresInDays: number
}): EmailMessage {
  return composeEmail({
    to: input.to,
    subject: 'You have been invited to OpenPEP',
    greeting: `Dear ${input.name},`,
    paragraphs: [
      `${input.invitedBy} at ${input.authorityName} has invited you to OpenPEP, where Personal Education Plans for children in care are written and reviewed.`,
      `To start, set your password. The link works once and for ${input.expiresInDays} days.`,
    ],
    link: { text: 'Set your password', url: input.url },
  })
}

/**
 * An invitation to join one more authority, for someone who already has an account: they
 * accept it signed in, on their account's invitations page (ADR 9).
 */
export function joinAuthorityEmail(input: {
  to: string
  name: string
  invitedBy: string
  authorityName: string
  roles: string[]
  url: string
}): EmailMessage {
  return composeEmail({
    to: input.to,
    subject: `You have been invited to join ${input.authorityName} on OpenPEP`,
    greeting: `Dear ${input.name},`,
    paragraphs: [
      `${input.invitedBy} at ${input.authorityName} has invited you to work in ${input.authorityName} on OpenPEP as ${input.roles.join(' and ')}.`,
      'Sign in to OpenPEP with your usual email address and password to accept or decline. Until you accept, nothing changes.',
    ],
    link: { text: 'See your invitations', url: input.url },
    closing: ['If you did not expect this, decline it, or ignore this email.'],
  })
}

export function passwordResetEmail(input: {
  to: string
  name: string
  url: string
  expiresInMinutes: number
}): EmailMessage {
  return composeEmail({
    to: input.to,
    subject: 'Reset your OpenPEP password',
    greeting: `Dear ${input.name},`,
    paragraphs: [
      'Someone asked to reset the password for your OpenPEP account.',
      `The link works once and for ${input.expiresInMinutes} minutes.`,
    ],
    link: { text: 'Reset your password', url: input.url },
    closing: [
      'If you did not ask for this, you can ignore this email: your password has not changed.',
    ],
  })
}

export function accountReminderEmail(input: {
  to: string
  name: string
  signInUrl: string
}): EmailMessage {
  return composeEmail({
    to: input.to,
    subject: 'Your OpenPEP account',
    greeting: `Dear ${input.name},`,
    paragraphs: [
      'Someone asked which email address you use to sign in to OpenPEP. It is this one.',
    ],
    link: { text: 'Sign in', url: input.signInUrl },
    closing: ['If you did not ask, you can ignore this email.'],
  })
}

/**
 * A carer who already has an account is given a child's PEPs (issue 20): the email names no
 * child, and asks them to sign in to see.
 */
export function carerAccessEmail(input: {
  to: string
  name: string
  invitedBy: string
  authorityName: string
  signInUrl: string
}): EmailMessage {
  return composeEmail({
    to: input.to,
    subject: 'You can see a child’s PEP in OpenPEP',
    greeting: `Dear ${input.name},`,
    paragraphs: [
      `${input.invitedBy} at ${input.authorityName} has given you access to the Personal Education Plan of a child in your care.`,
      'Sign in to OpenPEP with your usual email address and password to see it.',
    ],
    link: { text: 'Sign in', url: input.signInUrl },
  })
}
