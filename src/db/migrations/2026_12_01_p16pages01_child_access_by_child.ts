import { sql, type Kysely } from 'kysely'

/*
 * Every place a child has had on anyone's list, found by the child (issue 16). The child's record
 * lists the places that ended (`listEndedAccess`: `child_id = $1 and removed_at is not null`,
 * newest first), and the only indexes by child were partial, over live places, so each view of a
 * record read the whole table: on the bench's data (63,000 places) a sequential scan of 828
 * pages, 40 ms, the record's slowest statement by far, and at national size (about 390,000) six
 * times that. Ordered as the record lists them, so the newest ended places come first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index child_access_child_idx on child_access (child_id, removed_at desc)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index child_access_child_idx`.execute(db)
}
