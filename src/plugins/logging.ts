import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from '../config.ts'

/** Links from emails carry a secret in their path; logs show the route, never the token. */
const SECRET_PATHS = /^(\/account\/(?:invitation|reset-password)\/)[^/?#]+/

export function redactUrl(url: string): string {
  return url.replace(SECRET_PATHS, '$1[redacted]')
}

/**
 * A URL as the log keeps it: the path, and of the query string only the names of its parameters.
 * Search and filter pages carry what was searched for (a child's name, a UPN, an email address) in
 * their query strings, and the log is no place for it.
 */
export function withoutQueryValues(url: string): string {
  const at = url.indexOf('?')
  if (at === -1) return url
  const names = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? ''
      return /^[\w.-]{1,40}$/.test(name) ? name : '…'
    })
  return `${url.slice(0, at)}?${names.map((name) => `${name}=…`).join('&')}`
}

/**
 * pino with request ids. Bodies are never logged, and anything that could carry a child's
 * details or a secret is redacted wherever it appears.
 */
export function loggerOptions(
  config: Config,
  /** Where the log goes instead of stdout (a test reads it); then tests log too. */
  stream?: { write(line: string): void },
): FastifyServerOptions['logger'] {
  return {
    level: config.env === 'test' && !stream ? 'silent' : config.logLevel,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: withoutQueryValues(redactUrl(request.url)),
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
