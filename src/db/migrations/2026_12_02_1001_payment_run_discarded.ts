import { sql, type Kysely } from 'kysely'

/*
 * A payment run not yet paid can be discarded (issue 18), and is then kept, read-only, as
 * "discarded", with who discarded it, when and, if they said, why. Its lines stay with it,
 * marked discarded, so its history reads as it was; they no longer count as taken, so each
 * amount can join another run (the one-payment-line-per-decision index now counts only lines not
 * discarded), and its corrections wait for the next run again as new waiting lines. A paid run
 * and a discarded run, and their lines, are never changed: the trigger refuses both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const checks = await sql<{ conname: string }>`
    select conname from pg_constraint
    where conrelid = 'payment_run'::regclass and contype = 'c'`.execute(db)
  for (const { conname } of checks.rows)
    await sql`alter table payment_run drop constraint ${sql.id(conname)}`.execute(db)
  await sql`
    alter table payment_run
      add column discarded_by uuid references app_user (id),
      add column discarded_at timestamptz,
      add column discard_reason text,
      add constraint payment_run_period_check check (period_from <= period_to),
      add constraint payment_run_status_check check (status in ('open', 'paid', 'discarded')),
      add constraint payment_run_paid_check
        check (status <> 'paid' or (paid_on is not null and paid_reference is not null)),
      add constraint payment_run_discarded_check
        check ((status = 'discarded') = (discarded_by is not null and discarded_at is not null))`.execute(
    db,
  )
  await sql`alter table payment_line add column discarded boolean not null default false`.execute(
    db,
  )
  await sql`drop index payment_line_decision_idx`.execute(db)
  await sql`
    create unique index payment_line_decision_idx on payment_line (decision_id)
    where kind = 'payment' and not discarded`.execute(db)
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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function payment_run_paid_is_final() returns trigger language plpgsql as $$
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
  await sql`drop index payment_line_decision_idx`.execute(db)
  await sql`
    create unique index payment_line_decision_idx on payment_line (decision_id)
    where kind = 'payment'`.execute(db)
  await sql`alter table payment_line drop column discarded`.execute(db)
  await sql`
    alter table payment_run
      drop constraint payment_run_discarded_check,
      drop constraint payment_run_status_check,
      drop column discarded_by,
      drop column discarded_at,
      drop column discard_reason,
      add constraint payment_run_status_check check (status in ('open', 'paid'))`.execute(db)
}
