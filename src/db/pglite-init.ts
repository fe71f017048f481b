import { openDatabase } from './connection.ts'

/*
 * Makes a new embedded database's data directory and exits: `node src/db/pglite-init.ts <dir>`,
 * run by openMigratedDatabase (open.ts) in a process of its own. PGlite's initdb grows its
 * WebAssembly memory to about 500 MB, which an instance never gives back; made here, the
 * server's own instance opens the finished directory and stays about 300 MB smaller.
 */
const dir = process.argv[2]
if (!dir) throw new Error('Give the data directory to make')
const maker = await openDatabase({ pgliteDir: dir })
await maker.close()
