import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import type { Role } from '../../domain/roles.ts'
import { OutboxRelay } from '../../email/relay.ts'
import { setSetting } from '../../shared/settings.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import {
  linkToChild,
  makeAuthority,
  makeChild,
  makeSchool,
  makeUser,
} from '../../testing/factories.ts'
import { startSmtpServer } from '../../testing/smtp.ts'
import { hashPassword } from '../../shared/passwords.ts'

/*
 * Inviting a carer to a child (issue 20), through HTTP and the real outbox relay to a real local
 * SMTP server: the social worker invites; the carer gets a single-use, expiring link naming no
 * child, sets their password and sees the child as their carer; a used, expired or withdrawn link
 * is refused with the "link expired" page; sending again gives a fresh link; a carer with an
 * account already is linked at once; every change is audited; and nobody else reaches the pages.
 */

const PASSWORD = 'carer-invite-2026'
const NEW_PASSWORD = 'lantern-orchard-pebble'
const DAY = 24 * 60 * 60_000
let t: TestContext
let smtp: Awaited<ReturnType<typeof startSmtpServer>>
let relay: OutboxRelay
let passwordHash: string
let authorityId: string
let otherAuthorityId: string
let schoolId: string
let childId: string
let otherChildId: string
let socialWorker: TestAgent
let socialWorkerId: string
let socialWorkerEmail: string

async function person(role: Role, authority: string, options: { schoolId?: string } = {}) {
  const email = `${role.replace(/_/g, '-')}.${Math.random().toString(36).slice(2, 10)}@example.org`
  // Their role makes them a member of the authority, as an accepted invitation does (ADR 9).
  const user = await makeUser(t.database.db, {
    email,
    displayName: `A ${role}`,
    passwordHash,
    role,
    authorityId: authority,
    schoolId: options.schoolId ?? null,
  })
  const agent = new TestAgent(t.app)
  await agent.signIn(email, PASSWORD)
  return { id: user.id, email, agent }
}

/** What the SMTP server received for an address, decoded from quoted-printable. */
function mailTo(address: string): string[] {
  return smtp.received
    .filter((m) => m.to.includes(address))
    .map((m) => m.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='))
}

/** The path of the link in the last email to an address, sent through SMTP. */
async function lastLinkTo(address: string): Promise<string> {
  await relay.sendDue()
  const mails = mailTo(address)
  const last = mails.at(-1) ?? ''
  const path = /http:\/\/localhost:3000(\/[^\s"<]+)/.exec(last)?.[1]
  if (!path) throw new Error(`no link emailed to ${address}`)
  return path
}

/** Posts a form as from a page of the service just seen (for its CSRF token). */
async function send(agent: TestAgent, url: string, form: Record<string, string> = {}) {
  await agent.get('/account')
  return agent.post(url, form)
}

const carersUrl = (child: string) => `/children/${child}/carers`
const inviteUrl = (child: string) => `/children/${child}/carers/invite`

async function invitationIdFor(email: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('carer_invitation')
    .select('id')
    .where('invited_email', '=', email)
    .orderBy('invited_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

beforeAll(async () => {
  smtp = await startSmtpServer()
  t = await createTestApp()
  const db = t.database.db
  await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
  relay = new OutboxRelay({
    db,
    clock: t.clock,
    log: pino({ level: 'silent' }),
    smtpUrl: smtp.url,
    from: 'OpenPEP <no-reply@example.org>',
    baseUrl: t.config.baseUrl,
  })
  passwordHash = await hashPassword(PASSWORD)
  const school = await makeSchool(db)
  authorityId = school.authorityId
  schoolId = school.schoolId
  otherAuthorityId = (await makeAuthority(db)).id
  const sw = await person('social_worker', authorityId)
  socialWorker = sw.agent
  socialWorkerId = sw.id
  socialWorkerEmail = sw.email
  childId = await makeChild(db, {
    authorityId,
    schoolId,
    firstName: 'Rowan',
    lastName: 'Invitee',
    recordOwnerId: sw.id,
    access: [{ userId: sw.id, capacity: 'social_worker' }],
  })
  otherChildId = await makeChild(db, { authorityId, firstName: 'Sky', lastName: 'Elsewhere' })
})
afterAll(async () => {
  await relay?.stop()
  await t?.close()
  await smtp?.close()
})

describe('inviting a carer', () => {
  it('checks the form, keeping what was typed, and says which field is wrong', async () => {
    const form = await socialWorker.get(inviteUrl(childId))
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('Invite a carer')
    const empty = await send(socialWorker, inviteUrl(childId), { name: '', email: '' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('<a href="#name">Enter the carer’s full name</a>')
    expect(empty.body).toContain('<a href="#email">Enter the carer’s email address</a>')
    const bad = await send(socialWorker, inviteUrl(childId), {
      name: 'Siân Ó Briain 🌼',
      email: 'not an email',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Enter an email address in the correct format')
    expect(bad.body).toContain('value="Siân Ó Briain 🌼"')
    expect(bad.body).toContain('value="not an email"')
  })

  it('titles the form with errors "Error: " once, as the layout puts it', async () => {
    const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1]
    expect(titleOf((await socialWorker.get(inviteUrl(childId))).body)).toMatch(/^Invite a carer – /)
    const empty = await send(socialWorker, inviteUrl(childId), { name: '', email: '' })
    expect(empty.statusCode).toBe(400)
    expect(titleOf(empty.body)).toMatch(/^Error: Invite a carer – /)
    const teacher = await person('designated_teacher', authorityId, { schoolId })
    await socialWorker.get(inviteUrl(childId))
    const refused = await send(socialWorker, inviteUrl(childId), {
      name: 'Not A Carer',
      email: teacher.email,
    })
    expect(refused.statusCode).toBe(400)
    expect(titleOf(refused.body)).toMatch(/^Error: Invite a carer – /)
  })

  it('emails a new carer a single-use link naming no child; setting a password links them to the child', async () => {
    const email = 'new.carer.one@example.org'
    const sent = await send(socialWorker, inviteUrl(childId), {
      name: 'Siân Ó Briain 🌼',
      email,
    })
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toBe(carersUrl(childId))
    const list = await socialWorker.get(carersUrl(childId))
    expect(list.body).toContain('We have emailed Siân Ó Briain 🌼 an invitation')
    expect(list.body).toContain('Siân Ó Briain 🌼')
    expect(list.body).toContain('Invited')

    const link = await lastLinkTo(email)
    expect(link).toMatch(/^\/account\/invitation\/[\w-]+$/)
    const [mail] = mailTo(email)
    expect(mail).toContain('Subject: You have been invited to OpenPEP')
    expect(mail).not.toContain('Rowan')
    expect(mail).not.toContain('Invitee')

    const carer = new TestAgent(t.app)
    expect((await carer.get(link)).statusCode).toBe(200)
    const done = await carer.post(link, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(done.statusCode).toBe(303)
    const home = await carer.get('/my-children')
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain('Rowan')
    expect(home.body).not.toContain('Sky')

    const db = t.database.db
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'status'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    expect(user.status).toBe('active')
    const place = await db
      .selectFrom('child_access')
      .select(['capacity', 'added_by', 'removed_at'])
      .where('child_id', '=', childId)
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(place).toEqual({ capacity: 'carer', added_by: socialWorkerId, removed_at: null })
    const actions = await db
      .selectFrom('audit_event')
      .select(['action', 'user_id', 'child_id'])
      .where('subject_user_id', '=', user.id)
      .where('action', 'in', ['child.carer.invite', 'child.access.add'])
      .orderBy('action')
      .execute()
    // The carer's place is audited as their own acceptance; the invitation as the social worker's.
    expect(actions).toEqual([
      { action: 'child.access.add', user_id: user.id, child_id: childId },
      { action: 'child.carer.invite', user_id: socialWorkerId, child_id: childId },
    ])
    expect((await socialWorker.get(carersUrl(childId))).body).toContain('Accepted')

    // Used once: the same link is refused with the clear page, for reading and for posting.
    const again = await new TestAgent(t.app).get(link)
    expect(again.statusCode).toBe(404)
    expect(again.body).toContain('This link has expired or has already been used')
    expect(again.body).toContain('ask the child’s social worker or the Virtual School')
  })

  it('refuses an expired link; sending again gives a fresh link and the earlier one stops working', async () => {
    const email = 'new.carer.two@example.org'
    await send(socialWorker, inviteUrl(childId), { name: 'Pat Later', email })
    const first = await lastLinkTo(email)
    t.clock.advance(7 * DAY + 60_000)
    // A week on, the social worker signs in afresh.
    socialWorker = new TestAgent(t.app)
    await socialWorker.signIn(socialWorkerEmail, PASSWORD)
    try {
      const expired = await new TestAgent(t.app).get(first)
      expect(expired.statusCode).toBe(404)
      expect(expired.body).toContain('This link has expired or has already been used')
      const list = await socialWorker.get(carersUrl(childId))
      expect(list.body).toContain('Link expired')
      const id = await invitationIdFor(email)
      const resent = await send(socialWorker, `/children/${childId}/carers/${id}/send-again`)
      expect(resent.statusCode).toBe(303)
      expect((await socialWorker.get(carersUrl(childId))).body).toContain(
        'We have sent Pat Later’s invitation again.',
      )
      const second = await lastLinkTo(email)
      expect(second).not.toBe(first)
      expect((await new TestAgent(t.app).get(second)).statusCode).toBe(200)
      expect((await new TestAgent(t.app).get(first)).statusCode).toBe(404)
      const audited = await t.database.db
        .selectFrom('audit_event')
        .select('action')
        .where('child_id', '=', childId)
        .where('action', '=', 'child.carer.invite-resent')
        .execute()
      expect(audited).toHaveLength(1)
    } finally {
      t.clock.set(new Date(t.clock.now().getTime() - 7 * DAY - 60_000))
      socialWorker = new TestAgent(t.app)
      await socialWorker.signIn(socialWorkerEmail, PASSWORD)
    }
  })

  it('withdraws an invitation: its link no longer works, and it cannot be withdrawn twice', async () => {
    const email = 'new.carer.three@example.org'
    await send(socialWorker, inviteUrl(childId), { name: 'Morgan Withdrawn', email })
    const link = await lastLinkTo(email)
    const id = await invitationIdFor(email)
    const withdrawn = await send(socialWorker, `/children/${childId}/carers/${id}/withdraw`)
    expect(withdrawn.statusCode).toBe(303)
    const list = await socialWorker.get(carersUrl(childId))
    expect(list.body).toContain('Morgan Withdrawn’s invitation has been withdrawn.')
    expect(list.body).toContain('Withdrawn')
    const refused = await new TestAgent(t.app).get(link)
    expect(refused.statusCode).toBe(404)
    expect(refused.body).toContain('This link has expired or has already been used')
    expect(
      (await send(socialWorker, `/children/${childId}/carers/${id}/withdraw`)).statusCode,
    ).toBe(404)
    expect(
      (await send(socialWorker, `/children/${childId}/carers/${id}/send-again`)).statusCode,
    ).toBe(404)
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('child_id', '=', childId)
      .where('action', '=', 'child.carer.invite-withdrawn')
      .execute()
    expect(audited).toHaveLength(1)
  })

  it('links a carer of the authority at once and emails them to sign in, naming no child', async () => {
    const carer = await person('carer', authorityId)
    await socialWorker.get(inviteUrl(childId))
    const sent = await send(socialWorker, inviteUrl(childId), {
      name: 'Existing Carer',
      email: carer.email,
    })
    expect(sent.statusCode).toBe(303)
    expect((await socialWorker.get(carersUrl(childId))).body).toContain(
      'Existing Carer can now see this child’s PEPs.',
    )
    expect((await carer.agent.get('/my-children')).body).toContain('Rowan')
    const link = await lastLinkTo(carer.email)
    expect(link).toBe('/sign-in')
    const mail = mailTo(carer.email).join('\n')
    expect(mail).not.toContain('Rowan')
    // Inviting them again is refused: they see the child already.
    const again = await send(socialWorker, inviteUrl(childId), {
      name: 'Existing Carer',
      email: carer.email,
    })
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('This carer can already see this child’s PEPs')
  })

  it('refuses a staff member’s address and a second invitation to the same carer', async () => {
    const teacher = await person('designated_teacher', authorityId, { schoolId })
    await socialWorker.get(inviteUrl(childId))
    const staff = await send(socialWorker, inviteUrl(childId), {
      name: 'Not A Carer',
      email: teacher.email,
    })
    expect(staff.statusCode).toBe(400)
    expect(staff.body).toContain('<a href="#email">This email address belongs to an account')
    const email = 'new.carer.four@example.org'
    expect(
      (await send(socialWorker, inviteUrl(childId), { name: 'Twice Asked', email })).statusCode,
    ).toBe(303)
    await socialWorker.get(inviteUrl(childId))
    const twice = await send(socialWorker, inviteUrl(childId), { name: 'Twice Asked', email })
    expect(twice.statusCode).toBe(400)
    expect(twice.body).toContain('This carer has been invited already')
  })
})

describe('who may reach the carers pages', () => {
  it('answers 404, without the child’s name, to everyone but the social worker and the Virtual School', async () => {
    const pendingId = await invitationIdFor('new.carer.four@example.org')
    const vs = await person('vs_consultant', authorityId)
    expect((await vs.agent.get(carersUrl(childId))).statusCode).toBe(200)
    const db = t.database.db
    const childCarer = await person('carer', authorityId)
    await linkToChild(db, { childId, userId: childCarer.id, capacity: 'carer' })
    const otherCarer = await person('carer', authorityId)
    await linkToChild(db, { childId: otherChildId, userId: otherCarer.id, capacity: 'carer' })
    const teacher = await person('designated_teacher', authorityId, { schoolId })
    await linkToChild(db, { childId, userId: teacher.id, capacity: 'designated_teacher' })
    const youngPerson = await person('young_person', authorityId)
    await linkToChild(db, { childId, userId: youngPerson.id, capacity: 'young_person' })
    const otherAuthority = await person('vs_admin', otherAuthorityId)
    for (const who of [otherAuthority, otherCarer, childCarer, youngPerson, teacher]) {
      for (const url of [carersUrl(childId), inviteUrl(childId)]) {
        const page = await who.agent.get(url)
        expect(page.statusCode, url).toBe(404)
        expect(page.body).not.toContain('Rowan')
      }
      await who.agent.get('/')
      for (const url of [
        inviteUrl(childId),
        `/children/${childId}/carers/${pendingId}/withdraw`,
        `/children/${childId}/carers/${pendingId}/send-again`,
      ]) {
        const post = await send(who.agent, url, { name: 'X', email: 'x@example.org' })
        expect(post.statusCode, url).toBe(404)
        expect(post.body).not.toContain('Rowan')
      }
    }
    const still = await t.database.db
      .selectFrom('carer_invitation')
      .select(['withdrawn_at'])
      .where('id', '=', pendingId)
      .executeTakeFirstOrThrow()
    expect(still.withdrawn_at).toBeNull()
  })
})
