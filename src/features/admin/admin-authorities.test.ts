import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD, seedDemo } from '../../db/seed.ts'

/*
 * Each authority administers only itself (issue 13, ADR 9): two authorities, Harrowfield (HFD)
 * and Eastmere (EMR), each with its own administrator.
 */

let t: TestContext
let hfdAdmin: TestAgent
let emrAdmin: TestAgent
let hfd: string
let emr: string

async function createUser(email: string, roles: { authorityId: string; role: string }[]) {
  const hash = await t.database.db
    .selectFrom('app_user')
    .select('password_hash')
    .where('email', '=', 'social.worker@example.org')
    .executeTakeFirstOrThrow()
  const user = await t.database.db
    .insertInto('app_user')
    .values({
      email,
      display_name: email.split('@')[0]!.replace('.', ' '),
      password_hash: hash.password_hash,
      status: 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const r of roles)
    await t.database.db
      .insertInto('membership')
      .values({ user_id: user.id, authority_id: r.authorityId, role: r.role, school_id: null })
      .execute()
  return user.id
}

async function membershipId(userId: string, authorityId: string) {
  const row = await t.database.db
    .selectFrom('membership')
    .select('id')
    .where('user_id', '=', userId)
    .where('authority_id', '=', authorityId)
    .executeTakeFirstOrThrow()
  return row.id
}

async function status(userId: string) {
  const row = await t.database.db
    .selectFrom('app_user')
    .select(['status', 'mfa_secret'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  return row
}

const errorSummary = (body: string) =>
  /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? ''

beforeAll(async () => {
  t = await createTestApp()
  await seedDemo(t.database.db, t.clock.now())
  const authorities = await t.database.db.selectFrom('authority').select(['id', 'code']).execute()
  hfd = authorities.find((a) => a.code === 'HFD')!.id
  emr = authorities.find((a) => a.code === 'EMR')!.id
  hfdAdmin = new TestAgent(t.app)
  await hfdAdmin.signIn('vs.admin@example.org', DEMO_PASSWORD)
  emrAdmin = new TestAgent(t.app)
  await emrAdmin.signIn('eastmere.admin@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

describe('a person with no roles left', () => {
  it('stays in the authority’s list as "No roles", found by a filter, and can be deactivated', async () => {
    const id = await createUser('no.roles.left@example.org', [
      { authorityId: hfd, role: 'social_worker' },
    ])
    await hfdAdmin.get(`/admin/users/${id}`)
    const removed = await hfdAdmin.post(
      `/admin/users/${id}/roles/${await membershipId(id, hfd)}/remove`,
    )
    expect(removed.statusCode).toBe(303)

    const search = await hfdAdmin.get('/admin/users?q=no.roles.left')
    expect(search.body).toContain('Showing 1 to 1 of 1 users.')
    expect(search.body).toContain('No roles')
    const filtered = await hfdAdmin.get('/admin/users?role=none')
    expect(filtered.body).toContain('no.roles.left@example.org')
    expect(filtered.body).not.toContain('Robin Teacher')
    expect(filtered.body).toMatch(/<option value="none" selected>No roles<\/option>/)
    // Another authority never had them: they are not in its list.
    expect((await emrAdmin.get('/admin/users?q=no.roles.left')).body).toContain(
      'No users match your search.',
    )

    const page = await hfdAdmin.get(`/admin/users/${id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('No roles. They were in your authority')
    expect(page.body).toContain('Deactivate account')
    const deactivated = await hfdAdmin.post(`/admin/users/${id}/deactivate`)
    expect(deactivated.statusCode).toBe(303)
    expect((await status(id)).status).toBe('deactivated')
  })

  it('keeps a membership history: every role holder is a member of the role’s authority', async () => {
    const id = await createUser('history.kept@example.org', [{ authorityId: emr, role: 'carer' }])
    const rows = await t.database.db
      .selectFrom('authority_member')
      .select(['authority_id', 'joined_at'])
      .where('user_id', '=', id)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.authority_id).toBe(emr)
    expect(rows[0]!.joined_at).toBeInstanceOf(Date)
  })
})

describe('account-wide changes need the person to hold roles in no other authority', () => {
  it('refuses deactivating or resetting two-step verification of someone with roles elsewhere, and says so on the page', async () => {
    const id = await createUser('two.places@example.org', [
      { authorityId: hfd, role: 'social_worker' },
      { authorityId: emr, role: 'iro' },
    ])
    await t.database.db
      .updateTable('app_user')
      .set({ mfa_secret: 'SECRET', mfa_enabled_at: t.clock.now() })
      .where('id', '=', id)
      .execute()
    const page = await hfdAdmin.get(`/admin/users/${id}`)
    expect(page.body).toContain(
      'also has roles in another authority, so you cannot deactivate their account or reset their two-step verification. You can remove them from Harrowfield County Council by removing their roles below.',
    )
    expect(page.body).not.toContain('Deactivate account')
    expect(page.body).not.toContain('Reset two-step verification')
    // Only their Harrowfield role is shown.
    expect(page.body).toContain('Social worker')
    expect(page.body).not.toContain('Independent reviewing officer</td>')

    const deactivate = await hfdAdmin.post(`/admin/users/${id}/deactivate`)
    expect(deactivate.statusCode).toBe(400)
    expect(errorSummary(deactivate.body)).toContain(
      'You cannot deactivate two places’s account because they also have roles in another authority. You can remove their roles here instead.',
    )
    const reset = await hfdAdmin.post(`/admin/users/${id}/reset-two-step-verification`)
    expect(reset.statusCode).toBe(400)
    expect(errorSummary(reset.body)).toContain(
      'You cannot reset two places’s two-step verification because they also have roles in another authority.',
    )
    expect(await status(id)).toEqual({ status: 'active', mfa_secret: 'SECRET' })
    const refusals = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome', 'details'])
      .where('subject_user_id', '=', id)
      .where('outcome', '=', 'failure')
      .orderBy('action')
      .execute()
    expect(refusals.map((r) => [r.action, (r.details as { refused: string }).refused])).toEqual([
      ['admin.user.deactivate', 'roles-elsewhere'],
      ['admin.user.reset-mfa', 'roles-elsewhere'],
    ])

    // Each authority removes its own part; then the other may make account-wide changes.
    await hfdAdmin.get(`/admin/users/${id}`)
    expect(
      (await hfdAdmin.post(`/admin/users/${id}/roles/${await membershipId(id, hfd)}/remove`))
        .statusCode,
    ).toBe(303)
    const emrPage = await emrAdmin.get(`/admin/users/${id}`)
    expect(emrPage.body).toContain('Reset two-step verification')
    expect(emrPage.body).not.toContain('also has roles in another authority')
    expect((await emrAdmin.post(`/admin/users/${id}/reset-two-step-verification`)).statusCode).toBe(
      303,
    )
    await emrAdmin.get(`/admin/users/${id}`)
    expect((await emrAdmin.post(`/admin/users/${id}/deactivate`)).statusCode).toBe(303)
    expect(await status(id)).toEqual({ status: 'deactivated', mfa_secret: null })
    // Harrowfield still finds them (no roles) but may not reactivate: they hold a role elsewhere.
    const back = await hfdAdmin.post(`/admin/users/${id}/reactivate`)
    expect(back.statusCode).toBe(400)
    expect(errorSummary(back.body)).toContain('You cannot reactivate')
  })
})

describe('the activity log', () => {
  it('shows only events in the administrator’s authority, and account events only when the account is theirs alone', async () => {
    const both = await createUser('logged.twice@example.org', [
      { authorityId: hfd, role: 'social_worker' },
      { authorityId: emr, role: 'social_worker' },
    ])
    const one = await createUser('logged.once@example.org', [
      { authorityId: hfd, role: 'social_worker' },
    ])
    const event = (userId: string, authorityId: string | null, action: string) =>
      t.database.db
        .insertInto('audit_event')
        .values({
          occurred_at: t.clock.now(),
          user_id: userId,
          authority_id: authorityId,
          action,
          outcome: 'success',
        })
        .execute()
    for (const id of [both, one]) {
      await event(id, hfd, 'school.view')
      await event(id, emr, 'child.note.add')
      await event(id, null, 'account.password-changed')
    }
    // The events table only (the filter's list of actions names every action).
    const table = (body: string) => /<table[\s\S]*?<\/table>/.exec(body)?.[0] ?? ''
    const mixed = await hfdAdmin.get(`/admin/users/${both}/activity`)
    expect(mixed.statusCode).toBe(200)
    expect(table(mixed.body)).toContain('Viewed a school')
    expect(table(mixed.body)).not.toContain('Added a note')
    expect(table(mixed.body)).not.toContain('Changed their password')
    const emrView = await emrAdmin.get(`/admin/users/${both}/activity`)
    expect(table(emrView.body)).toContain('Added a note')
    expect(table(emrView.body)).not.toContain('Viewed a school')

    const alone = await hfdAdmin.get(`/admin/users/${one}/activity`)
    expect(table(alone.body)).toContain('Viewed a school')
    expect(table(alone.body)).toContain('Changed their password')
    expect(table(alone.body)).not.toContain('Added a note')
  })
})
