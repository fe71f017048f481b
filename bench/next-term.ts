import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { nextTerm, termOf, termStart } from '../src/domain/terms.ts'
import { saveAuthoritySettings } from '../src/features/authority-settings/authority-settings.repository.ts'
import { bulkStartTerm } from '../src/jobs/bulk-start.ts'

/*
 * `node bench/next-term.ts <database-url>`: next term's PEP for every child in care, as the
 * bulk start job makes them on the first day of a term (src/jobs/bulk-start.ts), timed. It
 * writes the PEPs, so run it on a copy of the national database (bench/run.ts --next-term makes
 * one). Prints one line of JSON.
 */

const url = process.argv[2]
if (!url) throw new Error('usage: node bench/next-term.ts <database-url>')
const handle = await openDatabase({ url })
try {
  await migrateToLatest(handle.db)
  const term = nextTerm(termOf(new Date().toISOString().slice(0, 10)))
  const now = new Date(`${termStart(term)}T09:00:00Z`)
  for (const a of await handle.db.selectFrom('authority').select('id').execute())
    await saveAuthoritySettings(handle.db, a.id, { bulkStartNextTerm: true }, now)
  const inCare = await handle.db
    .selectFrom('child')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'in_care')
    .executeTakeFirstOrThrow()
  const started = performance.now()
  const result = await bulkStartTerm({ db: handle.db, now })
  const ms = performance.now() - started
  console.log(
    JSON.stringify({
      term: termStart(term),
      childrenInCare: Number(inCare.n),
      started: result.started,
      ms: Math.round(ms),
    }),
  )
} finally {
  await handle.close()
}
