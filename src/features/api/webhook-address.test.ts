import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addressKind,
  checkHost,
  postChecked,
  WebhookAddressRefused,
  type HostLookup,
} from './webhook.client.ts'
import { NOT_PUBLIC, readWebhookForm } from './webhooks.form.ts'

/*
 * Server-side request forgery (issue 22): which addresses a webhook may be sent to, at the edges
 * of each range, in IPv4, IPv6 and their mapped and odd spellings; the registration form's
 * refusal; and a send that connects to the address it checked, whatever the name resolves to next.
 */

/** A resolver the test controls: each name answers the addresses listed, in turn per call. */
function fakeLookup(answers: Record<string, string[][]>): HostLookup & { calls: string[] } {
  const calls: string[] = []
  const lookup = async (hostname: string) => {
    calls.push(hostname)
    const queue = answers[hostname]
    if (!queue?.length) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    const next = queue.length > 1 ? queue.shift()! : queue[0]!
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const)
  }
  return Object.assign(lookup, { calls })
}

describe('addressKind', () => {
  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255', // just below 10/8
    '11.0.0.0', // just above 10/8
    '172.15.255.255', // just below 172.16/12
    '172.32.0.0', // just above 172.16/12
    '192.167.255.255',
    '192.169.0.0',
    '100.63.255.255', // just below carrier-grade NAT
    '100.128.0.0', // just above it
    '169.253.255.255',
    '169.255.0.0',
    '2606:4700:4700::1111',
    '2a00:1450:4009:81f::200e',
  ])('%s is public', (address) => {
    expect(addressKind(address)).toBe('public')
  })

  it.each(['127.0.0.1', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1'])(
    '%s is loopback',
    (address) => {
      expect(addressKind(address)).toBe('loopback')
    },
  )

  it.each([
    '10.0.0.0',
    '10.0.0.5',
    '10.255.255.255',
    '172.16.0.0',
    '172.31.255.255',
    '192.168.0.0',
    '192.168.255.255',
    '169.254.0.0',
    '169.254.169.254', // cloud metadata
    '169.254.255.255',
    '100.64.0.0',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '224.0.0.1',
    '240.0.0.1',
    '192.0.2.1', // documentation
    '198.18.0.1', // benchmarking
    '::',
    '::ffff:10.0.0.5', // IPv4-mapped
    '::ffff:a00:5',
    '::ffff:169.254.169.254',
    '::ffff:192.168.1.1',
    '::10.0.0.5', // IPv4-compatible (deprecated)
    '::127.0.0.1',
    '64:ff9b::a00:5', // NAT64 of 10.0.0.5
    '2002:a00:5::', // 6to4 of 10.0.0.5
    '2001::a00:5', // Teredo
    '2001:db8::1', // documentation
    'fc00::',
    'fc00::1',
    'fd12:3456:789a::1',
    'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'fe80::',
    'fe80::1',
    'febf:ffff::1',
    'fec0::1', // site-local (deprecated)
    'ff02::1',
    '1000::1', // outside global unicast
    'not an address',
  ])('%s is not public', (address) => {
    expect(addressKind(address)).not.toBe('public')
  })
})

describe('checkHost', () => {
  const lookup = fakeLookup({
    'public.test': [['93.184.215.14', '2606:4700:4700::1111']],
    'internal.test': [['10.0.0.5']],
    'mixed.test': [['93.184.215.14', '192.168.1.10']],
    'mapped.test': [['::ffff:10.0.0.5']],
  })

  it('accepts a name whose every address is public', async () => {
    expect(await checkHost('public.test', { allowLoopback: false, lookup })).toMatchObject({
      ok: true,
    })
  })

  it('refuses a name with any address that is not public', async () => {
    for (const name of ['internal.test', 'mixed.test', 'mapped.test'])
      expect(await checkHost(name, { allowLoopback: false, lookup })).toEqual({
        ok: false,
        reason: 'not-public',
      })
  })

  it('says when a name resolves to nothing', async () => {
    expect(await checkHost('nowhere.test', { allowLoopback: false, lookup })).toEqual({
      ok: false,
      reason: 'not-found',
    })
  })

  it('checks an address written in the URL without resolving it', async () => {
    const none = fakeLookup({})
    expect(await checkHost('[::ffff:7f00:1]', { allowLoopback: false, lookup: none })).toEqual({
      ok: false,
      reason: 'not-public',
    })
    expect(await checkHost('[::ffff:7f00:1]', { allowLoopback: true, lookup: none })).toMatchObject(
      { ok: true },
    )
    expect(none.calls).toEqual([])
  })
})

describe('the registration form', () => {
  const lookup = fakeLookup({
    'hooks.public.test': [['93.184.215.14']],
    'metadata.test': [['169.254.169.254']],
    'rebinding.test': [['93.184.215.14', '10.0.0.5']],
  })
  const read = (url: string, allowLoopback = false) =>
    readWebhookForm({ url, events: 'pep.signed-off' }, ['pep.signed-off'], {
      allowLoopback,
      lookup,
    })

  it.each([
    'https://10.0.0.5/hooks',
    'https://172.16.0.1/',
    'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data',
    'https://127.0.0.1/',
    'https://2130706433/', // 127.0.0.1 in decimal
    'https://0x7f.1/', // in hex, shortened
    'https://0177.0.0.1/', // in octal
    'https://0xa000005/', // 10.0.0.5 in hex
    'https://167772165/', // 10.0.0.5 in decimal
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:10.0.0.5]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://0.0.0.0/',
    'https://localhost/',
    'https://api.localhost./',
    'https://metadata.test/',
    'https://rebinding.test/',
  ])('refuses %s, naming the field and keeping what was typed', async (url) => {
    const form = await read(url)
    expect(form.ok).toBe(false)
    if (form.ok) return
    expect(form.errors.list).toEqual([{ text: NOT_PUBLIC, href: '#url' }])
    expect(form.typed.url).toBe(url)
  })

  it('accepts a public address, and a name that resolves to public addresses only', async () => {
    expect((await read('https://93.184.215.14/hooks')).ok).toBe(true)
    expect((await read('https://[2606:4700:4700::1111]/hooks')).ok).toBe(true)
    expect((await read('https://hooks.public.test/openpep')).ok).toBe(true)
  })

  it('lets loopback through only with the test switch, and nothing else private', async () => {
    expect((await read('https://127.0.0.1/', true)).ok).toBe(true)
    expect((await read('http://localhost:8080/', true)).ok).toBe(true)
    expect((await read('https://10.0.0.5/', true)).ok).toBe(false)
    expect((await read('https://[fd00::1]/', true)).ok).toBe(false)
  })
})

describe('postChecked', () => {
  let server: Server
  let port = 0
  const hits: string[] = []

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(`${request.headers.host} ${request.url}`)
      request.resume()
      request.on('end', () => response.end('ok'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  const post = (url: string, allowLoopback: boolean, lookup?: HostLookup) =>
    postChecked(
      url,
      { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 5_000 },
      { allowLoopback, ...(lookup ? { lookup } : {}) },
    )

  it('connects to the address it checked, not to what the name resolves to next', async () => {
    // The system resolver knows nothing of receiver.test: an answer proves the socket used the
    // checked address, and the resolver was asked once.
    const lookup = fakeLookup({ 'receiver.test': [['127.0.0.1'], ['10.0.0.5']] })
    hits.length = 0
    expect(await post(`http://receiver.test:${port}/events`, true, lookup)).toBe(200)
    expect(hits).toEqual([`receiver.test:${port} /events`])
    expect(lookup.calls).toEqual(['receiver.test'])
    // The next resolution (a rebinding to a private address) is refused before any connection.
    await expect(post(`http://receiver.test:${port}/events`, true, lookup)).rejects.toThrow(
      WebhookAddressRefused,
    )
    expect(hits).toHaveLength(1)
  })

  it('refuses loopback unless the test switch is on', async () => {
    hits.length = 0
    await expect(post(`http://127.0.0.1:${port}/events`, false)).rejects.toThrow(
      'is not a public internet address',
    )
    await expect(post(`http://[::ffff:127.0.0.1]:${port}/events`, false)).rejects.toThrow(
      WebhookAddressRefused,
    )
    expect(hits).toEqual([])
    expect(await post(`http://127.0.0.1:${port}/events`, true)).toBe(200)
    expect(hits).toHaveLength(1)
  })
})
