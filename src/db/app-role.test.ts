import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { DatabaseHandle } from './connection.ts'
import { appOwnsAuditTrail, openMigratedDatabase } from './open.ts'
import { loadConfig } from '../config.ts'
import { recordAuditEvent } from '../shared/audit-events.ts'
import {
  APP_ROLE,
  createEmptyTestDatabase,
  createTestDatabase,
  ownerConnection,
} from '../testing/database.ts'

/*
 * The app's database role (migration 2026_11_30_1501): on a PostgreSQL server the tests connect
 * as `openpep_app`, as production should, and the audit trail is append-only even against it.
 * On the embedded PGlite there is one role, so this file runs only with TEST_DATABASE_URL (CI's
 * PostgreSQL pass); the PGlite pass checks the migration leaves PGlite as it was.
 */
const onServer = Boolean(process.env.TEST_DATABASE_URL)

let database: DatabaseHandle
let owner: Pick<DatabaseHandle, 'db' | 'close'> | undefined
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await owner?.close()
  await database.close()
})

const event = () => ({
  occurredAt: new Date('2026-11-30T10:00:00Z'),
  userId: null,
  actingRole: null,
  authorityId: null,
  action: 'sign-out' as const,
  outcome: 'success' as const,
  requestId: 'app-role-test',
})

/** The SQLSTATE a statement fails with, or 'ok'. */
async function attempt(statement: ReturnType<typeof sql>): Promise<string> {
  try {
    await database.db.transaction().execute((trx) => statement.execute(trx))
    return 'ok'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
}

const PERMISSION_DENIED = '42501'
const NOT_OWNER = '42501'

describe.runIf(onServer)('the app’s database role on a PostgreSQL server', () => {
  it('is openpep_app, not a superuser and not the tables’ owner', async () => {
    const { rows } = await sql<{ user: string; superuser: boolean; owner: string }>`
      select current_user as user,
             (select rolsuper from pg_roles where rolname = current_user) as superuser,
             (select tableowner from pg_tables where tablename = 'audit_event') as owner`.execute(
      database.db,
    )
    expect(rows[0]).toMatchObject({ user: APP_ROLE, superuser: false })
    expect(rows[0]!.owner).not.toBe(APP_ROLE)
    expect(await appOwnsAuditTrail(database.db)).toBe(false)
  })

  it('runs its statements without JIT and without parallel workers (connection.ts)', async () => {
    const { rows } = await sql<{ jit: string; workers: string }>`
      select current_setting('jit') as jit,
             current_setting('max_parallel_workers_per_gather') as workers`.execute(database.db)
    expect(rows[0]).toEqual({ jit: 'off', workers: '0' })
  })

  it('adds to the audit trail and reads it, but cannot update, delete or truncate it', async () => {
    await recordAuditEvent(database.db, event())
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit_event where request_id = 'app-role-test'`.execute(
      database.db,
    )
    expect(rows[0]!.n).toBe(1)

    expect(await attempt(sql`update audit_event set request_id = 'rewritten'`)).toBe(
      PERMISSION_DENIED,
    )
    expect(await attempt(sql`delete from audit_event`)).toBe(PERMISSION_DENIED)
    expect(await attempt(sql`truncate audit_event`)).toBe(PERMISSION_DENIED)
    expect(await attempt(sql`truncate audit_event cascade`)).toBe(PERMISSION_DENIED)
  })

  it('cannot switch the append-only trigger off, by session_replication_role or by owning the table', async () => {
    expect(await attempt(sql`set session_replication_role = replica`)).toBe(PERMISSION_DENIED)
    expect(await attempt(sql`set local session_replication_role = replica`)).toBe(PERMISSION_DENIED)
    expect(await attempt(sql`alter table audit_event disable trigger audit_event_no_update`)).toBe(
      NOT_OWNER,
    )
    expect(await attempt(sql`alter table audit_event disable trigger all`)).toBe(NOT_OWNER)
    expect(await attempt(sql`drop trigger audit_event_no_update on audit_event`)).toBe(NOT_OWNER)
    expect(await attempt(sql`drop table audit_event`)).toBe(NOT_OWNER)
    expect(await attempt(sql`alter table audit_event rename to audit_event_old`)).toBe(NOT_OWNER)
    expect(
      await attempt(
        sql`create or replace function audit_event_append_only() returns trigger language plpgsql as $$ begin return old; end $$`,
      ),
    ).toBe(NOT_OWNER)
    // Granting itself more only warns ("no privileges were granted"): still refused after.
    await attempt(sql`grant update, delete, truncate on audit_event to ${sql.raw(APP_ROLE)}`)
    expect(await attempt(sql`update audit_event set request_id = 'rewritten'`)).toBe(
      PERMISSION_DENIED,
    )
    // Nor fake the migrations' record.
    expect(await attempt(sql`delete from kysely_migration`)).toBe(PERMISSION_DENIED)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit_event where request_id = 'app-role-test'`.execute(
      database.db,
    )
    expect(rows[0]!.n).toBe(1)
  })

  it('reads and writes every other table, including tables later migrations add', async () => {
    const { rows } = await sql<{ table: string; privileges: string }>`
      select c.relname as table,
             concat_ws(',',
               case when has_table_privilege(current_user, c.oid, 'select') then 'select' end,
               case when has_table_privilege(current_user, c.oid, 'insert') then 'insert' end,
               case when has_table_privilege(current_user, c.oid, 'update') then 'update' end,
               case when has_table_privilege(current_user, c.oid, 'delete') then 'delete' end,
               case when has_table_privilege(current_user, c.oid, 'truncate') then 'truncate' end
             ) as privileges
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
      order by 1`.execute(database.db)
    const expected = (table: string) =>
      table === 'audit_event'
        ? 'select,insert'
        : table.startsWith('kysely_migration')
          ? 'select'
          : 'select,insert,update,delete'
    expect(rows.length).toBeGreaterThan(20)
    expect(rows.filter((r) => r.privileges !== expected(r.table))).toEqual([])

    // Default privileges: a table the owner adds later is the app's to read and write.
    owner = await ownerConnection(database)
    await sql`create table later_table (id int primary key)`.execute(owner.db)
    expect(await attempt(sql`insert into later_table values (1)`)).toBe('ok')
    expect(await attempt(sql`update later_table set id = 2`)).toBe('ok')
    expect(await attempt(sql`delete from later_table`)).toBe('ok')
  })
})

describe.runIf(onServer)(
  'two connection strings: migrations as the owner, the app as openpep_app',
  () => {
    const urlOf = (handle: DatabaseHandle) =>
      (handle.pool!.options as { connectionString: string }).connectionString
    const withUser = (url: string, user: string) => {
      const parsed = new URL(url)
      parsed.username = user
      return parsed.toString()
    }

    it('migrates a new database with MIGRATION_DATABASE_URL, then runs on DATABASE_URL as the app', async () => {
      const empty = await createEmptyTestDatabase()
      try {
        const ownerUrl = urlOf(empty)
        const appUrl = withUser(ownerUrl, APP_ROLE)
        // Without the owner's URL the app's role cannot make the tables, and says what to set.
        await expect(
          openMigratedDatabase(loadConfig({ NODE_ENV: 'test', DATABASE_URL: appUrl })),
        ).rejects.toThrow(/set MIGRATION_DATABASE_URL/)
        const handle = await openMigratedDatabase(
          loadConfig({ NODE_ENV: 'test', DATABASE_URL: appUrl, MIGRATION_DATABASE_URL: ownerUrl }),
        )
        try {
          const { rows } = await sql<{ user: string; migrations: number }>`
          select current_user as user, (select count(*)::int from kysely_migration) as migrations`.execute(
            handle.db,
          )
          expect(rows[0]!.user).toBe(APP_ROLE)
          expect(rows[0]!.migrations).toBeGreaterThan(5)
          expect(await appOwnsAuditTrail(handle.db)).toBe(false)
          await expect(sql`delete from audit_event`.execute(handle.db)).rejects.toMatchObject({
            code: PERMISSION_DENIED,
          })
        } finally {
          await handle.close()
        }
      } finally {
        await empty.close()
      }
    })
  },
)

describe.runIf(!onServer)('the app’s database role on the embedded PGlite', () => {
  it('is the one role PGlite has: the migration makes no role there', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_roles where rolname = ${APP_ROLE}`.execute(database.db)
    expect(rows[0]!.n).toBe(0)
    expect(await appOwnsAuditTrail(database.db)).toBe(false)
    // The trigger still refuses changes to the audit trail.
    await recordAuditEvent(database.db, event())
    await expect(sql`delete from audit_event`.execute(database.db)).rejects.toThrow(/append-only/)
  })
})
