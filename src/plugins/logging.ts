import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from '../config.ts'

/** Links from emails carry a secret in their path; logs show the route, never the token. */
const SECRET_PATHS = /^(\/account\/(?:invitation|reset-password)\/)[^/?#]+/

export function redactUrl(url: string): string {
  return url.replace(SECRET_PATHS, '$1[redacted]')
}

/**
 * pino with request ids. Bodies are never logged, and anything that could carry a child's
 * details or a secret is redacted wherever it appears.
 */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.env === 'test' ? 'silent' : config.logLevel,
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
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
