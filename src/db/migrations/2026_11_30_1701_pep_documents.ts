import { sql, type Kysely } from 'kysely'

/*
 * Documents attached to a PEP (issue 15): an EHC plan or a support plan attached from the PEP is
 * one of the child's documents, kept on the child's record, linked to the PEP it was attached
 * from. Not a second store: the same table, the same access rules, the same download. `kind`
 * says what the document is (an EHC plan, a support plan, ...), for the PEP's list and its PDF.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table child_document add column pep_id uuid references pep (id) on delete set null`.execute(
    db,
  )
  await sql`
    alter table child_document add column kind text
    check (kind in ('ehc-plan', 'sen-support-plan', 'report', 'other'))`.execute(db)
  await sql`create index child_document_pep_idx on child_document (pep_id) where pep_id is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index child_document_pep_idx`.execute(db)
  await sql`alter table child_document drop column kind`.execute(db)
  await sql`alter table child_document drop column pep_id`.execute(db)
}
