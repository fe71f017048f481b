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

/**
 * The events a client's webhook can be sent, the scope each needs (it carries that data's ids),
 * and its words. A payload holds ids only: the client reads the details through the API.
 */
export const WEBHOOK_EVENTS = {
  'pep.signed-off': { scope: 'peps:read', name: 'A PEP was signed off' },
  'pep.overdue': {
    scope: 'peps:read',
    name: 'A PEP is overdue (the school’s sections were not sent by their due date)',
  },
  'child.changed': {
    scope: 'children:read',
    name: 'A child’s school, placement or social worker changed, or they left care',
  },
  'child.attendance-below-threshold': {
    scope: 'children:read',
    name: 'A child’s attendance in a period was below the authority’s threshold',
  },
} as const satisfies Record<string, { scope: ApiScope; name: string }>

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS

export const isWebhookEvent = (value: string): value is WebhookEvent => value in WEBHOOK_EVENTS

/** The events a client with these scopes may be sent. */
export const webhookEventsFor = (scopes: readonly string[]): WebhookEvent[] =>
  (Object.keys(WEBHOOK_EVENTS) as WebhookEvent[]).filter((e) =>
    scopes.includes(WEBHOOK_EVENTS[e].scope),
  )
