import { z } from 'zod'

/** Everything the app reads from the environment, validated once at start. */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.url().optional(),
    PGLITE_DIR: z.string().default('./data/pglite'),
    SESSION_SECRET: z.string().min(32).optional(),
    SMTP_URL: z.url().optional(),
    MAIL_FROM: z.string().default('OpenPEP <no-reply@openpep.invalid>'),
    BASE_URL: z.url().optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
    OUTBOX_POLL_MS: z.coerce.number().int().min(100).default(5000),
    JOBS: z.enum(['on', 'off']).default('on'),
  })
  .superRefine((env, ctx) => {
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
      if (!env.SMTP_URL)
        ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production' })
    }
  })

export type Env = z.infer<typeof schema>

export interface Config {
  env: Env['NODE_ENV']
  port: number
  host: string
  database: { url: string } | { pgliteDir: string }
  sessionSecret: string
  smtpUrl: string | undefined
  mailFrom: string
  baseUrl: string
  logLevel: Env['LOG_LEVEL']
  seedDemo: boolean
  outboxPollMs: number
  /** Run the job queue (reminders, escalations, term rollover) in this process. */
  jobsEnabled: boolean
  secureCookies: boolean
}

/** A fixed development secret keeps sessions valid across restarts of the demo; production must set its own. */
const DEVELOPMENT_SECRET = 'openpep-development-secret-not-for-production-use'

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
    sessionSecret: env.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    baseUrl: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    seedDemo: env.SEED_DEMO === 'auto',
    outboxPollMs: env.OUTBOX_POLL_MS,
    jobsEnabled: env.JOBS === 'on',
    secureCookies: env.NODE_ENV === 'production',
  }
}
