import { lookup as dnsLookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'

/*
 * Server-side request forgery (issue 22): a webhook is sent only to a public address on the
 * internet, never to this machine, the private networks around it (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local addresses (169.254/16, where cloud metadata services answer; fe80::/10),
 * carrier-grade NAT, multicast, or any other special range. ipaddr.js classifies the address (its
 * `range()` is 'unicast' only for an ordinary public one), after `process()` has turned an
 * IPv4-mapped IPv6 address (::ffff:10.0.0.5) back into the IPv4 one it stands for; IPv6 must also
 * be global unicast (2000::/3), so the deprecated IPv4-compatible form (::10.0.0.5) is refused.
 * The WHATWG URL parser has already turned decimal, octal and hex spellings of IPv4
 * (2130706433, 0x7f.1, 0177.0.0.1) into dotted decimal.
 *
 * The check runs when the address is registered (a host that is, or resolves to, such an address
 * is refused) and again at every send: the name is resolved once, every address it resolves to is
 * checked, and the connection is made to the checked address (the `lookup` given to the socket
 * answers with it), so a name that resolves somewhere else a moment later (DNS rebinding) is
 * never connected to there. HTTPS still checks the certificate against the name.
 *
 * `WEBHOOK_LOOPBACK_HTTP=allow` (tests and development only, off by default, ignored in
 * production) lets loopback addresses (127/8, ::1) through, and nothing else.
 */

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>

export const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }))

export interface AddressPolicy {
  /** Loopback addresses allowed (WEBHOOK_LOOPBACK_HTTP=allow; tests, development). */
  allowLoopback: boolean
  lookup?: HostLookup
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3')

export type AddressKind = 'public' | 'loopback' | 'not-public'

/** What an IP address is: an ordinary public one, this machine, or anything else. */
export function addressKind(address: string): AddressKind {
  if (!ipaddr.isValid(address)) return 'not-public'
  const ip = ipaddr.process(address)
  const range = ip.range()
  if (range === 'loopback') return 'loopback'
  if (range !== 'unicast') return 'not-public'
  if (ip.kind() === 'ipv6' && !ip.match(GLOBAL_UNICAST_V6)) return 'not-public'
  return 'public'
}

const allowed = (address: string, policy: AddressPolicy): boolean => {
  const kind = addressKind(address)
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback)
}

export type HostCheck =
  { ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: 'not-public' | 'not-found' }

/** Resolves a URL's host (a name, or an address as the URL parser wrote it) and checks each address. */
export async function checkHost(hostname: string, policy: AddressPolicy): Promise<HostCheck> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
  let addresses: ResolvedAddress[]
  const family = isIP(bare)
  if (family === 4 || family === 6) addresses = [{ address: bare, family }]
  // Always this machine (RFC 6761), whatever a resolver might say.
  else if (/(^|\.)localhost\.?$/i.test(bare)) addresses = [{ address: '127.0.0.1', family: 4 }]
  else {
    try {
      addresses = await (policy.lookup ?? systemLookup)(bare)
    } catch {
      return { ok: false, reason: 'not-found' }
    }
  }
  if (addresses.length === 0) return { ok: false, reason: 'not-found' }
  if (!addresses.every((a) => allowed(a.address, policy)))
    return { ok: false, reason: 'not-public' }
  return { ok: true, addresses }
}

export class WebhookAddressRefused extends Error {}

/**
 * POSTs `body` to `url`, connected to an address checked here and now; answers the status. No
 * redirect is followed (the URL registered is the one called). Throws on a refused address, a
 * failed connection, or no answer within `timeoutMs`.
 */
export async function postChecked(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  policy: AddressPolicy,
): Promise<number> {
  const target = new URL(url)
  const check = await checkHost(target.hostname, policy)
  if (!check.ok)
    throw new WebhookAddressRefused(
      check.reason === 'not-found'
        ? `No address found for ${target.hostname}`
        : `Refused: ${target.hostname} is not a public internet address`,
    )
  const pinned = check.addresses[0]!
  // The socket asks this instead of the resolver: it connects to the address just checked.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned])
    else callback(null, pinned.address, pinned.family)
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<number>((resolve, reject) => {
    const request = send(target, {
      method: 'POST',
      headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
      lookup,
      signal: AbortSignal.timeout(init.timeoutMs),
    })
    request.on('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.on('error', reject)
    request.end(init.body)
  })
}
