import { isIP } from 'node:net'
import { z } from 'zod'
import {
  developmentKeyring,
  parseMfaKeys,
  usesDevelopmentKey,
  type MfaKeyring,
} from './shared/secrets.ts'

/** Everything the app reads from the environment, validated once at start. */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.url().optional(),
    MIGRATION_DATABASE_URL: z.url().optional(),
    PGLITE_DIR: z.string().default('./data/pglite'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SMTP_URL: z.url().optional(),
    MAIL_FROM: z.string().default('OpenPEP <no-reply@openpep.invalid>'),
    BASE_URL: z.url().optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    SEED_DEMO: z.enum(['auto', 'never', 'yes']).default('auto'),
    OUTBOX_POLL_MS: z.coerce.number().int().min(100).default(5000),
    /** Webhooks to http://127.0.0.1 or http://localhost (tests and development; never production). */
    WEBHOOK_LOOPBACK_HTTP: z.enum(['allow', 'refuse']).default('refuse'),
    JOBS: z.enum(['on', 'off']).default('on'),
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((value, ctx) => {
        const trust = parseTrustProxy(value)
        if (trust === undefined) {
          ctx.addIssue({
            code: 'custom',
            message:
              'must be the number of reverse proxies in front of OpenPEP (like 1) or their addresses (like 10.0.0.5, 10.1.0.0/16 or loopback)',
          })
          return z.NEVER
        }
        return trust
      }),
    MFA_ENCRYPTION_KEYS: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    let mfaKeys: MfaKeyring | undefined
    if (env.MFA_ENCRYPTION_KEYS !== undefined) {
      try {
        mfaKeys = parseMfaKeys(env.MFA_ENCRYPTION_KEYS)
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['MFA_ENCRYPTION_KEYS'],
          message: (err as Error).message,
        })
      }
    }
    if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['MIGRATION_DATABASE_URL'],
        message: 'needs DATABASE_URL too (the same database, as the app’s role)',
      })
    if (env.NODE_ENV === 'production') {
      if (!env.DATABASE_URL)
        ctx.addIssue({
          code: 'custom',
          path: ['DATABASE_URL'],
          message: 'is required in production',
        })
      if (!env.SESSION_SECRET)
        ctx.addIssue({
          code: 'custom',
          path: ['SESSION_SECRET'],
          message: 'is required in production',
        })
      else {
        const weakness = sessionSecretWeakness(env.SESSION_SECRET)
        if (weakness) ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: weakness })
      }
      if (!env.BASE_URL)
        ctx.addIssue({
          code: 'custom',
          path: ['BASE_URL'],
          message: 'is required in production (the https:// address people use)',
        })
      else if (!env.BASE_URL.startsWith('https://'))
        ctx.addIssue({
          code: 'custom',
          path: ['BASE_URL'],
          message: 'must start with https:// in production',
        })
      if (!env.SMTP_URL)
        ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production' })
      if (env.SEED_DEMO === 'yes')
        ctx.addIssue({
          code: 'custom',
          path: ['SEED_DEMO'],
          message: 'cannot be yes in production: the demo is never seeded there',
        })
      // Production cookies are Secure; OpenPEP speaks HTTP behind a TLS proxy it must be told of.
      if (env.TRUST_PROXY === false)
        ctx.addIssue({
          code: 'custom',
          path: ['TRUST_PROXY'],
          message: 'is required in production (the TLS proxy in front of OpenPEP, like 1)',
        })
      if (env.MFA_ENCRYPTION_KEYS === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['MFA_ENCRYPTION_KEYS'],
          message:
            'is required in production (id:base64key, the key from `openssl rand -base64 32`)',
        })
      else if (mfaKeys && usesDevelopmentKey(mfaKeys))
        ctx.addIssue({
          code: 'custom',
          path: ['MFA_ENCRYPTION_KEYS'],
          message:
            'holds the development key, which is public: make one with `openssl rand -base64 32`',
        })
    }
  })

export type Env = z.infer<typeof schema>

export interface Config {
  env: Env['NODE_ENV']
  port: number
  host: string
  database: { url: string } | { pgliteDir: string }
  /** The same database as the role that owns the tables, for migrations; unset: DATABASE_URL's. */
  migrationDatabaseUrl: string | undefined
  sessionSecret: string
  smtpUrl: string | undefined
  mailFrom: string
  baseUrl: string
  logLevel: Env['LOG_LEVEL']
  seedDemo: boolean
  outboxPollMs: number
  /** A webhook may be sent to http://127.0.0.1 or localhost; otherwise HTTPS only. */
  webhookLoopbackHttp: boolean
  /** Run the job queue (reminders, escalations, term rollover) in this process. */
  jobsEnabled: boolean
  secureCookies: boolean
  /**
   * Which proxies' X-Forwarded-For and X-Forwarded-Proto to believe (Fastify's trustProxy): none
   * unless configured, so a client's own X-Forwarded-For never moves a rate limit or the address
   * in the audit trail.
   */
  trustProxy: TrustProxy
  /** Keys for authenticator secrets at rest: the first encrypts, all decrypt. */
  mfaKeys: MfaKeyring
}

/** `false` (trust no proxy), a number of hops, or the proxies' addresses and ranges. */
export type TrustProxy = false | number | string[]

/** The names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * TRUST_PROXY: unset, empty or 0 trusts no proxy; a whole number trusts that many hops; otherwise
 * a comma-separated list of addresses, CIDR ranges or range names. `true` (every hop) is refused:
 * it would believe whatever a client puts first in X-Forwarded-For. Undefined when unreadable.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | undefined {
  const text = value?.trim() ?? ''
  if (text === '' || text === '0') return false
  if (/^\d+$/.test(text)) return Number(text) <= 32 ? Number(text) : undefined
  const entries = text.split(',').map((e) => e.trim())
  const valid = entries.every((entry) => {
    if (PROXY_RANGE_NAMES.has(entry)) return true
    const [address = '', prefix, ...rest] = entry.split('/')
    const version = isIP(address)
    if (!version || rest.length) return false
    if (prefix === undefined) return true
    return /^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)
  })
  return valid ? entries : undefined
}

/** A fixed development secret keeps sessions valid across restarts of the demo; production must set its own. */
const DEVELOPMENT_SECRET = 'openpep-development-secret-not-for-production-use'

/** Words that mark a secret someone typed or copied from an example rather than generated. */
const PLACEHOLDER_WORDS = [
  'secret',
  'password',
  'changeme',
  'change-me',
  'change_me',
  'replace',
  'example',
  'default',
  'development',
  'openpep',
]

/**
 * Why a session secret is not good enough for production, or undefined when it is. Signed session
 * cookies are only as strong as this secret, so it must be random: at least 32 characters, about
 * 120 bits or more by its character frequencies, no run of 6 characters that repeat or count up
 * or down (aaaaaa, abcdef, 654321), no 8 characters that appear twice, and none of the words of an
 * example or a default (the development secret among them). A random secret passes all of these
 * but for about one in several thousand (a long run by chance): then make another.
 */
export function sessionSecretWeakness(secret: string): string | undefined {
  const advice = 'make one with `openssl rand -base64 48`'
  if (secret === DEVELOPMENT_SECRET) return `is the development secret, which is public: ${advice}`
  if (secret.length < 32) return `is too short (at least 32 characters): ${advice}`
  const lower = secret.toLowerCase()
  const word = PLACEHOLDER_WORDS.find((w) => lower.includes(w))
  if (word) return `looks like a placeholder or a known default (it contains "${word}"): ${advice}`
  const counts = new Map<string, number>()
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) bits -= n * Math.log2(n / secret.length)
  let run = 1
  let longestRun = 1
  for (let i = 2; i < secret.length; i++) {
    const step = secret.charCodeAt(i) - secret.charCodeAt(i - 1)
    const before = secret.charCodeAt(i - 1) - secret.charCodeAt(i - 2)
    run = Math.abs(step) <= 1 && step === before ? run + 1 : 1
    longestRun = Math.max(longestRun, run + 1)
  }
  const windows = new Set<string>()
  let repeats = false
  for (let i = 0; i + 8 <= secret.length && !repeats; i++) {
    const window = secret.slice(i, i + 8)
    repeats = windows.has(window)
    windows.add(window)
  }
  // A random 32-byte hex secret holds a run like "abcdef" about once in 60 tries; eight in a
  // row is a pattern someone typed.
  if (bits < 120 || longestRun >= 8 || repeats)
    return `has too little randomness (repeated or sequential characters): ${advice}`
  return undefined
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems}`)
  }
  const env = parsed.data
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: env.PGLITE_DIR },
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL,
    sessionSecret: env.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    baseUrl: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    // The embedded database seeds the demo by default; a server only when asked in so many words.
    seedDemo:
      env.NODE_ENV !== 'production' &&
      (env.SEED_DEMO === 'yes' || (env.SEED_DEMO === 'auto' && !env.DATABASE_URL)),
    outboxPollMs: env.OUTBOX_POLL_MS,
    webhookLoopbackHttp: env.NODE_ENV !== 'production' && env.WEBHOOK_LOOPBACK_HTTP === 'allow',
    jobsEnabled: env.JOBS === 'on',
    secureCookies: env.NODE_ENV === 'production',
    trustProxy: env.TRUST_PROXY,
    mfaKeys: env.MFA_ENCRYPTION_KEYS ? parseMfaKeys(env.MFA_ENCRYPTION_KEYS) : developmentKeyring(),
  }
}
