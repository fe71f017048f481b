import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { PASSWORD_MESSAGES } from '../../domain/passwords.ts'
import type { Role } from '../../domain/roles.ts'
import { setSetting } from '../../shared/settings.ts'
import { inviteUser } from './invitations.service.ts'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely'
import { remindAccounts, requestPasswordReset } from './account.service.ts'
import { emailKey } from '../auth/auth.service.ts'
import { SIGN_IN_MESSAGES } from '../auth/auth.presenter.ts'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
})
afterAll(() => t.close())

const MINUTE = 60_000
const HOUR = 60 * MINUTE

async function userRow(email: string) {
  return t.database.db
    .selectFrom('app_user')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
}

/** The path of the last link emailed to an address. */
async function lastLinkTo(email: string): Promise<string> {
  const rows = await t.database.db
    .selectFrom('outbox_email')
    .select('text_body')
    .where('to_address', '=', email)
    .orderBy('created_at', 'desc')
    .execute()
  const body = rows.map((r) => r.text_body).join('\n')
  const links = [...body.matchAll(/http:\/\/localhost:3000(\/\S+)/g)].map((m) => m[1])
  if (!links.length) throw new Error(`no link emailed to ${email}`)
  return links[0] ?? ''
}

async function emailsTo(email: string) {
  return t.database.db
    .selectFrom('outbox_email')
    .select(['subject', 'text_body'])
    .where('to_address', '=', email)
    .execute()
}

async function invite(email: string, role: Role) {
  const admin = await userRow('vs.admin@example.org')
  const authority = await t.database.db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  await inviteUser(t.database.db, {
    email,
    displayName: 'New Person',
    authorityId: authority.id,
    role,
    schoolId: null,
    invitedBy: { id: admin.id, displayName: 'Alex Admin', actingRole: 'vs_admin' },
    baseUrl: t.config.baseUrl,
    now: t.clock.now(),
  })
  return lastLinkTo(email)
}

const GOOD_PASSWORD = 'kettle-plums' // exactly 12 characters

describe('accepting an invitation', () => {
  it('sets the password (12 characters exactly), activates the account and signs a carer straight in; the link then stops working', async () => {
    const email = 'new.carer@example.org'
    const link = await invite(email, 'carer')
    expect(link).toMatch(/^\/account\/invitation\/[\w-]+$/)
    const agent = new TestAgent(t.app)
    const page = await agent.get(link)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h1 class="govuk-heading-l">Set your password</h1>')

    const short = await agent.post(link, {
      password: 'kettle-plum',
      confirmPassword: 'kettle-plum',
    })
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain(`<a href="#password">${PASSWORD_MESSAGES.tooShort}</a>`)
    expect(short.body).not.toContain('value="kettle-plum"')
    const common = await agent.post(link, {
      password: 'password1234',
      confirmPassword: 'password1234',
    })
    expect(common.body).toContain(PASSWORD_MESSAGES.common)
    const mine = await agent.post(link, {
      password: 'new.carer-is-me',
      confirmPassword: 'new.carer-is-me',
    })
    expect(mine.body).toContain(PASSWORD_MESSAGES.containsEmail)
    const mismatch = await agent.post(link, { password: GOOD_PASSWORD, confirmPassword: 'other' })
    expect(mismatch.body).toContain(`<a href="#confirmPassword">${PASSWORD_MESSAGES.mismatch}</a>`)

    const done = await agent.post(link, { password: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD })
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe('/')
    // Signed in: a carer's home is the children in their care (issue 20), none yet.
    expect((await agent.get('/')).headers.location).toBe('/my-children')
    expect((await agent.get('/my-children')).body).toContain('No children are shown to you yet')
    const user = await userRow(email)
    expect(user.status).toBe('active')
    expect(user.password_changed_at).toEqual(t.clock.now())
    expect(user.password_hash).toMatch(/^\$argon2id\$/)
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'path'])
      .where('subject_user_id', '=', user.id)
      .where('action', 'in', ['account.invitation-accepted', 'sign-in.success'])
      .execute()
    expect(audit.map((a) => a.action).sort()).toEqual([
      'account.invitation-accepted',
      'sign-in.success',
    ])
    expect(JSON.stringify(audit)).not.toContain(link.split('/').at(-1))

    const again = await new TestAgent(t.app).get(link)
    expect(again.statusCode).toBe(404)
    expect(again.body).toContain(
      'This link has expired or has already been used. Ask your Virtual School administrator to send a new invitation.',
    )
    const reused = await agent.post(link, {
      password: 'another-good-one',
      confirmPassword: 'another-good-one',
    })
    expect(reused.statusCode).toBe(404)
    expect((await new TestAgent(t.app).signIn(email, GOOD_PASSWORD)).statusCode).toBe(303)
  })

  it('takes staff straight to set up two-step verification when it is required', async () => {
    await setSetting(t.database.db, 'mfaRequiredForStaff', true, t.clock.now())
    try {
      const link = await invite('new.consultant@example.org', 'vs_consultant')
      const agent = new TestAgent(t.app)
      await agent.get(link)
      const done = await agent.post(link, {
        password: GOOD_PASSWORD,
        confirmPassword: GOOD_PASSWORD,
      })
      expect(done.headers.location).toBe('/account/two-step-verification')
      expect((await agent.get('/')).statusCode).toBe(302)
      expect((await agent.get('/account/two-step-verification')).statusCode).toBe(200)
    } finally {
      await setSetting(t.database.db, 'mfaRequiredForStaff', false, t.clock.now())
    }
  })

  it('refuses an unknown link, and an invitation after its 7 days', async () => {
    const unknown = await new TestAgent(t.app).get('/account/invitation/not-a-real-token')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.body).toContain('This link has expired or has already been used')
    const link = await invite('late.person@example.org', 'carer')
    t.clock.advance(7 * 24 * HOUR - 1)
    expect((await new TestAgent(t.app).get(link)).statusCode).toBe(200)
    t.clock.advance(1)
    expect((await new TestAgent(t.app).get(link)).statusCode).toBe(404)
  })
})

describe('forgotten password', () => {
  it('answers the same whether or not the address has an account, and emails only an account', async () => {
    const ask = async (email: string) => {
      const agent = new TestAgent(t.app)
      await agent.get('/account/forgotten-password')
      const response = await agent.post('/account/forgotten-password', { email })
      const page = await agent.get(response.headers.location as string)
      return { status: response.statusCode, location: response.headers.location, page: page.body }
    }
    const known = await ask('iro@example.org')
    const unknown = await ask('nobody.here@example.org')
    const strip = (s: string) => s.replace(/nonce="[^"]+"/g, '')
    expect(unknown.status).toBe(known.status)
    expect(unknown.location).toBe(known.location)
    expect(strip(unknown.page)).toBe(strip(known.page))
    expect(known.page).toContain('If there is an account for that address, we have sent a link')
    expect(await emailsTo('iro@example.org')).toHaveLength(1)
    expect(await emailsTo('nobody.here@example.org')).toHaveLength(0)
  })

  it('checks the address it is given and keeps what was typed', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/account/forgotten-password')
    const response = await agent.post('/account/forgotten-password', { email: 'not an email' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Enter an email address in the correct format')
    expect(response.body).toContain('value="not an email"')
  })

  it('resets the password once, unlocks the account and ends every other session', async () => {
    const email = 'young.person@example.org'
    const elsewhere = new TestAgent(t.app)
    await elsewhere.signIn(email, DEMO_PASSWORD)
    // A young person's home is their own page, where '/' sends them.
    expect((await elsewhere.get('/')).headers.location).toMatch(/^\/my-pep\//)
    await t.database.db
      .updateTable('app_user')
      .set({ failed_sign_ins: 3, locked_until: new Date(t.clock.now().getTime() + 10 * MINUTE) })
      .where('email', '=', email)
      .execute()

    const agent = new TestAgent(t.app)
    await agent.get('/account/forgotten-password')
    await agent.post('/account/forgotten-password', { email: 'Young.Person@example.org' })
    const link = await lastLinkTo(email)
    expect(link).toMatch(/^\/account\/reset-password\//)
    expect((await agent.get(link)).body).toContain('Reset your password')
    const done = await agent.post(link, {
      password: 'a-brand-new-secret',
      confirmPassword: 'a-brand-new-secret',
    })
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe('/sign-in?notice=password-reset')
    expect((await agent.get(done.headers.location as string)).body).toContain(
      SIGN_IN_MESSAGES.passwordReset,
    )

    const user = await userRow(email)
    expect(user.failed_sign_ins).toBe(0)
    expect(user.locked_until).toBeNull()
    expect((await elsewhere.get('/')).statusCode).toBe(302)
    const events = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_user_id', '=', user.id)
      .where('action', 'in', ['account.password-changed', 'account.password-reset-requested'])
      .execute()
    expect(events.map((e) => e.action).sort()).toEqual([
      'account.password-changed',
      'account.password-reset-requested',
    ])

    const reuse = await new TestAgent(t.app).get(link)
    expect(reuse.statusCode).toBe(404)
    expect(reuse.body).toContain('Links to reset a password work once, for 1 hour.')
    expect((await new TestAgent(t.app).signIn(email, 'a-brand-new-secret')).statusCode).toBe(303)
  })

  it('stops a reset link working after exactly 1 hour', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/account/forgotten-password')
    await agent.post('/account/forgotten-password', { email: 'carer@example.org' })
    const link = await lastLinkTo('carer@example.org')
    t.clock.advance(HOUR - 1)
    expect((await agent.get(link)).statusCode).toBe(200)
    t.clock.advance(1)
    const late = await agent.post(link, {
      password: 'a-brand-new-secret',
      confirmPassword: 'a-brand-new-secret',
    })
    expect(late.statusCode).toBe(404)
  })

  it('sends nothing to an account still waiting for its invitation', async () => {
    await invite('waiting@example.org', 'carer')
    const agent = new TestAgent(t.app)
    await agent.get('/account/forgotten-password')
    await agent.post('/account/forgotten-password', { email: 'waiting@example.org' })
    expect((await emailsTo('waiting@example.org')).map((e) => e.subject)).toEqual([
      'You have been invited to OpenPEP',
    ])
  })
})

describe('forgotten email address', () => {
  it('tells each address with an account, and shows the same page whatever was found', async () => {
    const agent = new TestAgent(t.app)
    expect((await agent.get('/account/forgotten-email')).body).toContain(
      'Up to 5, one on each line',
    )
    const response = await agent.post('/account/forgotten-email', {
      emails: 'someone.else@example.org\r\n  Vs.Head@example.org \r\n',
    })
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/account/forgotten-email/sent')
    expect((await agent.get('/account/forgotten-email/sent')).body).toContain(
      'If any of those addresses has an account, we have sent it an email saying so',
    )
    const sent = await emailsTo('vs.head@example.org')
    expect(sent.map((e) => e.subject)).toContain('Your OpenPEP account')
    expect(await emailsTo('someone.else@example.org')).toHaveLength(0)
  })

  it('takes up to 5 addresses, each in the right format, keeping what was typed', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/account/forgotten-email')
    const six = Array.from({ length: 6 }, (_, i) => `p${i}@example.org`).join('\n')
    const tooMany = await agent.post('/account/forgotten-email', { emails: six })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.body).toContain('<a href="#emails">Enter no more than 5 email addresses</a>')
    expect(tooMany.body).toContain('p5@example.org</textarea>')
    const bad = await agent.post('/account/forgotten-email', { emails: 'ok@example.org\nnope' })
    expect(bad.body).toContain('Enter an email address in the correct format')
    const none = await agent.post('/account/forgotten-email', { emails: '  ' })
    expect(none.body).toContain('Enter at least one email address')
    const five = Array.from({ length: 5 }, (_, i) => `p${i}@example.org`).join('\n')
    expect((await agent.post('/account/forgotten-email', { emails: five })).statusCode).toBe(303)
  })
})

describe('sessions', () => {
  it('signs out everywhere: every session of the user ends, and it is audited', async () => {
    const email = 'vs.admin@example.org'
    const here = new TestAgent(t.app)
    const there = new TestAgent(t.app)
    await here.signIn(email, DEMO_PASSWORD)
    await there.signIn(email, DEMO_PASSWORD)
    const someoneElse = new TestAgent(t.app)
    await someoneElse.signIn('vs.head@example.org', DEMO_PASSWORD)

    const account = await here.get('/account')
    expect(account.statusCode).toBe(200)
    expect(account.body).toContain('Sign out everywhere')
    const out = await here.post('/sign-out-everywhere')
    expect(out.statusCode).toBe(303)
    expect(out.headers.location).toBe('/sign-in?notice=everywhere')
    expect((await here.get(out.headers.location as string)).body).toContain(
      SIGN_IN_MESSAGES.signedOutEverywhere,
    )
    expect((await there.get('/')).statusCode).toBe(302)
    expect((await here.get('/')).statusCode).toBe(302)
    expect((await someoneElse.get('/')).statusCode).toBe(200)
    const user = await userRow(email)
    const left = await t.database.db
      .selectFrom('web_session')
      .select('sid')
      .where('user_id', '=', user.id)
      .execute()
    expect(left).toHaveLength(0)
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('user_id', '=', user.id)
      .where('action', '=', 'sign-out.everywhere')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('ends a session 12 hours after sign-in however busy it has been', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.consultant@example.org', DEMO_PASSWORD)
    // Busy all day: a request every 20 minutes keeps the idle timeout away.
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      t.clock.advance(20 * MINUTE)
      expect((await agent.get('/')).statusCode).toBe(200)
    }
    t.clock.advance(20 * MINUTE - 1)
    expect((await agent.get('/')).statusCode).toBe(200)
    t.clock.advance(1)
    const expired = await agent.get('/')
    expect(expired.statusCode).toBe(303)
    expect(expired.headers.location).toBe('/sign-in?notice=expired')
    expect((await agent.get('/sign-in?notice=expired')).body).toContain(
      'You were signed out after 12 hours',
    )
    expect((await agent.get('/')).statusCode).toBe(302)
    const user = await userRow('vs.consultant@example.org')
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('user_id', '=', user.id)
      .where('action', '=', 'session.expired')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('ends the sessions of a deactivated user at their next request', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('designated.person@example.org', DEMO_PASSWORD)
    expect((await agent.get('/')).statusCode).toBe(200)
    await t.database.db
      .updateTable('app_user')
      .set({ status: 'deactivated' })
      .where('email', '=', 'designated.person@example.org')
      .execute()
    expect((await agent.get('/')).statusCode).toBe(302)
  })

  it('changes a password with the current one, keeping this session and ending the others', async () => {
    const email = 'vs.head@example.org'
    const here = new TestAgent(t.app)
    const there = new TestAgent(t.app)
    await here.signIn(email, DEMO_PASSWORD)
    await there.signIn(email, DEMO_PASSWORD)
    expect((await here.get('/account')).body).toContain('href="/account/password"')
    expect((await here.get('/account/password')).statusCode).toBe(200)
    const wrong = await here.post('/account/password', {
      currentPassword: 'not-my-password',
      password: 'river-stone-candle',
      confirmPassword: 'river-stone-candle',
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.body).toContain(
      '<a href="#currentPassword">Your current password is not correct</a>',
    )
    const weak = await here.post('/account/password', {
      currentPassword: '',
      password: 'qwerty123456',
      confirmPassword: 'qwerty123456',
    })
    expect(weak.body).toContain('<a href="#currentPassword">Enter your current password</a>')
    expect(weak.body).toContain(PASSWORD_MESSAGES.common)
    const done = await here.post('/account/password', {
      currentPassword: DEMO_PASSWORD,
      password: 'river-stone-candle',
      confirmPassword: 'river-stone-candle',
    })
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe('/account')
    expect((await here.get('/account')).body).toContain('Your password has been changed')
    expect((await there.get('/')).statusCode).toBe(302)
    expect((await new TestAgent(t.app).signIn(email, 'river-stone-candle')).statusCode).toBe(303)
  })

  it('counts a wrong current password towards the lockout, audits it, and on the 5th locks the account and ends its sessions', async () => {
    const email = 'designated.teacher@example.org'
    const user = await userRow(email)
    const here = new TestAgent(t.app)
    const there = new TestAgent(t.app)
    await here.signIn(email, DEMO_PASSWORD)
    await there.signIn(email, DEMO_PASSWORD)
    const since = t.clock.now()
    const tryPassword = async (currentPassword: string) => {
      await here.get('/account/password')
      return here.post('/account/password', {
        currentPassword,
        password: 'river-stone-candle',
        confirmPassword: 'river-stone-candle',
      })
    }
    for (let i = 1; i <= 4; i++) {
      const wrong = await tryPassword(`not-my-password-${i}`)
      expect(wrong.statusCode).toBe(400)
      expect(wrong.body).toContain('Your current password is not correct')
      expect((await userRow(email)).failed_sign_ins).toBe(i)
    }
    const fifth = await tryPassword('not-my-password-5')
    expect(fifth.statusCode).toBe(303)
    expect(fifth.headers.location).toBe('/sign-in?notice=locked')
    expect((await userRow(email)).locked_until).toEqual(
      new Date(t.clock.now().getTime() + 15 * MINUTE),
    )
    const sessions = await t.database.db
      .selectFrom('web_session')
      .select('sid')
      .where('user_id', '=', user.id)
      .execute()
    expect(sessions).toEqual([])
    expect((await there.get('/')).statusCode).toBe(302)
    expect((await here.get('/sign-in?notice=locked')).body).toContain(SIGN_IN_MESSAGES.locked)
    const signIn = new TestAgent(t.app)
    await signIn.get('/sign-in')
    const refused = await signIn.post('/sign-in', { email, password: DEMO_PASSWORD })
    expect(refused.body).toContain(SIGN_IN_MESSAGES.locked)

    const events = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome', 'user_id', 'details'])
      .where('subject_user_id', '=', user.id)
      .where('occurred_at', '>=', since)
      .where('action', '=', 'account.password-change-failure')
      .execute()
    expect(events).toHaveLength(5)
    expect(events.every((e) => e.outcome === 'failure' && e.user_id === user.id)).toBe(true)
    expect(events.filter((e) => JSON.stringify(e.details).includes('lockedNow'))).toHaveLength(1)
    expect(JSON.stringify(events)).not.toContain('not-my-password')

    t.clock.advance(15 * MINUTE)
    await here.signIn(email, DEMO_PASSWORD)
    expect((await userRow(email)).failed_sign_ins).toBe(0)
  })
})

/** Records each statement's kind and first table, to compare the work of two requests. */
class StatementRecorder implements KyselyPlugin {
  readonly statements: string[] = []
  transformQuery(args: PluginTransformQueryArgs) {
    const table = /"kind":"IdentifierNode","name":"([^"]+)"/.exec(JSON.stringify(args.node))?.[1]
    this.statements.push(`${args.node.kind} ${table ?? ''}`)
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result
  }
}

describe('the same work whether or not an address has an account', () => {
  const request = {
    method: 'POST',
    path: '/account',
    ip: '192.0.2.1',
    userAgent: null,
    requestId: 'r',
  }
  const counts = async () => ({
    tokens: Number(
      (
        await t.database.db
          .selectFrom('account_token')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    emails: Number(
      (
        await t.database.db
          .selectFrom('outbox_email')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  })

  it('runs the same statements for a forgotten password, writing a link and an email only for an account', async () => {
    const run = async (email: string) => {
      const recorder = new StatementRecorder()
      const before = await counts()
      await requestPasswordReset(t.database.db.withPlugin(recorder), {
        email,
        baseUrl: 'http://localhost:3000',
        now: t.clock.now(),
        request,
      })
      const after = await counts()
      return {
        statements: recorder.statements,
        tokens: after.tokens - before.tokens,
        emails: after.emails - before.emails,
      }
    }
    const known = await run('auditor@example.org')
    const unknown = await run('no.account.here@example.org')
    expect(known.statements.length).toBeGreaterThan(3)
    expect(unknown.statements).toEqual(known.statements)
    expect([known.tokens, known.emails]).toEqual([1, 1])
    expect([unknown.tokens, unknown.emails]).toEqual([0, 0])
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select(['outcome', 'subject_user_id', 'details'])
      .where('action', '=', 'account.password-reset-requested')
      .where('subject_user_id', 'is', null)
      .execute()
    const mine = audited.filter(
      (e) =>
        (e.details as { emailKey?: string }).emailKey === emailKey('no.account.here@example.org'),
    )
    expect(mine).toHaveLength(1)
    expect(mine[0]?.outcome).toBe('failure')
    expect(JSON.stringify(audited)).not.toContain('no.account.here')
  })

  it('runs the same statements for a forgotten email address, emailing only an account', async () => {
    const run = async (email: string) => {
      const recorder = new StatementRecorder()
      const before = await counts()
      await remindAccounts(t.database.db.withPlugin(recorder), {
        emails: [email],
        baseUrl: 'http://localhost:3000',
        now: t.clock.now(),
        request,
      })
      return { statements: recorder.statements, emails: (await counts()).emails - before.emails }
    }
    const known = await run('auditor@example.org')
    const unknown = await run('no.account.either@example.org')
    expect(unknown.statements).toEqual(known.statements)
    expect([known.emails, unknown.emails]).toEqual([1, 0])
  })
})
