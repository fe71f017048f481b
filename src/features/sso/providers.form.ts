import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { checkIssuer, parseDomains, MAX_DOMAINS } from '../../domain/single-sign-on.ts'

/* The provider form (name, issuer, client id and secret, domains) and the passwords switch. */

export interface ProviderTyped {
  name: string
  issuer: string
  clientId: string
  domains: string
}

export interface ProviderInput {
  name: string
  issuer: string
  clientId: string
  /** Blank when changing a provider: the stored secret is kept. */
  clientSecret: string
  domains: string[]
}

export type Read<T, V> = { ok: true; value: T } | { ok: false; values: V; errors: FormErrors }

/** A field as typed; a NUL character (which no name, id or secret holds) is taken out. */
const text = (value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '') : '')

export const PROVIDER_MESSAGES = {
  name: 'Enter the name people will see, like the council’s name',
  nameTooLong: 'The name must be 100 characters or fewer',
  'sso.issuer.missing': 'Enter the issuer URL',
  'sso.issuer.not-url': 'Enter the issuer as a URL, like https://login.example.org/tenant/v2.0',
  'sso.issuer.not-https': 'The issuer URL must start with https://',
  issuerTooLong: 'The issuer URL must be 500 characters or fewer',
  clientId: 'Enter the client ID',
  clientIdTooLong: 'The client ID must be 255 characters or fewer',
  clientSecret: 'Enter the client secret',
  clientSecretTooLong: 'The client secret must be 1,000 characters or fewer',
  'sso.domains.missing': 'Enter the email domains that sign in through this provider',
  'sso.domains.invalid': (domain: string) =>
    `Enter each email domain like example.org (“${domain}” is not one)`,
  'sso.domains.too-many': `Enter ${MAX_DOMAINS} email domains or fewer`,
  taken: (domains: string[]) =>
    `${domains.join(', ')} already ${domains.length === 1 ? 'signs' : 'sign'} in through another provider. Each domain can have one provider`,
} as const

/** Reads the provider form; the secret is required when adding, and kept as typed (never shown). */
export function readProviderForm(
  body: Record<string, unknown> | undefined,
  adding: boolean,
): Read<ProviderInput, ProviderTyped> {
  const values = {
    name: text(body?.name),
    issuer: text(body?.issuer),
    clientId: text(body?.clientId),
    domains: text(body?.domains),
  }
  const clientSecret = text(body?.clientSecret)
  const problems = new FormProblems()
  const name = values.name.trim()
  if (name === '') problems.add('name', PROVIDER_MESSAGES.name)
  else if (name.length > 100) problems.add('name', PROVIDER_MESSAGES.nameTooLong)
  const issuer = checkIssuer(values.issuer)
  if (!issuer.ok) problems.add('issuer', PROVIDER_MESSAGES[issuer.error.code])
  else if (issuer.value.length > 500) problems.add('issuer', PROVIDER_MESSAGES.issuerTooLong)
  const clientId = values.clientId.trim()
  if (clientId === '') problems.add('clientId', PROVIDER_MESSAGES.clientId)
  else if (clientId.length > 255) problems.add('clientId', PROVIDER_MESSAGES.clientIdTooLong)
  if (adding && clientSecret.trim() === '')
    problems.add('clientSecret', PROVIDER_MESSAGES.clientSecret)
  else if (clientSecret.length > 1000)
    problems.add('clientSecret', PROVIDER_MESSAGES.clientSecretTooLong)
  const domains = parseDomains(values.domains)
  if (!domains.ok) {
    const { code, params } = domains.error
    problems.add(
      'domains',
      code === 'sso.domains.invalid'
        ? PROVIDER_MESSAGES[code](String(params?.domain ?? ''))
        : PROVIDER_MESSAGES[code],
    )
  }
  if (problems.any || !issuer.ok || !domains.ok)
    return { ok: false, values, errors: problems.errors }
  return {
    ok: true,
    value: {
      name,
      issuer: issuer.value,
      clientId,
      clientSecret: clientSecret.trim(),
      domains: domains.value,
    },
  }
}

/** The error of a save refused because a domain has another provider. */
export function domainsTakenErrors(domains: string[]): FormErrors {
  const problems = new FormProblems()
  problems.add('domains', PROVIDER_MESSAGES.taken(domains))
  return problems.errors
}

/**
 * The sign-in switches, "yes" or "no" each: passwords beside single sign-on, and accounts made on
 * first sign-in (kept as it was when a form without it is sent).
 */
export function readPasswordsForm(
  body: Record<string, unknown> | undefined,
  accountsNow: boolean,
): Read<
  { passwordsAllowed: boolean; accountsOnFirstSignIn: boolean },
  { passwordsAllowed: string; accountsOnFirstSignIn: string }
> {
  const value = text(body?.passwordsAllowed)
  const accounts =
    body?.accountsOnFirstSignIn === undefined
      ? accountsNow
        ? 'yes'
        : 'no'
      : text(body.accountsOnFirstSignIn)
  const problems = new FormProblems()
  if (value !== 'yes' && value !== 'no')
    problems.add(
      'passwordsAllowed',
      'Select whether people in these domains may also sign in with a password',
    )
  if (accounts !== 'yes' && accounts !== 'no')
    problems.add(
      'accountsOnFirstSignIn',
      'Select whether people without an account are given one when they first sign in',
    )
  if (problems.any)
    return {
      ok: false,
      values: { passwordsAllowed: value, accountsOnFirstSignIn: accounts },
      errors: problems.errors,
    }
  return {
    ok: true,
    value: { passwordsAllowed: value === 'yes', accountsOnFirstSignIn: accounts === 'yes' },
  }
}
