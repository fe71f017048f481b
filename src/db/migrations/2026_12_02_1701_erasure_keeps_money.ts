import { sql, type Kysely } from 'kysely'

/*
 * Erasure (issue 22, ADR 13) reaches the outbox and keeps the money. An email about a child names
 * the child it is about (`outbox_email.child_id`, no foreign key: erasure deletes the email with
 * the child). A payment line of a paid or discarded run is never changed, except once, by
 * erasure: it loses its link to the child's request and decision (`erased_at` says when), keeping
 * its amount, run, school and authority, so the run's total and the authority's accounts stand.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table outbox_email add column child_id uuid`.execute(db)
  await sql`create index outbox_email_child on outbox_email (child_id) where child_id is not null`.execute(
    db,
  )
  await sql`alter table payment_line add column erased_at timestamptz`.execute(db)
  await sql`alter table payment_line alter column request_id drop not null`.execute(db)
  await sql`
    do $$
    declare name text;
    begin
      select conname into name from pg_constraint
      where conrelid = 'payment_line'::regclass and contype = 'c'
        and pg_get_constraintdef(oid) like '%correction%';
      execute format('alter table payment_line drop constraint %I', name);
    end $$`.execute(db)
  await sql`
    alter table payment_line add constraint payment_line_money_check check (
      (request_id is not null or erased_at is not null)
      and (
        (kind = 'payment' and amount_pence > 0 and run_id is not null
          and (decision_id is not null or erased_at is not null))
        or (kind = 'correction' and amount_pence < 0 and reason is not null and reason <> '')
      )
    )`.execute(db)
  await sql`
    create or replace function payment_run_paid_is_final() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'payment_run' then
        if old.status = 'paid' then
          raise exception 'A paid payment run is never changed';
        elsif old.status = 'discarded' then
          raise exception 'A discarded payment run is never changed';
        end if;
      elsif old.run_id is not null and exists (
        select 1 from payment_run where id = old.run_id and status in ('paid', 'discarded')
      ) then
        -- Erasure only: the link to the child goes, the money stays as it was.
        if not (tg_op = 'UPDATE' and old.erased_at is null and new.erased_at is not null
            and new.request_id is null and new.decision_id is null
            and new.amount_pence = old.amount_pence and new.run_id = old.run_id
            and new.kind = old.kind and new.authority_id = old.authority_id
            and new.school_id is not distinct from old.school_id
            and new.discarded = old.discarded and new.created_at = old.created_at) then
          raise exception 'A line of a paid or discarded payment run is never changed';
        end if;
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function payment_run_paid_is_final() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'payment_run' then
        if old.status = 'paid' then
          raise exception 'A paid payment run is never changed';
        elsif old.status = 'discarded' then
          raise exception 'A discarded payment run is never changed';
        end if;
      elsif old.run_id is not null and exists (
        select 1 from payment_run where id = old.run_id and status in ('paid', 'discarded')
      ) then
        raise exception 'A line of a paid or discarded payment run is never changed';
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db)
  await sql`alter table payment_line drop constraint payment_line_money_check`.execute(db)
  await sql`
    alter table payment_line add constraint payment_line_check check (
      (kind = 'payment' and amount_pence > 0 and decision_id is not null and run_id is not null)
      or (kind = 'correction' and amount_pence < 0 and reason is not null and reason <> '')
    )`.execute(db)
  await sql`alter table payment_line alter column request_id set not null`.execute(db)
  await sql`alter table payment_line drop column erased_at`.execute(db)
  await sql`drop index outbox_email_child`.execute(db)
  await sql`alter table outbox_email drop column child_id`.execute(db)
}
