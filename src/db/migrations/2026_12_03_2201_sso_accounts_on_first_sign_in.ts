import { sql, type Kysely } from 'kysely'

/*
 * Single sign-on (issue 22, ADR 14): whether the authority lets a person unknown to OpenPEP, whom
 * its provider vouches for with a verified address in its domains, be created on first sign-in
 * (with the least-privileged role and no child). Off unless the authority says so.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table authority_sign_in
    add column accounts_on_first_sign_in boolean not null default false`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table authority_sign_in drop column accounts_on_first_sign_in`.execute(db)
}
