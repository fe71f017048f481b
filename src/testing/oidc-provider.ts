import { generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

/*
 * A real OpenID Connect provider (oidc-provider) on a local port, for the single sign-on tests
 * (ADR 14). Its login and consent pages are replaced by one step that signs in whoever the test
 * names (`signInAs`), with the amr and acr it chooses, so a test or a browser just follows the
 * redirects. Everything else (discovery, keys, authorisation, PKCE, tokens, userinfo, sign-out)
 * is the library's own.
 */

/** The acr the tests' provider may give a sign-in ("two factors were used"). */
export const TEST_ACR = 'urn:openpep:test:two-factor'

export interface TestAccount {
  email: string
  emailVerified: boolean
}

export interface TestClient {
  clientId: string
  clientSecret: string
  redirectUri: string
  postLogoutRedirectUri?: string
}

export interface TestIdentityProvider {
  issuer: string
  accounts: Map<string, TestAccount>
  /** Who the next visit to the provider signs in, and how. */
  signInAs(accountId: string, how?: { amr?: string[]; acr?: string }): void
  /** Changes the next token response as it leaves the provider (a token endpoint gone wrong). */
  tamperNextTokenResponse(
    change: (body: Record<string, unknown>) => Promise<Record<string, unknown>>,
  ): void
  /** Follows an authorisation URL through the provider, as a browser would, to the redirect back. */
  follow(authorizationUrl: string): Promise<URL>
  /** An ID token the provider issues to a client (the whole code flow, as that client). */
  idTokenFor(client: TestClient, accountId: string, nonce: string): Promise<string>
  close(): Promise<void>
}

export async function startIdentityProvider(clients: TestClient[]): Promise<TestIdentityProvider> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const accounts = new Map<string, TestAccount>()
  let next: { accountId: string; amr?: string[]; acr?: string } | undefined
  let tamper: ((body: Record<string, unknown>) => Promise<Record<string, unknown>>) | undefined

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [c.redirectUri],
      post_logout_redirect_uris: c.postLogoutRedirectUri ? [c.postLogoutRedirectUri] : [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: {
      keys: [
        { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' },
      ],
    },
    cookies: { keys: ['openpep-test-provider-cookie-key'] },
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      // As the big providers do: how the person signed in is in every ID token.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    acrValues: [TEST_ACR],
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id)
      if (!account) return undefined
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified,
        }),
      }
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  })

  /** The login and consent step: whoever the test named, with a grant for what was asked. */
  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res)
    if (!next) {
      res.statusCode = 500
      res.end('The test did not say who signs in')
      return
    }
    const { accountId, amr, acr } = next
    const clientId = String(details.params.client_id)
    const grant = new provider.Grant({ accountId, clientId })
    grant.addOIDCScope(String(details.params.scope))
    const grantId = await grant.save()
    await provider.interactionFinished(
      req,
      res,
      {
        login: { accountId, ...(amr ? { amr } : {}), ...(acr ? { acr } : {}) },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    )
  }

  /** The token endpoint, with the test's change to its answer when one is set. */
  async function tampered(req: IncomingMessage, res: ServerResponse, change: typeof tamper) {
    const chunks: Buffer[] = []
    const write = res.write.bind(res)
    const end = res.end.bind(res)
    res.write = ((chunk: Buffer | string) => {
      chunks.push(Buffer.from(chunk))
      return true
    }) as typeof res.write
    res.end = ((chunk?: Buffer | string) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk))
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      void change!(body).then((changed) => {
        const text = JSON.stringify(changed)
        res.setHeader('content-length', Buffer.byteLength(text))
        write(text)
        end()
      })
      return res
    }) as typeof res.end
    provider.callback()(req, res)
  }

  const handler = provider.callback()
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
      return
    }
    if (req.url === '/token' && req.method === 'POST' && tamper) {
      const change = tamper
      tamper = undefined
      void tampered(req, res, change)
      return
    }
    handler(req, res)
  })

  async function follow(authorizationUrl: string): Promise<URL> {
    const cookies = new Map<string, string>()
    let url = new URL(authorizationUrl)
    for (let hop = 0; hop < 10; hop++) {
      if (url.origin !== issuer) return url
      const response = await fetch(url, {
        redirect: 'manual',
        headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      })
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const eq = pair!.indexOf('=')
        cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1))
      }
      const location = response.headers.get('location')
      if (!location)
        throw new Error(`The provider answered ${response.status}: ${await response.text()}`)
      url = new URL(location, url)
    }
    throw new Error('Too many redirects at the provider')
  }

  async function idTokenFor(client: TestClient, accountId: string, nonce: string) {
    const verifier = 'v'.repeat(43) + Math.random().toString(36).slice(2)
    const { createHash } = await import('node:crypto')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const auth = new URL('/auth', issuer)
    auth.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      response_type: 'code',
      scope: 'openid email',
      nonce,
      state: 'other-client',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString()
    const saved = next
    next = { accountId }
    const back = await follow(auth.href)
    next = saved
    const code = back.searchParams.get('code')
    if (!code) throw new Error(`No code: ${back.href}`)
    const response = await fetch(new URL('/token', issuer), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
      }),
    })
    const body = (await response.json()) as { id_token?: string }
    if (!body.id_token) throw new Error(`No ID token: ${JSON.stringify(body)}`)
    return body.id_token
  }

  return {
    issuer,
    accounts,
    signInAs(accountId, how = {}) {
      next = { accountId, ...how }
    },
    tamperNextTokenResponse(change) {
      tamper = change
    },
    follow,
    idTokenFor,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
