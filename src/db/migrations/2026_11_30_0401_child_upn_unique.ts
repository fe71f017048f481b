import { sql, type Kysely } from 'kysely'

/*
 * A UPN identifies one pupil (issue 13): at most one child record has it, in any authority.
 * UPNs are stored as the forms and the import normalise them (capitals, no spaces); rows saved
 * before that rule are normalised here first. If two records already share a UPN, the
 * migration stops and names how many, because only a person can tell which record is right:
 * correct one of them (clear or fix its UPN) and start again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update child set upn = nullif(upper(regexp_replace(upn, '\\s', '', 'g')), '')
    where upn is not null and upn <> upper(regexp_replace(upn, '\\s', '', 'g'))
  `.execute(db)
  const shared = await sql<{ upns: number; children: number }>`
    select count(*)::int as upns, coalesce(sum(n), 0)::int as children
    from (select count(*) as n from child where upn is not null group by upn having count(*) > 1) d
  `.execute(db)
  const { upns = 0, children = 0 } = shared.rows[0] ?? {}
  if (upns > 0)
    throw new Error(
      `${children} child records share ${upns} UPNs; a UPN must identify one pupil. Find them with ` +
        `"select upn, id, authority_id from child where upn in (select upn from child ` +
        `group by upn having count(*) > 1)", correct or clear the wrong ones, then migrate again.`,
    )
  await sql`create unique index child_upn_key on child (upn) where upn is not null`.execute(db)
  await sql`
    alter table child add constraint child_upn_normalised
      check (upn = upper(regexp_replace(upn, '\\s', '', 'g')))
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table child drop constraint child_upn_normalised`.execute(db)
  await sql`drop index child_upn_key`.execute(db)
}
