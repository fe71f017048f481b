import { describe, expect, it } from 'vitest'
import {
  checkNewPassword,
  isCommonPassword,
  PASSWORD_MESSAGES,
  passwordProblem,
} from './passwords.ts'

const EMAIL = 'sam.jones@example.org'

describe('passwordProblem', () => {
  it('asks for a password when there is none', () => {
    expect(passwordProblem('', EMAIL)).toBe(PASSWORD_MESSAGES.missing)
  })

  it('refuses 11 characters and accepts exactly 12', () => {
    expect(passwordProblem('kettle-plum', EMAIL)).toBe(PASSWORD_MESSAGES.tooShort)
    expect(passwordProblem('kettle-plums', EMAIL)).toBeNull()
  })

  it('counts characters as people see them', () => {
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(passwordProblem('🦊'.repeat(11), EMAIL)).toBe(PASSWORD_MESSAGES.tooShort)
    expect(passwordProblem('🦊'.repeat(12), EMAIL)).toBeNull()
  })

  it('accepts exactly 256 characters and refuses 257', () => {
    expect(passwordProblem('a1b2c3d4'.repeat(32), EMAIL)).toBeNull()
    expect(passwordProblem(`${'a1b2c3d4'.repeat(32)}x`, EMAIL)).toBe(PASSWORD_MESSAGES.tooLong)
  })

  it.each([
    'password1234',
    'Qwerty123456',
    'qwertyuiopas',
    'football2024',
    'aaaaaaaaaaaa',
    'PASSWORDPASSWORD',
  ])('refuses the common password %s whatever its case', (password) => {
    expect(passwordProblem(password, EMAIL)).toBe(PASSWORD_MESSAGES.common)
  })

  it('ships a list of a few thousand common passwords', () => {
    expect(isCommonPassword('iloveyou1234')).toBe(true)
    expect(isCommonPassword('tangerine-bicycle-river')).toBe(false)
  })

  it("refuses a password containing the email address's local part, in any case", () => {
    expect(passwordProblem('my-Sam.Jones-secret', EMAIL)).toBe(PASSWORD_MESSAGES.containsEmail)
    expect(passwordProblem('sam.jones@example.org', EMAIL)).toBe(PASSWORD_MESSAGES.containsEmail)
  })

  it('ignores a local part too short to mean anything', () => {
    expect(passwordProblem('alphabet-soup-kitchen', 'al@example.org')).toBeNull()
  })
})

describe('checkNewPassword', () => {
  it('needs the confirmation to match', () => {
    expect(checkNewPassword('kettle-plums', '', EMAIL)).toEqual({
      ok: false,
      fields: { confirmPassword: PASSWORD_MESSAGES.confirmMissing },
    })
    expect(checkNewPassword('kettle-plums', 'kettle-plumz', EMAIL)).toEqual({
      ok: false,
      fields: { confirmPassword: PASSWORD_MESSAGES.mismatch },
    })
    expect(checkNewPassword('kettle-plums', 'kettle-plums', EMAIL)).toEqual({
      ok: true,
      password: 'kettle-plums',
    })
  })

  it('reports the password rule before the confirmation, and copes with missing fields', () => {
    expect(checkNewPassword('short', 'other', EMAIL)).toEqual({
      ok: false,
      fields: { password: PASSWORD_MESSAGES.tooShort },
    })
    expect(checkNewPassword(undefined, undefined, EMAIL)).toEqual({
      ok: false,
      fields: { password: PASSWORD_MESSAGES.missing },
    })
  })
})
