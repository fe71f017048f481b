import { sql, type Kysely } from 'kysely'

/*
 * The one statement that looks an audit event up by its request id asks whether that request was
 * refused (`request_id = $1 and action = 'access.denied'`: the route walk, src/testing/access-walk.ts,
 * after every request it sends). Without an index it read the whole table each time (EXPLAIN
 * ANALYZE on PGlite, 6,000 events: a sequential scan, 7.4 ms, 1.6 ms CPU a look-up; with this
 * index an index scan, 0.2 ms, 0.6 ms CPU). Partial, so the events of every page view (most of
 * the table) never pay for it: only refusals are indexed. Nothing in the app filters by request
 * id otherwise; add a full index if something comes to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_event_denied_request_idx on audit_event (request_id)
    where action = 'access.denied'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_event_denied_request_idx`.execute(db)
}
