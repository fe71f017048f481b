import pg from 'pg'

/** The app's database role (src/db/migrations/2026_11_30_1501_app_database_role.ts). */
export const APP_ROLE = 'openpep_app'

/** `serverUrl` with another database. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** `url` as another role (no password: the tests' server trusts local connections). */
export function asRole(url: string, role: string): string {
  const parsed = new URL(url)
  parsed.username = role
  parsed.password = ''
  return parsed.toString()
}

/** Runs one statement on its own connection (CREATE and DROP DATABASE cannot share one). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  serverUrl: string,
  statement: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    return (await client.query<R>(statement, values)).rows
  } finally {
    await client.end()
  }
}
