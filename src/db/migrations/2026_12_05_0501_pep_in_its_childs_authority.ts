import { sql, type Kysely } from 'kysely'

/*
 * A PEP belongs to its child's authority (issue 17). Every PEP was written with its child's
 * authority, and a child never changes authority; this makes it a rule the database keeps, so a
 * term's PEPs of an authority can be read by their authority (pep_authority_term_idx: the
 * dashboard reads its cohort's 3,000 term PEPs as one range of the index and joins them by hash,
 * instead of 3,000 look-ups by child) and be sure to be its children's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table child add constraint child_id_authority_key unique (id, authority_id)`.execute(
    db,
  )
  await sql`
    alter table pep add constraint pep_child_authority_fkey
      foreign key (child_id, authority_id) references child (id, authority_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pep drop constraint pep_child_authority_fkey`.execute(db)
  await sql`alter table child drop constraint child_id_authority_key`.execute(db)
}
