import { ok, refuse, type Result } from '../shared/result.ts'

/*
 * The pure rules of single sign-on (ADR 14): which issuer addresses a provider may have, which
 * email domains it may claim, and the domain of an address.
 */

export const MAX_DOMAINS = 20
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The domain of an email address, lower-cased, or undefined when it has none. */
export function emailDomain(email: string): string | undefined {
  const at = email.trim().lastIndexOf('@')
  if (at < 1) return undefined
  const domain = email
    .trim()
    .slice(at + 1)
    .toLowerCase()
  return domain === '' ? undefined : domain
}

export type IssuerCode = 'sso.issuer.missing' | 'sso.issuer.not-url' | 'sso.issuer.not-https'

/**
 * A provider's issuer: an https URL without query or fragment (http only on this machine, for a
 * provider running beside OpenPEP in development and tests). Returned without a trailing slash
 * added or removed: OpenID Connect compares the issuer exactly.
 */
export function checkIssuer(value: string): Result<string, IssuerCode> {
  const text = value.trim()
  if (text === '') return refuse('sso.issuer.missing')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return refuse('sso.issuer.not-url')
  }
  if (url.search || url.hash || url.username || url.password) return refuse('sso.issuer.not-url')
  if (url.protocol === 'https:') return ok(text)
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return ok(text)
  return refuse('sso.issuer.not-https')
}

/** True when the issuer is http on this machine (openid-client must be told to allow it). */
export const isLoopbackIssuer = (issuer: string) => new URL(issuer).protocol === 'http:'

export type DomainsCode = 'sso.domains.missing' | 'sso.domains.invalid' | 'sso.domains.too-many'

/**
 * The email domains a provider signs in, as typed (separated by commas, spaces or new lines):
 * lower-cased, each once, in the order given. Refused: none, more than 20, or one that is not a
 * domain name (`@example.org` is read as `example.org`).
 */
export function parseDomains(value: string): Result<string[], DomainsCode> {
  const parts = value
    .split(/[\s,;]+/)
    .map((part) => part.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, ''))
    .filter(Boolean)
  if (parts.length === 0) return refuse('sso.domains.missing')
  const domains = [...new Set(parts)]
  const bad = domains.find(
    (d) => d.length > 253 || d.split('.').length < 2 || !d.split('.').every((l) => LABEL.test(l)),
  )
  if (bad !== undefined) return refuse('sso.domains.invalid', { domain: bad.slice(0, 100) })
  if (domains.length > MAX_DOMAINS) return refuse('sso.domains.too-many', { max: MAX_DOMAINS })
  return ok(domains)
}
