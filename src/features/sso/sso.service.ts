import type { Database } from '../../db/connection.ts'
import { emailDomain } from '../../domain/single-sign-on.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import type { MfaKeyring } from '../../shared/secrets.ts'
import { client, providerConfiguration } from './oidc.client.ts'
import { audit, type Actor } from '../../shared/actor.ts'
import { isUuid } from '../../domain/ids.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Role } from '../../domain/roles.ts'
import {
  accountsOnFirstSignIn,
  anyAccountWithEmail,
  insertSsoAccount,
  findMemberByEmail,
  authorityName,
  findProvider,
  findProviderByDomain,
  passwordsAllowed,
  type ProviderRow,
} from './sso.repository.ts'

/*
 * Signing in through an authority's OpenID Connect provider (ADR 14): authorisation code with
 * PKCE, state and nonce, the answer checked by openid-client (issuer, audience, signature,
 * expiry, nonce), then the person matched by their verified address within the provider's
 * authority. Nobody is created by signing in, unless the authority says so (then a person
 * unknown to OpenPEP, vouched for with a verified address in the provider's domains, is given an
 * account with the least-privileged role and no child: `createOnFirstSignIn`).
 */

/**
 * The role of an account made on first sign-in: an independent reviewing officer reads only the
 * PEPs of the children on their list, and a new account is on none, so it sees nothing until a
 * Virtual School administrator gives it its real role and children.
 */
export const FIRST_SIGN_IN_ROLE: Role = 'iro'

/** How long a person may take at their provider before the answer is refused. */
export const PENDING_SSO_MS = 10 * 60_000

/** What the session keeps between sending a person to their provider and their return. */
export interface PendingSso {
  providerId: string
  state: string
  nonce: string
  codeVerifier: string
  since: number
  returnTo: string
}

/** Where an address signs in: its domain's provider and whether a password may be used instead. */
export async function singleSignOnFor(
  db: Database,
  email: string,
): Promise<
  { provider: ProviderRow; authorityName: string; passwordsAllowed: boolean } | undefined
> {
  const domain = emailDomain(email)
  // Only something that could be a domain is looked up (never a NUL or a 100,000-character one).
  if (!domain || domain.length > 253 || !/^[a-z0-9.-]+$/.test(domain)) return undefined
  const provider = await findProviderByDomain(db, domain)
  if (!provider) return undefined
  return {
    provider,
    authorityName: await authorityName(db, provider.authorityId),
    passwordsAllowed: await passwordsAllowed(db, provider.authorityId),
  }
}

export { findProvider }

/** The provider an id names, and its authority's name, as the sign-in pages show them. */
export async function findSignInProvider(
  db: Database,
  providerId: string,
): Promise<{ provider: ProviderRow; authorityName: string } | undefined> {
  if (!isUuid(providerId)) return undefined
  const provider = await findProvider(db, providerId)
  if (!provider) return undefined
  return { provider, authorityName: await authorityName(db, provider.authorityId) }
}

/** The provider's authorisation URL, and what the session must keep to check the answer. */
export async function beginSignIn(
  provider: ProviderRow,
  input: { keyring: MfaKeyring; redirectUri: string; returnTo: string; now: Date },
): Promise<{ url: URL; pending: PendingSso }> {
  const config = await providerConfiguration(provider, input.keyring)
  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  })
  return {
    url,
    pending: {
      providerId: provider.id,
      state,
      nonce,
      codeVerifier,
      since: input.now.getTime(),
      returnTo: input.returnTo,
    },
  }
}

export type SsoRefusal =
  /** No sign-in under way in this session, or it took too long, or its answer was used already. */
  | 'sso.state.missing'
  | 'sso.state.expired'
  /** The provider said no, or its answer failed a check (state, audience, signature, nonce). */
  | 'sso.provider.refused'
  | 'sso.provider.not-found'
  | 'sso.email.missing'
  | 'sso.email.unverified'
  /** The provider vouched for an address outside its own domains. */
  | 'sso.email.other-domain'
  /** No active account with this address holds a role in the provider's authority. */
  | 'sso.person.unknown'

export interface SsoSignIn {
  /** The account was made by this sign-in (the authority allows it). */
  created: boolean
  userId: string
  providerId: string
  authorityId: string
  amr: string[] | null
  acr: string | null
}

/**
 * The provider's answer, checked (below); a refusal is audited with its code, in the provider's
 * authority when the pending sign-in named one. The person is not signed in yet: the actor is
 * the one signing in, with no role.
 */
export async function finishSignIn(
  db: Database,
  actor: Actor,
  input: { pending: PendingSso | undefined; currentUrl: URL; keyring: MfaKeyring },
): Promise<Result<SsoSignIn, SsoRefusal>> {
  const result = await checkProviderAnswer(db, { ...input, now: actor.now })
  if (!result.ok) {
    const providerId = input.pending?.providerId
    const provider = providerId && isUuid(providerId) ? await findProvider(db, providerId) : null
    await audit(db, actor, {
      action: 'sign-in.sso-failure',
      outcome: 'failure',
      authorityId: provider?.authorityId ?? null,
      details: { code: result.error.code, ...result.error.params },
    })
  }
  return result
}

/**
 * Checks the provider's answer (the callback URL as received) against what the session kept,
 * exchanges the code (with the PKCE verifier) and finds the person. The pending sign-in must be
 * taken out of the session before calling this, so an answer is used once.
 */
async function checkProviderAnswer(
  db: Database,
  input: {
    pending: PendingSso | undefined
    currentUrl: URL
    now: Date
    keyring: MfaKeyring
  },
): Promise<Result<SsoSignIn, SsoRefusal>> {
  const { pending } = input
  if (!pending) return refuse('sso.state.missing')
  if (input.now.getTime() - pending.since >= PENDING_SSO_MS)
    return refuse('sso.state.expired', { providerId: pending.providerId })
  const provider = await findProvider(db, pending.providerId)
  if (!provider) return refuse('sso.provider.not-found')
  const params = { providerId: provider.id }
  let claims: Record<string, unknown>
  try {
    const config = await providerConfiguration(provider, input.keyring)
    const tokens = await client.authorizationCodeGrant(config, input.currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    })
    const idToken = tokens.claims()
    if (!idToken) return refuse('sso.provider.refused', { ...params, reason: 'no-id-token' })
    claims = { ...idToken }
    // Providers that keep the address out of the ID token give it at the userinfo endpoint.
    if (
      (claims.email === undefined || claims.email_verified === undefined) &&
      tokens.access_token
    ) {
      const userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
      claims = {
        ...userInfo,
        ...idToken,
        email: userInfo.email ?? idToken.email,
        email_verified: userInfo.email_verified ?? idToken.email_verified,
      }
    }
  } catch (error) {
    return refuse('sso.provider.refused', { ...params, reason: reasonOf(error) })
  }
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : ''
  if (!email) return refuse('sso.email.missing', params)
  if (claims.email_verified !== true) return refuse('sso.email.unverified', params)
  const domain = emailDomain(email)
  if (!domain || !provider.domains.includes(domain)) return refuse('sso.email.other-domain', params)
  let person = await findMemberByEmail(db, provider.authorityId, email)
  let created = false
  if (!person) {
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email
    const id = await createOnFirstSignIn(db, { provider, email, name, now: input.now })
    if (!id) return refuse('sso.person.unknown', params)
    person = { id }
    created = true
  }
  return ok({
    created,
    userId: person.id,
    providerId: provider.id,
    authorityId: provider.authorityId,
    amr: Array.isArray(claims.amr)
      ? claims.amr.filter((a): a is string => typeof a === 'string')
      : null,
    acr: typeof claims.acr === 'string' ? claims.acr : null,
  })
}

/**
 * Makes an account for a person unknown to OpenPEP, when the provider's authority allows it: no
 * account at all may have the address (an inactive one, or one of another authority, is never
 * taken over), and the account gets FIRST_SIGN_IN_ROLE in that authority and no child. Audited as
 * OpenPEP's own act, in the same transaction. Answers the new id, or undefined when not allowed.
 */
async function createOnFirstSignIn(
  db: Database,
  input: { provider: ProviderRow; email: string; name: string; now: Date },
): Promise<string | undefined> {
  const { provider, now } = input
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await accountsOnFirstSignIn(trx, provider.authorityId))) return undefined
      if (await anyAccountWithEmail(trx, input.email)) return undefined
      const userId = await insertSsoAccount(trx, {
        email: input.email,
        displayName: input.name.slice(0, 200),
        authorityId: provider.authorityId,
        role: FIRST_SIGN_IN_ROLE,
        now,
      })
      await audit(
        trx,
        { userId: null, role: 'system', now, today: londonDate(now) },
        {
          action: 'account.created-on-sign-in',
          authorityId: provider.authorityId,
          subjectUserId: userId,
          details: { providerId: provider.id, role: FIRST_SIGN_IN_ROLE },
        },
      )
      return userId
    })
  } catch {
    // The same address made by a sign-in a moment ago (the address is unique): not this one.
    return undefined
  }
}

/** A short, stable name for why openid-client or the provider refused (for the audit trail). */
function reasonOf(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError) return `provider:${error.error}`
  if (error instanceof client.ResponseBodyError) return `provider:${error.error}`
  const code = (error as { code?: unknown })?.code
  const message = error instanceof Error ? error.message : String(error)
  // oauth4webapi names the claim that failed its check (aud, iss, nonce, exp, ...), a cause or
  // two down the chain openid-client wraps it in.
  let claim: unknown
  for (let e = error as { cause?: unknown; claim?: unknown } | undefined, i = 0; e && i < 4; i++) {
    claim ??= e.claim
    e = e.cause as typeof e
  }
  const what = typeof claim === 'string' ? ` (${claim})` : ''
  return `${typeof code === 'string' ? code : 'error'}: ${message}${what}`.slice(0, 200)
}

/** The provider's sign-out address, when it has one (RP-initiated logout). */
export async function providerSignOutUrl(
  provider: ProviderRow,
  input: { keyring: MfaKeyring; postLogoutRedirectUri: string; idTokenHint?: string },
): Promise<URL | undefined> {
  try {
    const config = await providerConfiguration(provider, input.keyring)
    if (!config.serverMetadata().end_session_endpoint) return undefined
    return client.buildEndSessionUrl(config, {
      client_id: provider.clientId,
      post_logout_redirect_uri: input.postLogoutRedirectUri,
      ...(input.idTokenHint ? { id_token_hint: input.idTokenHint } : {}),
    })
  } catch {
    return undefined
  }
}
