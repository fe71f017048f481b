import { createHash, randomBytes } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { openDatabase, type DatabaseHandle } from '../db/connection.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { TEST_NOW } from './clock.ts'
import { adminQuery, APP_ROLE, asRole, databaseUrl } from './server-admin.ts'
import { pgliteTemplates, serverTemplates } from './worker-backends.ts'
import { leaseWorkerDatabase } from './worker-database.ts'

export { APP_ROLE } from './server-admin.ts'

/*
 * A fresh, migrated database for each test file, so test files can run in parallel without
 * seeing each other's rows: an embedded PGlite by default, or a new database on the server in
 * TEST_DATABASE_URL (dropped again on close).
 *
 * Creating and migrating a database costs far more than most files' tests: a new PGlite runs
 * initdb (about 8 s of CPU here) and then the migrations (1 s). So the test run migrates one
 * template before any file starts (src/testing/global-setup.ts) and every test file gets it as
 * the template has it: the worker's one database, put back to the template's rows between files
 * (src/testing/worker-database.ts), or when the file holds that already or asks to be the owner,
 * a copy of its own (on the server `CREATE DATABASE ... TEMPLATE`, dropped on close; on PGlite the
 * template's data directory copied, about 1.1 s of CPU to copy, open, close and remove). Outside
 * a test run (the bench's import timing), or when the run has no template, a database is created
 * and migrated as before.
 */

/** Where the run's template is, as the global setup hands it to the test files. */
export type TestDatabaseTemplate =
  | { kind: 'pglite'; dir: string; empty: string; demo: string; copies: string }
  | { kind: 'postgres'; serverUrl: string; name: string; demo: string }

export const TEMPLATE_KEY = 'openpepTestDatabase'

declare module 'vitest' {
  export interface ProvidedContext {
    [TEMPLATE_KEY]: TestDatabaseTemplate | null
  }
}

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * On the server the app's connection is made as the app's role, `openpep_app`, as production
 * should run (migration 2026_11_30_1501): it cannot change the tables, nor the audit trail but to
 * add to it. `{ as: 'owner' }` connects as TEST_DATABASE_URL's role instead, for the few tests
 * that change the schema itself. On PGlite there is one role, and both are the same.
 */
export async function createTestDatabase(
  options: {
    as?: 'app' | 'owner'
    /**
     * 'demo': with the demo already seeded (`seedDemo` at TEST_NOW), copied from a template the
     * run seeded once, instead of seeding it again in every file (about 0.7 s of CPU each).
     */
    seed?: 'demo'
  } = {},
): Promise<DatabaseHandle> {
  const handle = await newDatabase(options.seed ?? 'migrated', options.as ?? 'app')
  // Already migrated when copied from the template: then this is one query.
  await migrateToLatest(handle.db)
  return handle
}

/**
 * A new database with no tables yet, for the test of the migrations themselves (on PGlite a
 * copy of the template as it was before its migrations ran, which saves initdb).
 */
export function createEmptyTestDatabase(): Promise<DatabaseHandle> {
  return newDatabase('empty', 'owner')
}

/**
 * A connection to a test database as the tables' owner, for a test that must change the schema
 * while the app runs as its own role; close it after. On PGlite, the database itself.
 */
export async function ownerConnection(
  handle: DatabaseHandle,
): Promise<Pick<DatabaseHandle, 'db' | 'close'>> {
  const serverUrl = process.env.TEST_DATABASE_URL
  const appUrl = handle.pool?.options.connectionString
  if (!serverUrl || !appUrl) return { db: handle.db, close: async () => undefined }
  const url = new URL(appUrl)
  const admin = new URL(serverUrl)
  url.username = admin.username
  url.password = admin.password
  return openDatabase({ url: url.toString() })
}

async function newDatabase(
  from: 'migrated' | 'empty' | 'demo',
  as: 'app' | 'owner',
): Promise<DatabaseHandle> {
  const template = await runTemplate()
  const serverUrl = process.env.TEST_DATABASE_URL
  if (!serverUrl) {
    if (template?.kind !== 'pglite') {
      const handle = await openDatabase({ memory: true })
      if (from === 'demo') {
        await migrateToLatest(handle.db)
        await seedTestDemo(handle.db)
      }
      return handle
    }
    if (from !== 'empty' && as === 'app') {
      const templates = { migrated: template.dir, demo: template.demo, copies: template.copies }
      const leased = await leaseWorkerDatabase(pgliteTemplates(templates), from)
      if (leased) return leased
    }
    const source = { migrated: template.dir, empty: template.empty, demo: template.demo }[from]
    return openPgliteCopy(source, join(template.copies, randomName('db')))
  }
  const copied =
    from !== 'empty' && template?.kind === 'postgres' && template.serverUrl === serverUrl
  if (copied && as === 'app') {
    const leased = await leaseWorkerDatabase(serverTemplates(template), from)
    if (leased) return leased
  }
  const name = randomName(namePrefix())
  if (copied) {
    const source = from === 'demo' ? template.demo : template.name
    await adminQuery(serverUrl, `create database ${name} template ${source}`)
  } else await adminQuery(serverUrl, `create database ${name}`)
  const url = databaseUrl(serverUrl, name)
  if (from !== 'empty' && !copied) {
    // Without the run's template (the bench), migrated (and seeded) here first, as the owner.
    const owner = await openDatabase({ url })
    try {
      await migrateToLatest(owner.db)
      await allowAppRoleToLogIn(owner.db)
      if (from === 'demo') await seedTestDemo(owner.db)
    } finally {
      await owner.close()
    }
  }
  const handle = await openDatabase({ url: as === 'app' ? asRole(url, APP_ROLE) : url })
  return {
    ...handle,
    async close() {
      await handle.close()
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

/**
 * A copy of the migrated PGlite template in `dir` (a PGlite data directory that outlives the
 * handle, for tests that close a database and open it again), on either pass: on the server's,
 * the PGlite template cached under node_modules/.cache (made by the PGlite pass, or here once),
 * where a new data directory made and migrated for the file took about 11 s (`queue.test.ts`:
 * 5 s on PGlite's pass, 20 s on the server's). Outside a test run, a migrated new one.
 */
export async function createTestDatabaseIn(dir: string): Promise<DatabaseHandle> {
  if (process.env.VITEST && !existsSync(dir)) {
    cpSync(join(await cachedPgliteTemplate(), 'migrated'), dir, { recursive: true })
    return openDatabase({ pgliteDir: dir })
  }
  const handle = await openDatabase({ pgliteDir: dir })
  await migrateToLatest(handle.db)
  return handle
}

async function openPgliteCopy(template: string, dir: string): Promise<DatabaseHandle> {
  cpSync(template, dir, { recursive: true })
  const handle = await openDatabase({ pgliteDir: dir })
  return {
    ...handle,
    async close() {
      await handle.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The demo as every test file has it: seeded on TEST_NOW, Monday 23 November 2026. */
async function seedTestDemo(db: DatabaseHandle['db']): Promise<void> {
  const { seedDemo } = await import('../db/seed.ts')
  const outcome = await seedDemo(db, new Date(TEST_NOW))
  if (outcome !== 'seeded') throw new Error(`The test demo was not seeded: ${outcome}`)
}

/** The template the global setup prepared for this run, if any. */
async function runTemplate(): Promise<TestDatabaseTemplate | null> {
  if (!process.env.VITEST) return null
  const { inject } = await import('vitest')
  return inject(TEMPLATE_KEY) ?? null
}

// ---------------------------------------------------------------------------------------------
// The global setup's side: one migrated template per run.

/**
 * Prepares the run's template: on the server, a new database migrated once and dropped at the
 * end; on PGlite, a migrated data directory kept under node_modules/.cache between runs (named
 * by a hash of the migrations and PGlite's version, so any change to them makes a new one),
 * copied into a scratch directory per file. Beside it, for the files that want the demo, a copy
 * with the demo seeded, made afresh each run (the seed's code is not in the hash).
 */
export async function prepareTestTemplate(): Promise<{
  template: TestDatabaseTemplate
  remove(): Promise<void>
}> {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (serverUrl) {
    const name = randomName(`${namePrefix()}_template`)
    await adminQuery(serverUrl, `create database ${name}`)
    const demo = `${name}_demo`
    // The template, the demo's and the workers' databases (src/testing/worker-backends.ts).
    const remove = async () => {
      const made = await adminQuery<{ name: string }>(
        serverUrl,
        'select datname as name from pg_database where starts_with(datname, $1) order by 1 desc',
        [name],
      )
      for (const database of made)
        await adminQuery(serverUrl, `drop database if exists ${database.name} with (force)`)
    }
    try {
      const handle = await openDatabase({ url: databaseUrl(serverUrl, name) })
      try {
        await migrateToLatest(handle.db)
        await allowAppRoleToLogIn(handle.db)
      } finally {
        await handle.close()
      }
      await adminQuery(serverUrl, `create database ${demo} template ${name}`)
      const seeded = await openDatabase({ url: databaseUrl(serverUrl, demo) })
      try {
        await seedTestDemo(seeded.db)
      } finally {
        await seeded.close()
      }
    } catch (err) {
      await remove()
      throw err
    }
    return { template: { kind: 'postgres', serverUrl, name, demo }, remove }
  }
  const cached = await cachedPgliteTemplate()
  // Copies go to memory-backed storage where there is some: test databases are thrown away.
  const scratch = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const copies = join(scratch, randomName('openpep-tests'))
  mkdirSync(copies, { recursive: true })
  const remove = async () => rmSync(copies, { recursive: true, force: true })
  const demo = join(copies, 'demo-template')
  try {
    cpSync(join(cached, 'migrated'), demo, { recursive: true })
    const seeded = await openDatabase({ pgliteDir: demo })
    try {
      await seedTestDemo(seeded.db)
    } finally {
      await seeded.close()
    }
  } catch (err) {
    await remove()
    throw err
  }
  return {
    template: {
      kind: 'pglite',
      dir: join(cached, 'migrated'),
      empty: join(cached, 'empty'),
      demo,
      copies,
    },
    remove,
  }
}

/** A directory holding `empty` (initdb done, no migrations) and `migrated`. */
async function cachedPgliteTemplate(): Promise<string> {
  const cache = join(root, 'node_modules', '.cache', 'openpep')
  const dir = join(cache, `test-database-${templateFingerprint()}`)
  const complete = () => existsSync(join(dir, 'migrated', 'PG_VERSION'))
  if (complete()) return dir
  mkdirSync(cache, { recursive: true })
  const building = join(cache, randomName('building'))
  try {
    const empty = await openDatabase({ pgliteDir: join(building, 'empty') })
    await empty.close()
    cpSync(join(building, 'empty'), join(building, 'migrated'), { recursive: true })
    const handle = await openDatabase({ pgliteDir: join(building, 'migrated') })
    try {
      await migrateToLatest(handle.db)
    } finally {
      await handle.close()
    }
    try {
      renameSync(building, dir)
    } catch (err) {
      // Another run finished the same template meanwhile: theirs will do.
      if (!complete()) throw err
    }
  } finally {
    rmSync(building, { recursive: true, force: true })
  }
  return dir
}

/** What the template depends on: the migrations, the code that makes it, PGlite's version. */
function templateFingerprint(): string {
  const hash = createHash('sha256')
  const migrationsDir = join(root, 'src', 'db', 'migrations')
  for (const file of readdirSync(migrationsDir).sort())
    hash.update(file).update(readFileSync(join(migrationsDir, file)))
  for (const file of ['src/db/migrate.ts', 'src/db/connection.ts', 'src/testing/database.ts'])
    hash.update(readFileSync(join(root, file)))
  hash.update(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json')))
  return hash.digest('hex').slice(0, 16)
}

// ---------------------------------------------------------------------------------------------

/** Test databases' names start with TEST_DATABASE_PREFIX (default openpep_test). */
function namePrefix(): string {
  const prefix = process.env.TEST_DATABASE_PREFIX ?? 'openpep_test'
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) throw new Error('TEST_DATABASE_PREFIX: a-z, 0-9, _')
  return prefix
}

/**
 * The migration makes `openpep_app` without a login (production gives it one, with a password);
 * the tests' server lets it log in (trust, as .ci/run sets the server up).
 */
async function allowAppRoleToLogIn(db: DatabaseHandle['db']): Promise<void> {
  // Only when needed: two runs altering the role at once can fail ("tuple concurrently updated").
  const { rows } = await sql<{ login: boolean }>`
    select rolcanlogin as login from pg_roles where rolname = 'openpep_app'`.execute(db)
  if (rows[0] && !rows[0].login) await sql`alter role openpep_app login`.execute(db)
}

function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`
}
