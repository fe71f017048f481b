import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config.ts'

/**
 * pino with request ids. Bodies are never logged, and anything that could carry a child's
 * details or a secret is redacted wherever it appears.
 */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.env === 'test' ? 'silent' : config.logLevel,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.email',
        '*.firstName',
        '*.lastName',
        '*.dateOfBirth',
      ],
      censor: '[redacted]',
    },
  }
}
