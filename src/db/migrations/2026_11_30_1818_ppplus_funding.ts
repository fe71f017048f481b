import { sql, type Kysely } from 'kysely'

/*
 * Pupil Premium Plus (issue 18): each SMART target's funding request, the Virtual School's
 * decisions on it, the authority's budget for each financial year, payment runs and their lines,
 * and the impact recorded at the next review. Money is whole pence (`*_pence`, integer; sums are
 * computed from the lines, never kept). Nothing is lost: a request's every version is a revision,
 * a changed decision is a new row (the earlier one stays, no longer current), a paid run and its
 * lines can never be changed (a trigger refuses it, even to the app), and a correction is a new
 * negative line with a reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table funding_setting (
      authority_id uuid primary key references authority (id),
      categories jsonb not null,
      decide_before_submission boolean not null default false,
      updated_by uuid references app_user (id),
      updated_at timestamptz not null
    )`.execute(db)
  await sql`
    create table funding_budget (
      authority_id uuid not null references authority (id),
      financial_year integer not null check (financial_year between 2000 and 2099),
      allocation_per_child_pence integer not null check (allocation_per_child_pence >= 0),
      devolved_per_term_pence integer not null check (devolved_per_term_pence >= 0),
      central_pence bigint not null check (central_pence >= 0),
      grant_received_pence bigint not null check (grant_received_pence >= 0),
      updated_by uuid references app_user (id),
      updated_at timestamptz not null,
      primary key (authority_id, financial_year)
    )`.execute(db)
  await sql`
    create table funding_request (
      id uuid primary key default gen_random_uuid(),
      authority_id uuid not null references authority (id),
      child_id uuid not null references child (id),
      pep_id uuid not null references pep (id),
      target_id uuid not null,
      target_text text not null,
      area text,
      school_id uuid references school (id),
      amount_pence integer not null check (amount_pence > 0),
      purpose text not null,
      category text not null,
      expected_impact text not null,
      requested_by uuid not null references app_user (id),
      requested_at timestamptz not null,
      version integer not null default 1,
      unique (pep_id, target_id)
    )`.execute(db)
  await sql`create index funding_request_child_idx on funding_request (child_id)`.execute(db)
  await sql`create index funding_request_authority_idx on funding_request (authority_id)`.execute(
    db,
  )
  await sql`
    create table funding_request_revision (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references funding_request (id),
      version integer not null,
      amount_pence integer not null,
      purpose text not null,
      category text not null,
      expected_impact text not null,
      saved_by uuid not null references app_user (id),
      saved_at timestamptz not null,
      unique (request_id, version)
    )`.execute(db)
  await sql`
    create table funding_decision (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references funding_request (id),
      outcome text not null check (outcome in ('approved', 'part_approved', 'declined')),
      amount_pence integer not null check (amount_pence >= 0),
      reason text not null,
      financial_year integer not null,
      decided_on date not null,
      over_allocation_reason text,
      is_current boolean not null,
      decided_by uuid not null references app_user (id),
      decided_role text not null,
      decided_at timestamptz not null,
      check (outcome <> 'declined' or amount_pence = 0)
    )`.execute(db)
  await sql`create unique index funding_decision_current_idx on funding_decision (request_id) where is_current`.execute(
    db,
  )
  await sql`create index funding_decision_year_idx on funding_decision (financial_year) where is_current`.execute(
    db,
  )
  await sql`
    create table payment_run (
      id uuid primary key default gen_random_uuid(),
      authority_id uuid not null references authority (id),
      period_from date not null,
      period_to date not null,
      status text not null default 'open' check (status in ('open', 'paid')),
      created_by uuid not null references app_user (id),
      created_at timestamptz not null,
      paid_on date,
      paid_reference text,
      paid_by uuid references app_user (id),
      paid_at timestamptz,
      check (period_from <= period_to),
      check (status = 'open' or (paid_on is not null and paid_reference is not null))
    )`.execute(db)
  await sql`create index payment_run_authority_idx on payment_run (authority_id, created_at desc)`.execute(
    db,
  )
  await sql`
    create table payment_line (
      id uuid primary key default gen_random_uuid(),
      run_id uuid references payment_run (id),
      authority_id uuid not null references authority (id),
      request_id uuid not null references funding_request (id),
      decision_id uuid references funding_decision (id),
      school_id uuid references school (id),
      kind text not null check (kind in ('payment', 'correction')),
      amount_pence integer not null,
      reason text,
      created_by uuid not null references app_user (id),
      created_at timestamptz not null,
      check (
        (kind = 'payment' and amount_pence > 0 and decision_id is not null and run_id is not null)
        or (kind = 'correction' and amount_pence < 0 and reason is not null and reason <> '')
      )
    )`.execute(db)
  // An amount is in at most one run: one payment line per decision, whoever makes runs at once.
  await sql`create unique index payment_line_decision_idx on payment_line (decision_id) where kind = 'payment'`.execute(
    db,
  )
  await sql`create index payment_line_run_idx on payment_line (run_id)`.execute(db)
  await sql`create index payment_line_request_idx on payment_line (request_id)`.execute(db)
  await sql`
    create function payment_run_paid_is_final() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'payment_run' then
        if old.status = 'paid' then
          raise exception 'A paid payment run is never changed';
        end if;
      elsif old.run_id is not null and exists (
        select 1 from payment_run where id = old.run_id and status = 'paid'
      ) then
        raise exception 'A line of a paid payment run is never changed';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger payment_run_final before update or delete on payment_run for each row execute function payment_run_paid_is_final()`.execute(
    db,
  )
  await sql`create trigger payment_line_final before update or delete on payment_line for each row execute function payment_run_paid_is_final()`.execute(
    db,
  )
  await sql`
    create table funding_impact (
      request_id uuid primary key references funding_request (id),
      pep_id uuid not null references pep (id),
      outcome text not null
        check (outcome in ('achieved', 'partly_achieved', 'not_achieved', 'continuing')),
      difference text not null,
      recorded_by uuid not null references app_user (id),
      recorded_at timestamptz not null
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'funding_impact',
    'payment_line',
    'payment_run',
    'funding_decision',
    'funding_request_revision',
    'funding_request',
    'funding_budget',
    'funding_setting',
  ])
    await sql`drop table ${sql.table(table)}`.execute(db)
  await sql`drop function payment_run_paid_is_final()`.execute(db)
}
