import { sql, type Kysely } from 'kysely'

/*
 * The app can run as a database role that does not own the tables (issue 13): migrations run as
 * the owner (MIGRATION_DATABASE_URL), the app as `openpep_app` (DATABASE_URL). The owner could
 * switch the audit trail's append-only trigger off (ALTER TABLE ... DISABLE TRIGGER, or
 * session_replication_role as a superuser); `openpep_app` can do neither, and it has no UPDATE,
 * DELETE or TRUNCATE on audit_event, so the trail is append-only even against the app itself.
 *
 * `openpep_app` may read and write every table (SELECT, INSERT, UPDATE, DELETE) except:
 * audit_event, SELECT and INSERT only; the migrations' own tables, SELECT only (the app checks it
 * is up to date). Tables later migrations make get the same by default privileges. The job
 * queue's schema `pgboss` is made here, and `openpep_app` may create pg-boss's tables in it.
 *
 * On a PostgreSQL server the role is created (NOLOGIN) if it is missing and the migrating role may
 * create roles; an administrator gives it a login (`alter role openpep_app login password ...`)
 * or makes a login role a member of it. If it is missing and cannot be made, only the job queue's
 * schema is made: the app then runs as the owner, as before. The embedded PGlite has one user and
 * no roles to speak of: there it also only makes the schema.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists pgboss`.execute(db)
  if (!(await roleCanExist(db))) return
  await sql`
    do $$
    begin
      if not exists (select from pg_roles where rolname = 'openpep_app') then
        begin
          create role openpep_app nologin;
        exception
          -- Another database on the same server made it at the same moment.
          when duplicate_object or unique_violation then null;
          -- Not allowed to make roles: an administrator makes it (see the README).
          when insufficient_privilege then null;
        end;
      end if;
    end
    $$`.execute(db)
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_roles where rolname = 'openpep_app'`.execute(db)
  if (rows[0]?.n !== 1) return

  await sql`grant usage on schema public to openpep_app`.execute(db)
  await sql`grant select, insert, update, delete on all tables in schema public to openpep_app`.execute(
    db,
  )
  await sql`revoke update, delete, truncate, references, trigger on audit_event from openpep_app`.execute(
    db,
  )
  await sql`revoke insert, update, delete on kysely_migration, kysely_migration_lock from openpep_app`.execute(
    db,
  )
  await sql`grant usage, select on all sequences in schema public to openpep_app`.execute(db)
  await sql`alter default privileges in schema public grant select, insert, update, delete on tables to openpep_app`.execute(
    db,
  )
  await sql`alter default privileges in schema public grant usage, select on sequences to openpep_app`.execute(
    db,
  )

  // The job queue: pg-boss installs and upgrades its own tables, as the app, in its own schema.
  await sql`grant usage, create on schema pgboss to openpep_app`.execute(db)
  await sql`grant select, insert, update, delete on all tables in schema pgboss to openpep_app`.execute(
    db,
  )
  await sql`grant usage, select on all sequences in schema pgboss to openpep_app`.execute(db)
  await sql`alter default privileges in schema pgboss grant select, insert, update, delete on tables to openpep_app`.execute(
    db,
  )
  await sql`alter default privileges in schema pgboss grant usage, select on sequences to openpep_app`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(await roleCanExist(db))) return
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_roles where rolname = 'openpep_app'`.execute(db)
  if (rows[0]?.n !== 1) return
  await sql`alter default privileges in schema public revoke all on tables from openpep_app`.execute(
    db,
  )
  await sql`alter default privileges in schema public revoke all on sequences from openpep_app`.execute(
    db,
  )
  await sql`alter default privileges in schema pgboss revoke all on tables from openpep_app`.execute(
    db,
  )
  await sql`alter default privileges in schema pgboss revoke all on sequences from openpep_app`.execute(
    db,
  )
  await sql`revoke all on all tables in schema public from openpep_app`.execute(db)
  await sql`revoke all on all sequences in schema public from openpep_app`.execute(db)
  await sql`revoke all on schema public from openpep_app`.execute(db)
  await sql`revoke all on schema pgboss from openpep_app`.execute(db)
}

/** False on the embedded PGlite, which has roles in name only. */
async function roleCanExist(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{ version: string }>`select version() as version`.execute(db)
  return !rows[0]?.version.includes('PGlite')
}
