import { loadConfig } from '../config.ts'
import { systemClock } from '../domain/clock.ts'
import { openMigratedDatabase } from './open.ts'
import { SEED_MESSAGES, seedDemo } from './seed.ts'
import { keepMissingPdfs } from '../features/peps/pep-pdf.service.ts'

/* `npm run db:migrate` and `npm run db:seed`. */
const command = process.argv[2]
const config = loadConfig()
const handle = await openMigratedDatabase(config)
try {
  if (command === 'migrate') {
    console.log(`Database is up to date (${handle.kind}).`)
  } else if (command === 'seed') {
    if (config.env === 'production') {
      console.error('The demo is never seeded in production.')
      process.exitCode = 1
    } else {
      const outcome = await seedDemo(handle.db, systemClock.now())
      if (outcome === 'seeded') await keepMissingPdfs(handle.db, systemClock.now())
      console.log(SEED_MESSAGES[outcome])
      if (outcome === 'holds-data') process.exitCode = 1
    }
  } else {
    console.error('Usage: node src/db/cli.ts migrate|seed')
    process.exitCode = 2
  }
} finally {
  await handle.close()
}
