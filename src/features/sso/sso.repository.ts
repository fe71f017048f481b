import type { Queryable } from '../../db/connection.ts'

/* The queries and writes of single sign-on's tables (ADR 14): no transactions, no audit, no rules. */

export interface ProviderRow {
  id: string
  authorityId: string
  name: string
  issuer: string
  clientId: string
  clientSecretSealed: string
  updatedAt: Date
  domains: string[]
}

const PROVIDER_COLUMNS = [
  'oidc_provider.id',
  'oidc_provider.authority_id',
  'oidc_provider.name',
  'oidc_provider.issuer',
  'oidc_provider.client_id',
  'oidc_provider.client_secret_sealed',
  'oidc_provider.updated_at',
] as const

async function withDomains(
  db: Queryable,
  rows: {
    id: string
    authority_id: string
    name: string
    issuer: string
    client_id: string
    client_secret_sealed: string
    updated_at: Date
  }[],
): Promise<ProviderRow[]> {
  if (rows.length === 0) return []
  const domains = await db
    .selectFrom('oidc_provider_domain')
    .select(['provider_id', 'domain'])
    .where(
      'provider_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('domain')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    authorityId: r.authority_id,
    name: r.name,
    issuer: r.issuer,
    clientId: r.client_id,
    clientSecretSealed: r.client_secret_sealed,
    updatedAt: r.updated_at,
    domains: domains.filter((d) => d.provider_id === r.id).map((d) => d.domain),
  }))
}

/** An authority's providers, by name (then id, so ties keep one order). */
export async function listProviders(db: Queryable, authorityId: string): Promise<ProviderRow[]> {
  const rows = await db
    .selectFrom('oidc_provider')
    .select(PROVIDER_COLUMNS)
    .where('authority_id', '=', authorityId)
    .orderBy('name')
    .orderBy('id')
    .execute()
  return withDomains(db, rows)
}

export async function findProvider(
  db: Queryable,
  providerId: string,
): Promise<ProviderRow | undefined> {
  const rows = await db
    .selectFrom('oidc_provider')
    .select(PROVIDER_COLUMNS)
    .where('id', '=', providerId)
    .execute()
  return (await withDomains(db, rows))[0]
}

/** The name of the authority a provider signs people in for. */
export async function authorityName(db: Queryable, authorityId: string): Promise<string> {
  const authority = await db
    .selectFrom('authority')
    .select('name')
    .where('id', '=', authorityId)
    .executeTakeFirstOrThrow()
  return authority.name
}

/** The provider an email domain signs in through, if any. */
export async function findProviderByDomain(
  db: Queryable,
  domain: string,
): Promise<ProviderRow | undefined> {
  const rows = await db
    .selectFrom('oidc_provider_domain')
    .innerJoin('oidc_provider', 'oidc_provider.id', 'oidc_provider_domain.provider_id')
    .select(PROVIDER_COLUMNS)
    .where('oidc_provider_domain.domain', '=', domain)
    .execute()
  return (await withDomains(db, rows))[0]
}

/** Which of these domains another provider already has (any authority's). */
export async function domainsTakenElsewhere(
  db: Queryable,
  domains: string[],
  providerId: string | null,
): Promise<string[]> {
  if (domains.length === 0) return []
  let query = db.selectFrom('oidc_provider_domain').select('domain').where('domain', 'in', domains)
  if (providerId) query = query.where('provider_id', '<>', providerId)
  return (await query.orderBy('domain').execute()).map((r) => r.domain)
}

export interface ProviderValues {
  authorityId: string
  name: string
  issuer: string
  clientId: string
  domains: string[]
}

export async function insertProvider(
  db: Queryable,
  values: ProviderValues & { id: string; clientSecretSealed: string; now: Date; by: string | null },
): Promise<void> {
  await db
    .insertInto('oidc_provider')
    .values({
      id: values.id,
      authority_id: values.authorityId,
      name: values.name,
      issuer: values.issuer,
      client_id: values.clientId,
      client_secret_sealed: values.clientSecretSealed,
      created_at: values.now,
      updated_at: values.now,
      updated_by: values.by,
    })
    .execute()
  await replaceDomains(db, values.id, values.domains)
}

export async function updateProvider(
  db: Queryable,
  providerId: string,
  values: Omit<ProviderValues, 'authorityId'> & {
    clientSecretSealed?: string
    now: Date
    by: string | null
  },
): Promise<void> {
  await db
    .updateTable('oidc_provider')
    .set({
      name: values.name,
      issuer: values.issuer,
      client_id: values.clientId,
      ...(values.clientSecretSealed ? { client_secret_sealed: values.clientSecretSealed } : {}),
      updated_at: values.now,
      updated_by: values.by,
    })
    .where('id', '=', providerId)
    .execute()
  await replaceDomains(db, providerId, values.domains)
}

async function replaceDomains(db: Queryable, providerId: string, domains: string[]) {
  await db.deleteFrom('oidc_provider_domain').where('provider_id', '=', providerId).execute()
  if (domains.length > 0)
    await db
      .insertInto('oidc_provider_domain')
      .values(domains.map((domain) => ({ domain, provider_id: providerId })))
      .execute()
}

export async function deleteProvider(db: Queryable, providerId: string): Promise<void> {
  await db.deleteFrom('oidc_provider').where('id', '=', providerId).execute()
}

/** Whether the people of the authority's single sign-on domains may still use a password. */
export async function passwordsAllowed(db: Queryable, authorityId: string): Promise<boolean> {
  const row = await db
    .selectFrom('authority_sign_in')
    .select('passwords_allowed')
    .where('authority_id', '=', authorityId)
    .executeTakeFirst()
  return row?.passwords_allowed ?? true
}

/** Whether people unknown to OpenPEP are created on first sign-in (migration 2201; off). */
export async function accountsOnFirstSignIn(db: Queryable, authorityId: string): Promise<boolean> {
  const row = await db
    .selectFrom('authority_sign_in')
    .select('accounts_on_first_sign_in')
    .where('authority_id', '=', authorityId)
    .executeTakeFirst()
  return row?.accounts_on_first_sign_in ?? false
}

/** An authority's sign-in settings: either or both saved; a new row starts from the defaults. */
export async function saveSignInSettings(
  db: Queryable,
  authorityId: string,
  settings: { passwordsAllowed?: boolean; accountsOnFirstSignIn?: boolean },
  now: Date,
  by: string | null,
): Promise<void> {
  const changed = {
    ...(settings.passwordsAllowed === undefined
      ? {}
      : { passwords_allowed: settings.passwordsAllowed }),
    ...(settings.accountsOnFirstSignIn === undefined
      ? {}
      : { accounts_on_first_sign_in: settings.accountsOnFirstSignIn }),
    updated_at: now,
    updated_by: by,
  }
  await db
    .insertInto('authority_sign_in')
    .values({
      authority_id: authorityId,
      passwords_allowed: true,
      accounts_on_first_sign_in: false,
      ...changed,
    })
    .onConflict((oc) => oc.column('authority_id').doUpdateSet(changed))
    .execute()
}

/** Whether any account at all has this address (active or not, in any authority). */
export async function anyAccountWithEmail(db: Queryable, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst()
  return row !== undefined
}

/** A new active account with no password and one role in the authority, and no child. */
export async function insertSsoAccount(
  db: Queryable,
  input: { email: string; displayName: string; authorityId: string; role: string; now: Date },
): Promise<string> {
  const user = await db
    .insertInto('app_user')
    .values({
      email: input.email,
      display_name: input.displayName,
      password_hash: null,
      status: 'active',
      created_at: input.now,
      updated_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('membership')
    .values({
      user_id: user.id,
      authority_id: input.authorityId,
      role: input.role,
      school_id: null,
      created_at: input.now,
    })
    .execute()
  return user.id
}

/**
 * The active account with this address that holds a role in the authority (ADR 14: matched by
 * verified email, within the provider's authority only).
 */
export async function findMemberByEmail(
  db: Queryable,
  authorityId: string,
  email: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('app_user')
    .select('app_user.id')
    .where((eb) => eb(eb.fn('lower', ['app_user.email']), '=', email.trim().toLowerCase()))
    .where('app_user.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('membership')
          .select('membership.id')
          .whereRef('membership.user_id', '=', 'app_user.id')
          .where('membership.authority_id', '=', authorityId),
      ),
    )
    .executeTakeFirst()
}
