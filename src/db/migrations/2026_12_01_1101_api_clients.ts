import { sql, type Kysely } from 'kysely'

/*
 * The API for case management systems (issue 22): the clients a Virtual School administrator
 * registers for their authority (the secret stored as its SHA-256 only), the audit trail's
 * column saying which client acted, the webhooks each client registers and their outbox of
 * deliveries, and the index the API's "PEPs changed since" reads in order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_client (
      id uuid primary key default gen_random_uuid(),
      authority_id uuid not null references authority (id),
      name text not null,
      scopes text[] not null,
      secret_hash text not null unique,
      secret_hint text not null,
      created_by uuid references app_user (id),
      created_at timestamptz not null,
      revoked_at timestamptz,
      revoked_by uuid references app_user (id),
      last_used_at timestamptz
    )`.execute(db)
  await sql`create index api_client_authority on api_client (authority_id, created_at, id)`.execute(
    db,
  )
  await sql`alter table audit_event add column api_client_id uuid references api_client (id)`.execute(
    db,
  )
  await sql`
    create table api_webhook (
      id uuid primary key default gen_random_uuid(),
      client_id uuid not null references api_client (id),
      url text not null,
      events text[] not null,
      secret_sealed text not null,
      created_at timestamptz not null,
      removed_at timestamptz
    )`.execute(db)
  await sql`create index api_webhook_client on api_webhook (client_id) where removed_at is null`.execute(
    db,
  )
  await sql`
    create table api_webhook_delivery (
      id uuid primary key default gen_random_uuid(),
      webhook_id uuid not null references api_webhook (id),
      event_type text not null,
      payload jsonb not null,
      created_at timestamptz not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      last_error text,
      last_status integer,
      delivered_at timestamptz
    )`.execute(db)
  await sql`
    create index api_webhook_delivery_due on api_webhook_delivery (next_attempt_at)
    where status = 'pending'`.execute(db)
  await sql`create index pep_authority_updated on pep (authority_id, updated_at, id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index pep_authority_updated`.execute(db)
  await sql`drop table api_webhook_delivery`.execute(db)
  await sql`drop table api_webhook`.execute(db)
  await sql`alter table audit_event drop column api_client_id`.execute(db)
  await sql`drop table api_client`.execute(db)
}
