import { sql, type Kysely } from 'kysely'

/*
 * Each authority administers only itself (issue 13, ADR 9).
 *
 * `authority_member` records which authorities a person is in, or was in: a row stays when their
 * last role there is removed, so that authority's administrators can still find them ("No
 * roles") and deactivate them. A row with `joined_at` null is an invitation not yet accepted:
 * the administrator sees only what they typed (`invited_name`, `invited_email`), never the
 * account behind the address, so adding an address never tells them whether it has an account.
 *
 * `role_offer` holds the roles an invitation offers; they become `membership` rows (the roles
 * that give access) only when the person accepts.
 *
 * Existing data: everyone with a role is a member of its authority since their first role
 * there; people an administrator changed or invited (the audit trail names them) but who hold
 * no role there any more are members too, since that change: today they have fallen out of
 * every list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('authority_member')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('authority_id', 'uuid', (c) => c.notNull().references('authority.id'))
    .addColumn('invited_name', 'text')
    .addColumn('invited_email', 'text')
    .addColumn('invited_at', 'timestamptz')
    .addColumn('invited_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('joined_at', 'timestamptz')
    .addPrimaryKeyConstraint('authority_member_pkey', ['user_id', 'authority_id'])
    .addCheckConstraint(
      'authority_member_pending_has_invitation',
      sql`joined_at is not null or (invited_name is not null and invited_email is not null and invited_at is not null)`,
    )
    .execute()
  await db.schema
    .createIndex('authority_member_authority_idx')
    .on('authority_member')
    .columns(['authority_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('role_offer')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('authority_id', 'uuid', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('school_id', 'uuid', (c) => c.references('school.id'))
    .addColumn('offered_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('offered_at', 'timestamptz', (c) => c.notNull())
    .addForeignKeyConstraint(
      'role_offer_member_fkey',
      ['user_id', 'authority_id'],
      'authority_member',
      ['user_id', 'authority_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addUniqueConstraint('role_offer_user_authority_role_key', ['user_id', 'authority_id', 'role'])
    .execute()

  // Whoever holds a role in an authority is a member of it, however the role was given (a
  // service, the seed, an import): kept by the database, so no writer can forget it.
  await sql`
    create function membership_joins_authority() returns trigger language plpgsql as $$
    begin
      insert into authority_member (user_id, authority_id, joined_at)
      values (new.user_id, new.authority_id, new.created_at)
      on conflict (user_id, authority_id)
        do update set joined_at = coalesce(authority_member.joined_at, excluded.joined_at);
      return new;
    end $$
  `.execute(db)
  await sql`create trigger membership_joins_authority after insert on membership for each row execute function membership_joins_authority()`.execute(
    db,
  )

  await sql`
    insert into authority_member (user_id, authority_id, joined_at)
    select user_id, authority_id, min(created_at) from membership group by user_id, authority_id
  `.execute(db)
  await sql`
    insert into authority_member (user_id, authority_id, joined_at)
    select e.subject_user_id, e.authority_id, min(e.occurred_at)
    from audit_event e
    join app_user u on u.id = e.subject_user_id
    join authority a on a.id = e.authority_id
    where e.action in ('admin.user.membership', 'admin.user.invite')
    group by e.subject_user_id, e.authority_id
    on conflict do nothing
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger membership_joins_authority on membership`.execute(db)
  await sql`drop function membership_joins_authority()`.execute(db)
  await db.schema.dropTable('role_offer').execute()
  await db.schema.dropTable('authority_member').execute()
}
