import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createTestApp, type TestContext } from './app.ts'
import { TestAgent } from './agent.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'
import { makePep, makeUser } from './factories.ts'

/*
 * Hostile input, shared by the fuzz test files (src/fuzz/*.test.ts): every form route is posted
 * random and malicious values in every field it might read, by people allowed to use it. The
 * server may refuse them, but never with a 500.
 *
 * The routes are split by feature into several files (FUZZ_GROUPS), so Vitest runs them in
 * parallel and none comes near its timeout, and each file posts as each person in a test of its
 * own; `fuzzGroupOf` puts every POST route in exactly one group (src/fuzz/funding-schools.test.ts
 * checks every group has routes). Each route's values come from
 * a generator seeded by the person and the route, so a failure can be replayed alone.
 */

export interface FuzzWorld {
  t: TestContext
  childId: string
  userId: string
  pepId: string
}

/** The feature groups, one test file each, by the first part of the route's path. */
export const FUZZ_GROUPS = ['account', 'children', 'peps', 'admin', 'funding-schools'] as const
export type FuzzGroup = (typeof FUZZ_GROUPS)[number]

export function fuzzGroupOf(url: string): FuzzGroup {
  if (/^\/(children\/:childId\/peps|my-pep)\//.test(url)) return 'peps'
  if (/^\/(children|attendance)(\/|$)/.test(url)) {
    return url.includes('/funding/') ? 'funding-schools' : 'children'
  }
  if (/^\/(sign-in|account|tray)\//.test(url)) return 'account'
  if (url.startsWith('/admin/')) return 'admin'
  return 'funding-schools'
}

/** Every POST route the fuzzing posts to (signing out would end the agent's session). */
export function fuzzedRoutes(app: FastifyInstance) {
  return app.routeRules.filter((r) => r.method === 'POST' && !r.url.includes('sign-out'))
}

/** The demo, a PEP of a social worker's child still open for editing, and a user to change. */
export async function createFuzzWorld(): Promise<FuzzWorld> {
  const t = await createTestApp({ seed: 'demo' })
  const row = await t.database.db
    .selectFrom('child_access')
    .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
    .select(['child_access.child_id', 'child_access.user_id'])
    .where('app_user.email', '=', 'social.worker@example.org')
    .executeTakeFirstOrThrow()
  const childId = row.child_id
  // A PEP of that child still open for editing: started this term, no section complete.
  const pepId = await makePep(t.database.db, {
    childId,
    yearGroup: 'Y9',
    schoolId: null,
    changeOfSchool: true,
    startedOn: '2026-11-23',
    createdBy: null,
    at: t.clock.now(),
  })
  // A user the fuzzing may change freely.
  const authority = await t.database.db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const target = await makeUser(t.database.db, {
    email: 'fuzz.target@example.org',
    displayName: 'Fuzz Target',
    role: 'carer',
    authorityId: authority.id,
  })
  return { t, childId, userId: target.id, pepId }
}

/** A small deterministic generator, so a failure can be replayed. */
export function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

/** A seed for one person's posts to one route, the same every run. */
function seedFor(email: string, url: string): number {
  return createHash('sha256').update(`${email} ${url}`).digest().readUInt32BE(0) % 2 ** 31
}

export const NASTY = [
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

export function hostileForm(next: () => number): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {}
  for (const field of FIELDS) {
    if (next() < 0.3) continue
    const value = NASTY[Math.floor(next() * NASTY.length)]!
    form[field] = next() < 0.1 ? [value, value] : value
  }
  return form
}

/** PEP pages the fuzzing posts to, in turn: text, numbers, dates, choices, repeating groups. */
const PEP_PAGES = ['attendance', 'smart-targets', 'personal-information', 'pep-meeting']
/** Steps in a PEP's life the fuzzing posts to, in turn: each reads different fields. */
const TRANSITIONS_TO_FUZZ = ['delegate', 'reschedule-meeting', 'qa-return', 'retract']

/** The people who post: each file fuzzes its group as each of them, a test each. */
export const FUZZ_PEOPLE = ['vs.admin@example.org', 'social.worker@example.org'] as const

/**
 * Posts four rounds of hostile forms to each of the group's routes as one person (a Virtual
 * School administrator or a social worker); returns every answer of 500 or more.
 */
export async function fuzzGroup(
  world: FuzzWorld,
  group: FuzzGroup,
  email: (typeof FUZZ_PEOPLE)[number],
): Promise<string[]> {
  const posts = fuzzedRoutes(world.t.app).filter((r) => fuzzGroupOf(r.url) === group)
  if (posts.length === 0) throw new Error(`no POST route in the fuzz group ${group}`)
  const failures: string[] = []
  const agent = new TestAgent(world.t.app)
  await agent.signIn(email, DEMO_PASSWORD)
  for (const route of posts) {
    const next = random(seedFor(email, route.url))
    for (let round = 0; round < 4; round++) {
      const url = route.url
        .replace(':childId', world.childId)
        .replace(':userId', world.userId)
        .replace(':pepId', world.pepId)
        .replace(':pageId', PEP_PAGES[round % PEP_PAGES.length]!)
        .replace(':sectionId', 'A')
        .replace(':formType', 'secondary')
        .replace(':transition', TRANSITIONS_TO_FUZZ[round % TRANSITIONS_TO_FUZZ.length]!)
        .replace(/:[A-Za-z]+/g, 'not-an-id')
      await agent.get('/')
      const response = await agent.post(url, hostileForm(next))
      if (response.statusCode >= 500) failures.push(`${email} POST ${url}: ${response.statusCode}`)
    }
  }
  return failures
}
