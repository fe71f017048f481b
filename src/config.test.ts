import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

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
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@db/openpep',
      SESSION_SECRET: 'x'.repeat(32),
      SMTP_URL: 'smtp://mail.example.org',
    })
    expect(config.secureCookies).toBe(true)
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
})
