import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { makeChild } from '../../testing/factories.ts'

/*
 * Who a PEP meeting can invite (issue 15): everyone on the child's record who should be there,
 * not only its access list: the record's owner (the social worker), the designated teacher of
 * the current school, the carer and the IRO.
 */

let t: TestContext
let childId: string
const ids: Record<string, string> = {}
const agents: Record<string, TestAgent> = {}
const vs = () => agents['vs.consultant@example.org']!

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  const authority = await db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  // The designated teacher's school: they are on this child's record through the school alone.
  const teacher = await db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['membership.school_id'])
    .where('app_user.email', '=', 'designated.teacher@example.org')
    .where('membership.role', '=', 'designated_teacher')
    .executeTakeFirstOrThrow()
  for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute())
    ids[u.email] = u.id
  childId = await makeChild(db, {
    authorityId: authority.id,
    schoolId: teacher.school_id,
    firstName: 'Sky',
    lastName: 'Invitees',
    dateOfBirth: '2012-10-15',
    caseReference: 'HFD-INV-1',
    // The record's owner is its social worker, who is not on the access list.
    recordOwnerId: ids['social.worker@example.org']!,
    access: [
      { userId: ids['carer@example.org']!, capacity: 'carer' },
      { userId: ids['iro@example.org']!, capacity: 'iro' },
    ],
  })
  for (const email of ['vs.consultant@example.org', 'carer@example.org']) {
    agents[email] = new TestAgent(t.app)
    await agents[email].signIn(email, DEMO_PASSWORD)
  }
})
afterAll(() => t.close())

const startUrl = () => `/children/${childId}/peps/start`

describe('who a PEP meeting can invite', () => {
  it('offers the record’s owner, the current school’s designated teacher, the carer and the IRO', async () => {
    const page = await vs().get(startUrl())
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/Who to invite from the child(&#39;|')s record/)
    for (const email of [
      'social.worker@example.org',
      'designated.teacher@example.org',
      'carer@example.org',
      'iro@example.org',
    ])
      expect(page.body).toContain(`value="${ids[email]}"`)
    expect(page.body).toContain('Record owner: usually at every PEP meeting')
    expect(page.body).toMatch(/Designated teacher, [^<]+: usually at every PEP meeting/)
    expect(page.body).toContain('Carer: usually at every PEP meeting')
    expect(page.body).toContain('Independent reviewing officer: usually at every PEP meeting')
    // Someone with no place on the record is not offered.
    expect(page.body).not.toContain(`value="${ids['personal.advisor@example.org']}"`)
  })

  it('invites them: each is an invitee and is emailed the meeting', async () => {
    await vs().get(startUrl())
    const started = await vs().post(startUrl(), {
      term: '2026-autumn',
      'meetingOn-day': '2',
      'meetingOn-month': '12',
      'meetingOn-year': '2026',
      meetingTime: '14:30',
      invitees: [
        ids['social.worker@example.org']!,
        ids['designated.teacher@example.org']!,
        ids['carer@example.org']!,
        ids['iro@example.org']!,
      ],
    })
    expect(started.statusCode).toBe(303)
    const pepId = started.headers.location!.split('/').at(-1)!
    const invited = await t.database.db
      .selectFrom('pep_invitee')
      .select('user_id')
      .where('pep_id', '=', pepId)
      .execute()
    expect(invited.map((i) => i.user_id).sort()).toEqual(
      [
        ids['social.worker@example.org'],
        ids['designated.teacher@example.org'],
        ids['carer@example.org'],
        ids['iro@example.org'],
      ].sort(),
    )
    const emailed = await t.database.db
      .selectFrom('outbox_email')
      .select('to_address')
      .where('to_address', 'in', [
        'social.worker@example.org',
        'designated.teacher@example.org',
        'carer@example.org',
        'iro@example.org',
      ])
      .execute()
    expect(emailed).toHaveLength(4)
  })

  it('refuses someone who is not on the child’s record, inviting nobody', async () => {
    await vs().get(startUrl())
    const before = await t.database.db
      .selectFrom('pep')
      .select('id')
      .where('child_id', '=', childId)
      .execute()
    const refused = await vs().post(startUrl(), {
      term: '2027-spring',
      'meetingOn-day': '2',
      'meetingOn-month': '12',
      'meetingOn-year': '2026',
      meetingTime: '14:30',
      invitees: [ids['personal.advisor@example.org']!],
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('href="#invitees"')
    const after = await t.database.db
      .selectFrom('pep')
      .select('id')
      .where('child_id', '=', childId)
      .execute()
    expect(after).toHaveLength(before.length)
  })

  it('the carer, who may not start a PEP, is refused the form and its list of people', async () => {
    const carer = agents['carer@example.org']!
    const page = await carer.get(startUrl())
    expect([403, 404]).toContain(page.statusCode)
    expect(page.body).not.toContain(`value="${ids['iro@example.org']}"`)
  })
})
