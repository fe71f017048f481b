import { describe, expect, it } from 'vitest'
import { checkIssuer, emailDomain, parseDomains } from './single-sign-on.ts'

describe('single sign-on rules', () => {
  it('reads the domain of an address', () => {
    expect(emailDomain('Ann.Smith@Kirklees.GOV.uk ')).toBe('kirklees.gov.uk')
    expect(emailDomain('no-domain')).toBeUndefined()
    expect(emailDomain('@example.org')).toBeUndefined()
  })

  it('takes an https issuer, or http on this machine only', () => {
    expect(checkIssuer('https://login.example.org/tenant/v2.0')).toEqual({
      ok: true,
      value: 'https://login.example.org/tenant/v2.0',
    })
    expect(checkIssuer('http://127.0.0.1:4000').ok).toBe(true)
    expect(checkIssuer('http://login.example.org')).toMatchObject({
      error: { code: 'sso.issuer.not-https' },
    })
    expect(checkIssuer('https://login.example.org/?tenant=1')).toMatchObject({
      error: { code: 'sso.issuer.not-url' },
    })
    expect(checkIssuer('not a url')).toMatchObject({ error: { code: 'sso.issuer.not-url' } })
    expect(checkIssuer(' ')).toMatchObject({ error: { code: 'sso.issuer.missing' } })
  })

  it('reads a list of domains: lower case, each once, a bad one named', () => {
    expect(parseDomains('Kirklees.gov.uk, @schools.kirklees.gov.uk\nkirklees.gov.uk')).toEqual({
      ok: true,
      value: ['kirklees.gov.uk', 'schools.kirklees.gov.uk'],
    })
    expect(parseDomains('  ')).toMatchObject({ error: { code: 'sso.domains.missing' } })
    expect(parseDomains('example.org, localhost')).toMatchObject({
      error: { code: 'sso.domains.invalid', params: { domain: 'localhost' } },
    })
    expect(parseDomains('bad_domain.org')).toMatchObject({ error: { code: 'sso.domains.invalid' } })
    const many = Array.from({ length: 21 }, (_, i) => `d${i}.example.org`).join(' ')
    expect(parseDomains(many)).toMatchObject({ error: { code: 'sso.domains.too-many' } })
  })
})
