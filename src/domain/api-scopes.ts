/*
 * What an API client may do (issue 22): each client is registered with some of these scopes, and
 * each API operation needs one. Names are OAuth-style `resource:verb` strings, stable for machines.
 */

export const API_SCOPES = {
  'children:read': 'Read children',
  'children:write': 'Write children (create or update, and record changes)',
  'peps:read': 'Read PEPs and their states',
  'pdfs:read': 'Read signed-off PEP PDFs',
} as const

export type ApiScope = keyof typeof API_SCOPES

export const isApiScope = (value: string): value is ApiScope => value in API_SCOPES

/** The events a client's webhook can be sent, and the scope each needs (it carries that data). */
export const WEBHOOK_EVENTS = {
  'pep.signed-off': 'peps:read',
  'pep.overdue': 'peps:read',
  'child.attendance-below-threshold': 'children:read',
} as const satisfies Record<string, ApiScope>

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS
