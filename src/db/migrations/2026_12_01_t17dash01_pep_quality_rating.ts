import { sql, type Kysely } from 'kysely'

/*
 * A PEP's Section D overall rating and the young person's participation, on the PEP's own row
 * (issue 17), so the dashboard's ratings, its six-term trend and the lists that filter or sort by
 * the rating read them with the PEP, never Section D's answers. EXPLAIN (ANALYZE, BUFFERS), the
 * largest authority of national-shaped data: the trend read ~56.5k buffers looking up each
 * signed-off PEP's quality assurance page to take one answer from it.
 *
 * They are the answers as saved, derived by a trigger on `pep_page` in the statement that writes
 * the page (a save, a carry-forward, a bulk start, an erasure, a seed: any writer), so they
 * cannot differ from the answers, and nobody keeps them by hand. Only the quality assurance
 * page's rows fire it: `qa_overall` is `answers ->> 'qa-overall'` and `qa_participated` is
 * `answers ->> 'qa-young-person-participated'` of the PEP's `quality-assurance` page, null
 * without one. The figures still count them only for a signed-off PEP, as before.
 *
 * The index answers the trend (a term's signed-off PEPs of an authority by rating) from its
 * entries alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pep add column qa_overall text, add column qa_participated text`.execute(db)
  // Made before the rows are filled: an index made after this transaction's updates of the
  // rows would be usable only once every transaction older than it had ended (indcheckxmin).
  await sql`create index pep_quality_rating_idx on pep (authority_id, academic_year, term, qa_overall)
    where status = 'signed_off' and not change_of_school`.execute(db)
  await sql`
    create function pep_quality_rating() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.page_id = 'quality-assurance'
        and (tg_op = 'DELETE' or new.page_id <> 'quality-assurance' or new.pep_id <> old.pep_id) then
        update pep set qa_overall = null, qa_participated = null where id = old.pep_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.page_id = 'quality-assurance' then
        update pep set qa_overall = new.answers ->> 'qa-overall',
            qa_participated = new.answers ->> 'qa-young-person-participated'
          where id = new.pep_id
            and (qa_overall is distinct from new.answers ->> 'qa-overall'
              or qa_participated is distinct from new.answers ->> 'qa-young-person-participated');
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger pep_page_quality_rating after insert or update or delete on pep_page
    for each row execute function pep_quality_rating()`.execute(db)
  await sql`
    update pep p set qa_overall = q.answers ->> 'qa-overall',
      qa_participated = q.answers ->> 'qa-young-person-participated'
    from pep_page q
    where q.pep_id = p.id and q.page_id = 'quality-assurance'
      and (q.answers ? 'qa-overall' or q.answers ? 'qa-young-person-participated')`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index pep_quality_rating_idx`.execute(db)
  await sql`drop trigger pep_page_quality_rating on pep_page`.execute(db)
  await sql`drop function pep_quality_rating()`.execute(db)
  await sql`alter table pep drop column qa_participated, drop column qa_overall`.execute(db)
}
