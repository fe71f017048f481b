import { loadConfig } from '../config.ts'
import { systemClock } from '../domain/clock.ts'
import { openMigratedDatabase } from './open.ts'
import { seedDemo } from './seed.ts'

/* `npm run db:migrate` and `npm run db:seed`. */
const command = process.argv[2]
const config = loadConfig()
const handle = await openMigratedDatabase(config)
try {
  if (command === 'migrate') {
    console.log(`Database is up to date (${handle.kind}).`)
  } else if (command === 'seed') {
    const seeded = await seedDemo(handle.db, systemClock.now())
    console.log(
      seeded ? 'Seeded the demo authority.' : 'The demo authority is already there; nothing to do.',
    )
  } else {
    console.error('Usage: node src/db/cli.ts migrate|seed')
    process.exitCode = 2
  }
} finally {
  await handle.close()
}
