import { sql, type Kysely } from 'kysely'

/*
 * Retention (issue 22, ADR 13): how long each authority keeps a child's record after they leave
 * care or until an age, and the records a daily job has found past their date, waiting for two
 * different administrators (one proposes erasing, another confirms). A review row goes with its
 * child when the record is erased; the audit trail keeps that it happened, by id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table retention_policy (
      authority_id uuid primary key references authority (id),
      years_after_care integer check (years_after_care between 1 and 100),
      until_age integer check (until_age between 18 and 120),
      updated_at timestamptz not null,
      updated_by uuid not null references app_user (id)
    )`.execute(db)
  await sql`
    create table retention_review (
      child_id uuid primary key references child (id) on delete cascade,
      authority_id uuid not null references authority (id),
      keep_until date not null,
      listed_at timestamptz not null,
      proposed_by uuid references app_user (id),
      proposed_at timestamptz,
      check ((proposed_by is null) = (proposed_at is null))
    )`.execute(db)
  // An answer's history stays append-only, except when its child's record is erased: a revision
  // may be deleted (never changed) only while a proposal to erase that child stands, which
  // retention.service.ts confirms and erases in one transaction (ADR 13).
  await sql`
    create or replace function pep_page_revision_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and exists (
        select 1 from pep p
        join retention_review r on r.child_id = p.child_id
        where p.id = old.pep_id and r.proposed_by is not null
      ) then
        return old;
      end if;
      raise exception 'pep_page_revision is append-only';
    end;
    $$`.execute(db)
  await sql`create index retention_review_authority_idx on retention_review (authority_id, keep_until, child_id)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function pep_page_revision_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'pep_page_revision is append-only';
    end;
    $$`.execute(db)
  await sql`drop table retention_review`.execute(db)
  await sql`drop table retention_policy`.execute(db)
}
