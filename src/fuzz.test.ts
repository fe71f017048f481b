import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from './testing/app.ts'
import { TestAgent } from './testing/agent.ts'
import { DEMO_PASSWORD, seedDemo } from './db/seed.ts'

/*
 * Hostile input: every form route, posted random and malicious values in every field it might
 * read, by people allowed to use it. The server may refuse them, but never with a 500.
 */

let t: TestContext
let childId: string
let userId: string
let pepId: string
/** PEP pages the fuzzing posts to, in turn: text, numbers, dates, choices, repeating groups. */
const PEP_PAGES = ['attendance', 'smart-targets', 'personal-information', 'pep-meeting']
/** Steps in a PEP's life the fuzzing posts to, in turn: each reads different fields. */
const TRANSITIONS_TO_FUZZ = ['delegate', 'reschedule-meeting', 'qa-return', 'retract']

beforeAll(async () => {
  t = await createTestApp()
  await seedDemo(t.database.db, t.clock.now())
  const row = await t.database.db
    .selectFrom('child_access')
    .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
    .select(['child_access.child_id', 'child_access.user_id'])
    .where('app_user.email', '=', 'social.worker@example.org')
    .executeTakeFirstOrThrow()
  childId = row.child_id
  // A PEP of that child still open for editing: started this term, no section complete.
  const pep = await t.database.db
    .insertInto('pep')
    .values({
      child_id: childId,
      authority_id: (
        await t.database.db
          .selectFrom('child')
          .select('authority_id')
          .where('id', '=', childId)
          .executeTakeFirstOrThrow()
      ).authority_id,
      academic_year: 2026,
      term: 'autumn',
      form_type: 'secondary',
      template_version: 1,
      year_group: 'Y9',
      change_of_school: true,
      started_on: '2026-11-23',
      created_at: t.clock.now(),
      updated_at: t.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  pepId = pep.id
  // A user the fuzzing may change freely.
  const authority = await t.database.db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const target = await t.database.db
    .insertInto('app_user')
    .values({ email: 'fuzz.target@example.org', display_name: 'Fuzz Target' })
    .returning('id')
    .executeTakeFirstOrThrow()
  userId = target.id
  await t.database.db
    .insertInto('membership')
    .values({ user_id: userId, authority_id: authority.id, role: 'carer', school_id: null })
    .execute()
})
afterAll(() => t.close())

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

const NASTY = [
  '',
  ' ',
  '\u0000',
  "'; drop table child; --",
  '<script>alert(1)</script>',
  '{{ 7*7 }}',
  '${7*7}',
  '../../../etc/passwd',
  '😀'.repeat(500),
  'x'.repeat(100_000),
  '-1',
  '99999999999999999999',
  '1e309',
  'NaN',
  '2026-02-30',
  '00000000-0000-0000-0000-000000000000',
  'Gŵyl Dewi ŷ Ní Bhriain',
  '\r\n\r\n',
  '%00',
  'true',
]

const FIELDS = [
  'email',
  'password',
  'newPassword',
  'confirmPassword',
  'code',
  'recoveryCode',
  'name',
  'displayName',
  'role',
  'authority',
  'authorityId',
  'school',
  'schoolId',
  'person',
  'kind',
  'body',
  'title',
  'urn',
  'reason',
  'placement',
  'owner',
  'q',
  'movedOn-day',
  'movedOn-month',
  'movedOn-year',
  'changedOn-day',
  'changedOn-month',
  'changedOn-year',
  'ceasedOn-day',
  'ceasedOn-month',
  'ceasedOn-year',
  'from-day',
  'from-month',
  'from-year',
  'to-day',
  'to-month',
  'to-year',
  'action',
  'returnTo',
  'addresses',
  'membershipId',
  'childId',
  'capacity',
  'version',
  'firstName',
  'lastName',
  'dateOfBirth-day',
  // PEP pages and settings.
  'term',
  'meetingOn-day',
  'meetingOn-month',
  'meetingOn-year',
  'changeOfSchool',
  'mandatory',
  'attendance-percentage',
  'attendance-from-day',
  'attendance-from-month',
  'attendance-from-year',
  'targets--0--id',
  'targets--0--area',
  'targets--0--target',
  'targets--0--funding-amount',
  'targets--0--by-date-day',
  'targets--0--remove',
  'targets--25--target',
  'next-meeting-time',
  'next-meeting-date-day',
  'meeting-narrative',
  'preferred-name',
  'first-language',
  'comments',
  'reopen',
  'dueOn-day',
  'dueOn-month',
  'dueOn-year',
  'meetingTime',
  // Authority settings and closure days.
  'autumn-day',
  'autumn-month',
  'initialPepInitiateWorkingDays',
  'delegationDueDays',
  'delegationDueUnit',
  'remindersOn',
  'bsoCheck',
  'qaSamplePercent',
  'date-day',
  'date-month',
  'date-year',
  'description',
]

function hostileForm(next: () => number): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {}
  for (const field of FIELDS) {
    if (next() < 0.3) continue
    const value = NASTY[Math.floor(next() * NASTY.length)]!
    form[field] = next() < 0.1 ? [value, value] : value
  }
  return form
}

describe('hostile input', () => {
  it('never gets a 500 from any form route', async () => {
    const next = random(42)
    const posts = t.app.routeRules.filter((r) => r.method === 'POST' && !r.url.includes('sign-out'))
    expect(posts.length).toBeGreaterThan(5)
    const failures: string[] = []
    for (const email of ['vs.admin@example.org', 'social.worker@example.org']) {
      const agent = new TestAgent(t.app)
      await agent.signIn(email, DEMO_PASSWORD)
      for (const route of posts) {
        for (let round = 0; round < 4; round++) {
          const url = route.url
            .replace(':childId', childId)
            .replace(':userId', userId)
            .replace(':pepId', pepId)
            .replace(':pageId', PEP_PAGES[round % PEP_PAGES.length]!)
            .replace(':sectionId', 'A')
            .replace(':formType', 'secondary')
            .replace(':transition', TRANSITIONS_TO_FUZZ[round % TRANSITIONS_TO_FUZZ.length]!)
            .replace(/:[A-Za-z]+/g, 'not-an-id')
          await agent.get('/')
          const response = await agent.post(url, hostileForm(next))
          if (response.statusCode >= 500)
            failures.push(`${email} POST ${url}: ${response.statusCode}`)
        }
      }
    }
    expect(failures).toEqual([])
    // Every POST route, four rounds, as two people: about 30 s on a busy two-core machine.
  }, 120_000)
})

describe('what is accepted is stored exactly', () => {
  it('saves any hostile text in a PEP answer as typed, or refuses it with a message', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    const url = `/children/${childId}/peps/${pepId}/pages/pep-meeting`
    for (const value of NASTY) {
      const stored = await t.database.db
        .selectFrom('pep_page')
        .select(['version', 'answers'])
        .where('pep_id', '=', pepId)
        .where('page_id', '=', 'pep-meeting')
        .executeTakeFirst()
      await agent.get(url)
      const response = await agent.post(url, {
        version: String(stored?.version ?? 0),
        action: 'later',
        'meeting-narrative': value,
      })
      const after = await t.database.db
        .selectFrom('pep_page')
        .select('answers')
        .where('pep_id', '=', pepId)
        .where('page_id', '=', 'pep-meeting')
        .executeTakeFirst()
      if (response.statusCode === 303) {
        const expected = value.trim() === '' ? undefined : value
        expect(after?.answers['meeting-narrative'], JSON.stringify(value).slice(0, 40)).toBe(
          expected,
        )
      } else {
        expect(response.statusCode).toBe(400)
        expect(response.body).toContain('href="#meeting-narrative"')
        expect(after?.answers).toEqual(stored?.answers)
      }
    }
  })
})
