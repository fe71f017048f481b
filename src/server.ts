import { setTimeout as delay } from 'node:timers/promises'
import { loadConfig } from './config.ts'
import { buildApp } from './app.ts'
import { systemClock } from './domain/clock.ts'
import { appOwnsAuditTrail, openMigratedDatabase } from './db/open.ts'
import {
  demoRefusedInProduction,
  isSeeded,
  seedDemo,
  DEMO_PASSWORD,
  DEMO_USERS,
  SEED_MESSAGES,
} from './db/seed.ts'
import { OutboxRelay } from './email/relay.ts'
import { startWebhookSender } from './features/api/webhooks.service.ts'
import { JobQueue } from './jobs/queue.ts'
import { ROLE_NAMES } from './domain/roles.ts'
import { paths } from './paths.ts'
import { getSetting } from './shared/settings.ts'
import { encryptStoredMfaSecrets } from './shared/secrets.ts'
import { rotateProviderSecrets } from './features/sso/providers.service.ts'
import { keepMissingPdfs } from './features/peps/pep-pdf.service.ts'

/** How long after listen the job queue starts (its jobs are daily; see below). */
const JOB_QUEUE_DELAY_MS = 10_000

const startedAt = performance.now()
const config = loadConfig()
const database = await openMigratedDatabase(config)
const clock = systemClock
// Authenticator secrets stored plain (before encryption at rest) or under an older key are
// brought under the current key of MFA_ENCRYPTION_KEYS.
const mfaSecrets = await encryptStoredMfaSecrets(database.db, config.mfaKeys)
// So are single sign-on providers' client secrets (ADR 14).
const providerSecrets = await rotateProviderSecrets(database.db, config.mfaKeys)

// The demo is seeded only into an empty embedded database by default, or on a server when
// SEED_DEMO=yes; never in production, and never next to other data (config.ts, db/seed.ts).
if (config.seedDemo) {
  const outcome = await seedDemo(database.db, clock.now())
  if (outcome === 'holds-data') console.log(SEED_MESSAGES[outcome])
}
const refusal = await demoRefusedInProduction(database.db, config.env)
if (refusal) {
  await database.close()
  throw new Error(refusal)
}
const demo = config.env !== 'production' && (await isSeeded(database.db))

const app = await buildApp({ config, db: database.db, clock, demo })
const relay = new OutboxRelay({
  db: database.db,
  clock,
  log: app.log,
  smtpUrl: config.smtpUrl,
  from: config.mailFrom,
  baseUrl: config.baseUrl,
})

if (mfaSecrets.encrypted + mfaSecrets.rotated + mfaSecrets.unreadable > 0)
  app.log.info(mfaSecrets, 'authenticator secrets brought under the current encryption key')
if (providerSecrets.rotated + providerSecrets.unreadable > 0)
  app.log.info(providerSecrets, 'single sign-on client secrets brought under the current key')
await app.listen({ port: config.port, host: config.host })
relay.start(config.outboxPollMs)
const stopWebhooks = startWebhookSender({
  db: database.db,
  clock,
  keyring: config.mfaKeys,
  everyMs: config.outboxPollMs,
  log: app.log,
  allowLoopback: config.webhookLoopbackHttp,
})
// The job queue starts a few seconds after listen, so the first pages never wait for it: its
// start (pg-boss's import, schema check, queues and schedules) is tens of statements, which on
// PGlite run on the app's one connection, and begun at listen the first page was served after it.
// A failure to start is logged, and pages still work (JobQueue.startLater).
const jobs = config.jobsEnabled
  ? new JobQueue({ database, clock, baseUrl: config.baseUrl, log: app.log })
  : undefined
void jobs?.startLater(delay(JOB_QUEUE_DELAY_MS, undefined, { ref: false }))
// The demo's signed-off PEPs get the PDF sign-off keeps, made after listen (about 0.1-0.5 s
// each) so the first page never waits, once: later starts find them kept.
if (demo)
  void keepMissingPdfs(database.db, clock.now()).catch((err: unknown) =>
    app.log.error({ err }, 'the demo’s PEP PDFs were not made'),
  )

// Registered before the start-up lines below (which await the database), so a signal that
// arrives after "ready" closes the app cleanly instead of killing it.
let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  app.log.info({ signal }, 'shutting down')
  try {
    await app.close()
    await relay.stop()
    await stopWebhooks()
    await jobs?.stop()
  } finally {
    await database.close()
  }
}
process.once('SIGINT', () => void shutdown('SIGINT'))
process.once('SIGTERM', () => void shutdown('SIGTERM'))

// What the console says once the app is ready. A signal during it closes the database under
// these reads: that is a shutdown, not a failure.
async function printReady() {
  const where =
    'url' in config.database
      ? 'PostgreSQL server (DATABASE_URL)'
      : `embedded PGlite in ${config.database.pgliteDir}`
  console.log(
    `\nOpenPEP is running at ${config.baseUrl} on ${where}, ready in ${Math.round(performance.now() - startedAt)} ms.`,
  )
  if (demo) {
    console.log(`\nDemo sign-ins (fictional people; every password is "${DEMO_PASSWORD}"):`)
    for (const user of DEMO_USERS)
      console.log(`  ${ROLE_NAMES[user.role].padEnd(32)} ${user.email}`)
    console.log(
      '\nDemo accounts skip two-step verification, so every role can be tried without an authenticator app.',
    )
  }
  if (!(await getSetting(database.db, 'mfaRequiredForStaff'))) {
    console.log('\nTwo-step verification is OFF for staff (the installation setting).')
  }
  if (database.kind === 'postgres' && (await appOwnsAuditTrail(database.db)))
    console.log(
      '\nThe role in DATABASE_URL owns the tables, so the app could switch off the audit trail’s ' +
        'append-only trigger: run the app as openpep_app and migrate with MIGRATION_DATABASE_URL (README).',
    )
  if (!config.smtpUrl)
    console.log(
      `\nNo SMTP_URL set: email is kept in the development mailbox at ${config.baseUrl}${paths.devMailbox.list()}`,
    )
}
await printReady().catch((err: unknown) => {
  if (!stopping) throw err
})
