import { WEBHOOK_EVENTS, isWebhookEvent, type WebhookEvent } from '../../domain/api-scopes.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { checkHost, type AddressPolicy } from './webhook.client.ts'

/* The form that registers a webhook: an address and the events, of those the client may be sent. */

export const WEBHOOK_URL_MAX = 2000
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

export const NOT_PUBLIC =
  'Enter a public internet address: OpenPEP does not send events to private, local or internal network addresses'

/** HTTPS only; plain HTTP to this machine when the configuration allows it (tests, development). */
export function webhookUrlProblem(value: string, loopbackHttp: boolean): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'Enter the address in full, like https://mosaic.example.gov.uk/openpep/events'
  }
  if (url.username || url.password) return 'The address must not hold a user name or password'
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:' && loopbackHttp && LOOPBACK.has(url.hostname)) return undefined
  return 'The address must start with https://'
}

/**
 * The host must not be, or resolve to, an address that is not public (webhook.client.ts); a name
 * that resolves to nothing yet is accepted, and checked again at every send.
 */
export async function webhookHostProblem(
  value: string,
  policy: AddressPolicy,
): Promise<string | undefined> {
  const check = await checkHost(new URL(value).hostname, policy)
  return !check.ok && check.reason === 'not-public' ? NOT_PUBLIC : undefined
}

export async function readWebhookForm(
  body: Record<string, unknown> | undefined,
  allowed: readonly WebhookEvent[],
  policy: AddressPolicy,
): Promise<
  | { ok: true; value: { url: string; events: WebhookEvent[] } }
  | { ok: false; typed: { url: string; events: string[] }; errors: FormErrors }
> {
  const url = typeof body?.url === 'string' ? body.url.trim() : ''
  const given = body?.events
  const events = (Array.isArray(given) ? given : [given]).filter(
    (s): s is string => typeof s === 'string',
  )
  const problems = new FormProblems()
  if (!url) problems.add('url', 'Enter the address OpenPEP sends the events to')
  else if ([...url].length > WEBHOOK_URL_MAX)
    problems.add('url', `The address must be ${WEBHOOK_URL_MAX} characters or fewer`)
  else {
    const problem =
      webhookUrlProblem(url, policy.allowLoopback) ?? (await webhookHostProblem(url, policy))
    if (problem) problems.add('url', problem)
  }
  const chosen = events.filter((e): e is WebhookEvent => isWebhookEvent(e) && allowed.includes(e))
  if (chosen.length === 0 || chosen.length !== events.length)
    problems.add('events', 'Select the events to send')
  if (problems.any) return { ok: false, typed: { url, events }, errors: problems.errors }
  const ordered = (Object.keys(WEBHOOK_EVENTS) as WebhookEvent[]).filter((e) => chosen.includes(e))
  return { ok: true, value: { url, events: ordered } }
}
