import { sql, type Kysely } from 'kysely'

/*
 * Single sign-on (issue 22, ADR 14): each authority's OpenID Connect providers, the email domains
 * that sign in through each (a domain belongs to one provider in the whole installation, so the
 * sign-in page knows where to send an address), and whether the authority still lets the people
 * of those domains sign in with an OpenPEP password. The client secret is stored encrypted
 * (AES-256-GCM under MFA_ENCRYPTION_KEYS, bound to the provider's id), never as typed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oidc_provider (
      id uuid primary key default gen_random_uuid(),
      authority_id uuid not null references authority (id),
      name text not null,
      issuer text not null,
      client_id text not null,
      client_secret_sealed text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by uuid references app_user (id)
    )`.execute(db)
  await sql`create index oidc_provider_authority on oidc_provider (authority_id)`.execute(db)
  await sql`
    create table oidc_provider_domain (
      domain text primary key check (domain = lower(domain)),
      provider_id uuid not null references oidc_provider (id) on delete cascade
    )`.execute(db)
  await sql`create index oidc_provider_domain_provider on oidc_provider_domain (provider_id)`.execute(
    db,
  )
  await sql`
    create table authority_sign_in (
      authority_id uuid primary key references authority (id),
      passwords_allowed boolean not null default true,
      updated_at timestamptz not null,
      updated_by uuid references app_user (id)
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table authority_sign_in`.execute(db)
  await sql`drop table oidc_provider_domain`.execute(db)
  await sql`drop table oidc_provider`.execute(db)
}
