import { sql, type Kysely } from 'kysely'

/*
 * Two look-ups the oversight's cohort read and its filters make once per child (issue 17), each
 * read from an index rather than from the rows it would otherwise fetch and filter
 * (EXPLAIN (ANALYZE, BUFFERS), the largest authority of national-shaped data):
 * - the child's last review held by a day: max(meeting_on) of their PEPs, which fetched every one
 *   of the child's PEPs (about ten) from pep_child_idx to read their meeting days;
 * - a PEP's last step to or back from the Virtual School (whether it was returned), which read
 *   and sorted all of the PEP's events to find the newest of three kinds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index pep_child_meeting_idx on pep (child_id, meeting_on)
    where meeting_on is not null`.execute(db)
  await sql`create index pep_event_vs_step_idx on pep_event (pep_id, at desc)
    where kind in ('submitted-to-vs', 'returned-for-improvement', 'returned-by-bso')`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index pep_event_vs_step_idx`.execute(db)
  await sql`drop index pep_child_meeting_idx`.execute(db)
}
