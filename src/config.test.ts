import { describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { loadConfig, sessionSecretWeakness } from './config.ts'

/** What production needs, with a session secret made as the README says. */
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u@db/openpep',
  SESSION_SECRET: randomBytes(48).toString('base64'),
  SMTP_URL: 'smtp://mail.example.org',
  BASE_URL: 'https://pep.example.org',
  TRUST_PROXY: 'loopback',
  MFA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
}

describe('configuration', () => {
  it('runs on embedded PGlite by default, with the demo seeded and the mailbox instead of SMTP', () => {
    const config = loadConfig({})
    expect(config.database).toEqual({ pgliteDir: './data/pglite' })
    expect(config.port).toBe(3000)
    expect(config.baseUrl).toBe('http://localhost:3000')
    expect(config.seedDemo).toBe(true)
    expect(config.smtpUrl).toBeUndefined()
    expect(config.secureCookies).toBe(false)
  })

  it('uses the server in DATABASE_URL, and the port in links when BASE_URL is not set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/openpep', PORT: '3005' })
    expect(config.database).toEqual({ url: 'postgres://u@db:5432/openpep' })
    expect(config.baseUrl).toBe('http://localhost:3005')
    expect(loadConfig({ BASE_URL: 'https://pep.example.org/' }).baseUrl).toBe(
      'https://pep.example.org',
    )
  })

  it('fails fast in production without a database, a session secret and SMTP, naming each', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL is required in production.*SESSION_SECRET is required in production.*SMTP_URL is required in production/,
    )
    // Set-up changed with issue 13: production now also needs a strong secret and BASE_URL.
    const config = loadConfig(PRODUCTION)
    expect(config.secureCookies).toBe(true)
  })

  it('refuses to start in production with the development secret or a weak one, naming SESSION_SECRET', () => {
    const weak = [
      'openpep-development-secret-not-for-production-use',
      'x'.repeat(32),
      'abcdefghijklmnopqrstuvwxyz0123456789',
      'Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3',
      'please-change-me-to-something-long-and-random',
      'my-super-secret-session-key-for-prod-2026!',
      '0123456789abcdef0123456789abcdef',
      'aB3$xY7!qW9@eR5#aB3$xY7!qW9@eR5#',
      randomBytes(12).toString('base64'),
      // Eight characters in sequence inside an otherwise random secret.
      '419320a580f99166331ce3a26d24234372eb6e0b94726013abcdefgh77e1',
    ]
    for (const secret of weak) {
      expect(sessionSecretWeakness(secret), secret).toBeDefined()
      expect(() => loadConfig({ ...PRODUCTION, SESSION_SECRET: secret }), secret).toThrow(
        /SESSION_SECRET (is the development secret|is too short|looks like a placeholder|has too little randomness)/,
      )
    }
    expect(() => loadConfig({ ...PRODUCTION, SESSION_SECRET: weak[0] })).toThrow(
      /SESSION_SECRET is the development secret, which is public: make one with `openssl rand -base64 48`/,
    )
    // A random hex secret may hold six or seven characters in sequence (CI once drew this one).
    expect(
      sessionSecretWeakness('419320a580f99166331ce3a26d24234372eb6e0b94726013d4ebf0abcdef77e1'),
    ).toBeUndefined()
    expect(
      sessionSecretWeakness('419320a580f99166331ce3a26d24234372eb6e0b94726013d4ebf0abcdefg7e1'),
    ).toBeUndefined()
    // Random secrets as people make them pass (hex of 32 bytes, base64 of 32 or 48 bytes).
    for (let i = 0; i < 200; i++) {
      for (const secret of [
        randomBytes(32).toString('hex'),
        randomBytes(32).toString('base64'),
        randomBytes(48).toString('base64'),
      ])
        expect(sessionSecretWeakness(secret), secret).toBeUndefined()
    }
    // Development and tests keep their fixed secret.
    expect(loadConfig({}).sessionSecret).toBe('openpep-development-secret-not-for-production-use')
  })

  it('requires BASE_URL in production, on https', () => {
    expect(() => loadConfig({ ...PRODUCTION, BASE_URL: undefined })).toThrow(
      /BASE_URL is required in production/,
    )
    expect(() => loadConfig({ ...PRODUCTION, BASE_URL: 'http://pep.example.org' })).toThrow(
      /BASE_URL must start with https:\/\/ in production/,
    )
    expect(loadConfig(PRODUCTION).baseUrl).toBe('https://pep.example.org')
  })

  it('migrates as the tables’ owner when MIGRATION_DATABASE_URL is set, on the same server', () => {
    expect(loadConfig({}).migrationDatabaseUrl).toBeUndefined()
    const config = loadConfig({
      DATABASE_URL: 'postgres://openpep_app@db/openpep',
      MIGRATION_DATABASE_URL: 'postgres://openpep_owner@db/openpep',
    })
    expect(config.database).toEqual({ url: 'postgres://openpep_app@db/openpep' })
    expect(config.migrationDatabaseUrl).toBe('postgres://openpep_owner@db/openpep')
    expect(() =>
      loadConfig({ MIGRATION_DATABASE_URL: 'postgres://openpep_owner@db/openpep' }),
    ).toThrow(/MIGRATION_DATABASE_URL needs DATABASE_URL too/)
  })

  it('runs the job queue unless JOBS=off', () => {
    expect(loadConfig({}).jobsEnabled).toBe(true)
    expect(loadConfig({ JOBS: 'off' }).jobsEnabled).toBe(false)
    expect(() => loadConfig({ JOBS: 'maybe' })).toThrow(/JOBS/)
  })

  it('refuses a port that is not a port, or a short session secret', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/)
  })

  it('trusts no proxy unless TRUST_PROXY says which: a hop count or addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback, ::1' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'loopback',
      '::1',
    ])
    for (const bad of ['true', 'yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.org', '1.5'])
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/)
  })

  it('requires TRUST_PROXY in production, whose cookies need the TLS proxy believed', () => {
    expect(() => loadConfig({ ...PRODUCTION, TRUST_PROXY: undefined })).toThrow(
      /TRUST_PROXY is required in production/,
    )
    expect(loadConfig(PRODUCTION).trustProxy).toEqual(['loopback'])
  })

  it('seeds the demo into the embedded database by default, on a server only with SEED_DEMO=yes, never in production', () => {
    expect(loadConfig({}).seedDemo).toBe(true)
    expect(loadConfig({ SEED_DEMO: 'never' }).seedDemo).toBe(false)
    const server = { DATABASE_URL: 'postgres://u@db/openpep' }
    expect(loadConfig(server).seedDemo).toBe(false)
    expect(loadConfig({ ...server, SEED_DEMO: 'auto' }).seedDemo).toBe(false)
    expect(loadConfig({ ...server, SEED_DEMO: 'yes' }).seedDemo).toBe(true)
    expect(loadConfig(PRODUCTION).seedDemo).toBe(false)
    expect(() => loadConfig({ ...PRODUCTION, SEED_DEMO: 'yes' })).toThrow(
      /SEED_DEMO cannot be yes in production/,
    )
    expect(() => loadConfig({ SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/)
  })
})
