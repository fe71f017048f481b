import { describe, expect, it } from 'vitest'
import { redactUrl } from './logging.ts'

describe('logged addresses', () => {
  it('never carry the token of an emailed link', () => {
    expect(redactUrl('/account/invitation/abcDEF123_-xyz')).toBe('/account/invitation/[redacted]')
    expect(redactUrl('/account/reset-password/abc?x=1')).toBe(
      '/account/reset-password/[redacted]?x=1',
    )
    expect(redactUrl('/children/123/notes')).toBe('/children/123/notes')
  })
})
