import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { hashPassword } from '../../shared/passwords.ts'
import { setSetting } from '../../shared/settings.ts'
import { giveRole, linkToChild, makeChild, makePep, makeUser } from '../../testing/factories.ts'
import { schoolContact, socialWorkerOf } from '../peps/peps.service.ts'
import { paths } from '../../paths.ts'
import type { Role } from '../../domain/roles.ts'
import { canAct } from '../../domain/permissions.ts'

/*
 * Access follows the relationship it rests on (ADR 8): for each change that ends a
 * relationship, and each role it touches, what the person can open of the child before and
 * after: the record and its history, the PEPs, a PEP's contents, a page and the whole PEP, its
 * PDF, the documents and notes, and the lists that name the child. Each case builds its own
 * people and child on the demo's authorities and schools.
 */

const PASSWORD = 'access-follows-2026'
let t: TestContext
let passwordHash: string
const authorities = new Map<string, string>()
const schools = new Map<string, string>()

type AuthorityCode = 'HFD' | 'EMR'
type SchoolKey = 'kingsmead' | 'oak' | 'college' | 'fenside'
const SCHOOL_URNS: Record<SchoolKey, string> = {
  oak: '990001',
  kingsmead: '990002',
  college: '990005',
  fenside: '990006',
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const db = t.database.db
  // Said here rather than left to the demo: these people sign in with a password alone.
  await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
  passwordHash = await hashPassword(PASSWORD)
  for (const a of await db.selectFrom('authority').select(['id', 'code']).execute())
    authorities.set(a.code, a.id)
  for (const [key, urn] of Object.entries(SCHOOL_URNS)) {
    const school = await db
      .selectFrom('school')
      .select('id')
      .where('urn', '=', urn)
      .executeTakeFirstOrThrow()
    schools.set(key, school.id)
  }
})
afterAll(() => t.close())

interface Person {
  id: string
  email: string
  label: string
  agent: TestAgent
  membership(role: Role, authority?: AuthorityCode): Promise<string>
}

/** A person holding the given roles (school staff at a school), signed in. */
async function person(
  label: string,
  roles: { role: Role; authority?: AuthorityCode; school?: SchoolKey }[],
): Promise<Person> {
  const db = t.database.db
  const email = `${label.replace(/\W+/g, '-').toLowerCase()}.${randomUUID().slice(0, 8)}@example.org`
  const user = await makeUser(db, { email, displayName: label, passwordHash })
  // Each role makes them a member of its authority, as an accepted invitation does (ADR 9).
  for (const r of roles)
    await giveRole(db, {
      userId: user.id,
      authorityId: authorities.get(r.authority ?? 'HFD')!,
      role: r.role,
      schoolId: r.school ? schools.get(r.school)! : null,
    })
  const agent = new TestAgent(t.app)
  // Sign-ins are limited to 20 a minute from one address: move the clock on a little for each.
  t.clock.advance(4_000)
  await agent.signIn(email, PASSWORD)
  return {
    id: user.id,
    email,
    label,
    agent,
    async membership(role, authority = 'HFD') {
      const row = await db
        .selectFrom('membership')
        .select('id')
        .where('user_id', '=', user.id)
        .where('role', '=', role)
        .where('authority_id', '=', authorities.get(authority)!)
        .executeTakeFirstOrThrow()
      return row.id
    },
  }
}

interface TestChild {
  id: string
  name: string
  pepId: string
  documentId: string
}

/** A child at a school, with a PEP (and its PDF), a document and a note. */
async function child(school: SchoolKey, authority: AuthorityCode = 'HFD'): Promise<TestChild> {
  const db = t.database.db
  const lastName = `Follows${randomUUID().slice(0, 6)}`
  const childId = await makeChild(db, {
    authorityId: authorities.get(authority)!,
    schoolId: schools.get(school)!,
    firstName: 'Robin',
    lastName,
    dateOfBirth: '2012-10-15',
    caseReference: `AF-${randomUUID().slice(0, 8)}`,
    placement: 'Foster care',
  })
  await db
    .insertInto('child_school')
    .values({ child_id: childId, school_id: schools.get(school)!, started_on: '2025-09-01' })
    .execute()
  const someone = await db.selectFrom('app_user').select('id').executeTakeFirstOrThrow()
  const at = new Date('2026-09-02T09:00:00Z')
  const pepId = await makePep(db, { childId, yearGroup: 'Y9', createdBy: someone.id, at })
  await db
    .insertInto('pep_pdf')
    .values({
      pep_id: pepId,
      content: Buffer.from('%PDF-1.4\n%%EOF\n'),
      sha256: 'x',
      created_at: at,
    })
    .execute()
  const document = await db
    .insertInto('child_document')
    .values({
      child_id: childId,
      title: 'Support plan',
      filename: 'plan.pdf',
      content_type: 'application/pdf',
      size_bytes: 15,
      sha256: 'x',
      content: Buffer.from('%PDF-1.4\n%%EOF\n'),
      uploaded_by: someone.id,
      uploaded_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('child_note')
    .values({
      child_id: childId,
      kind: 'case_note',
      body: 'A note',
      author_id: someone.id,
      created_at: at,
    })
    .execute()
  return { id: childId, name: `Robin ${lastName}`, pepId, documentId: document.id }
}

/** Puts someone on a child's list, as the service's own events do. */
async function place(c: TestChild, p: Person, capacity: Role) {
  await linkToChild(t.database.db, {
    childId: c.id,
    userId: p.id,
    capacity,
    addedAt: new Date('2026-09-01T09:00:00Z'),
  })
}

const SURFACES = [
  'record',
  'history',
  'peps',
  'pep',
  'pepPage',
  'pepRead',
  'pdf',
  'documents',
  'document',
  'notes',
  'attendance',
  'funding',
  'meetingRecord',
] as const
type Surface = (typeof SURFACES)[number]

/** What the person gets from each page about the child, and whether their home page names it. */
async function reach(p: Person, c: TestChild) {
  const urls: Record<Surface, string> = {
    record: paths.children.show(c.id),
    history: paths.children.history(c.id),
    peps: paths.peps.list(c.id),
    pep: paths.peps.contents(c.id, c.pepId),
    pepPage: paths.peps.page(c.id, c.pepId, 'personal-information'),
    pepRead: paths.peps.read(c.id, c.pepId),
    pdf: paths.peps.pdf(c.id, c.pepId),
    documents: paths.children.documents(c.id),
    document: paths.children.document(c.id, c.documentId),
    notes: paths.children.notes(c.id),
    attendance: paths.children.attendance(c.id),
    funding: paths.funding.child(c.id),
    meetingRecord: paths.peps.meetingRecord(c.id, c.pepId),
  }
  const status = {} as Record<Surface, number>
  for (const surface of SURFACES) {
    const response = await p.agent.get(urls[surface])
    // A young person is sent from a staff page to their own (issue 20): what they get is that.
    const location = String(response.headers.location ?? '')
    status[surface] =
      response.statusCode === 303 && location.startsWith('/my-pep/')
        ? (await p.agent.get(location.split('#')[0]!)).statusCode
        : response.statusCode
  }
  const home = await p.agent.get('/')
  if (home.statusCode !== 303) return { status, listed: home.body.includes(c.name) }
  // A young person's home is their own child's page (/my-pep/<child>), where '/' sends them; a
  // carer's is the list of the children in their care (/my-children), which names the child.
  const own = String(home.headers.location)
  const page = await p.agent.get(own)
  if (own.startsWith('/my-pep/'))
    return { status, listed: own.includes(c.id) && page.statusCode === 200 }
  return { status, listed: page.statusCode === 200 && page.body.includes(c.name) }
}

/** Everything open (staff), or at least the record (carer, young person), and the child listed. */
async function expectOpen(p: Person, c: TestChild, what = 'before') {
  const { status, listed } = await reach(p, c)
  expect(status.record, `${what}: the record`).toBe(200)
  expect(listed, `${what}: home lists the child`).toBe(true)
  return status
}

/** Every page answers 404, as for a child that does not exist, and no list names the child. */
async function expectClosed(p: Person, c: TestChild, what = 'after') {
  const { status, listed } = await reach(p, c)
  for (const surface of SURFACES) expect(status[surface], `${what}: ${surface}`).toBe(404)
  expect(listed, `${what}: home lists the child`).toBe(false)
}

async function liveCapacity(c: TestChild, p: Person) {
  const row = await t.database.db
    .selectFrom('child_access')
    .select('capacity')
    .where('child_id', '=', c.id)
    .where('user_id', '=', p.id)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return row?.capacity
}

/** The Virtual School's people who make the changes, signed in once for the file. */
const acting = new Map<string, Person>()
async function actor(role: Role, authority: AuthorityCode = 'HFD'): Promise<Person> {
  const key = `${role}:${authority}`
  if (!acting.has(key)) acting.set(key, await person(`acting-${role}`, [{ role, authority }]))
  return acting.get(key)!
}

const TODAY = { day: '23', month: '11', year: '2026' }
const dateFields = (prefix: string) => ({
  [`${prefix}-day`]: TODAY.day,
  [`${prefix}-month`]: TODAY.month,
  [`${prefix}-year`]: TODAY.year,
})

/** The changes that end relationships, made the way people make them: through the pages. */
const events = {
  async removeRole(p: Person, role: Role, authority: AuthorityCode = 'HFD') {
    const admin = await actor('vs_admin', authority)
    await admin.agent.get(paths.admin.user(p.id))
    const membershipId = await p.membership(role, authority)
    const response = await admin.agent.post(paths.admin.removeUserRole(p.id, membershipId))
    expect(response.statusCode, 'removing the role').toBe(303)
  },
  async deactivate(p: Person) {
    const admin = await actor('vs_admin')
    await admin.agent.get(paths.admin.user(p.id))
    const response = await admin.agent.post(paths.admin.deactivateUser(p.id))
    expect(response.statusCode, 'deactivating').toBe(303)
  },
  async reactivate(p: Person) {
    const admin = await actor('vs_admin')
    await admin.agent.get(paths.admin.user(p.id))
    const response = await admin.agent.post(paths.admin.reactivateUser(p.id))
    expect(response.statusCode, 'reactivating').toBe(303)
    // Their sessions ended with the deactivation: they sign in again.
    p.agent = new TestAgent(t.app)
    t.clock.advance(4_000)
    await p.agent.signIn(p.email, PASSWORD)
  },
  async changeSchool(c: TestChild, to: SchoolKey) {
    const bso = await actor('business_support')
    await bso.agent.get(paths.children.changeSchool(c.id))
    const response = await bso.agent.post(paths.children.changeSchool(c.id), {
      urn: SCHOOL_URNS[to],
      reason: 'A move',
      ...dateFields('movedOn'),
    })
    expect(response.statusCode, 'recording the change of school').toBe(303)
  },
  async changeOwner(c: TestChild, owner: Person) {
    const bso = await actor('business_support')
    await bso.agent.get(paths.children.changeOwner(c.id))
    const response = await bso.agent.post(paths.children.changeOwner(c.id), {
      owner: `${owner.id}:social_worker`,
    })
    expect(response.statusCode, 'changing the record owner').toBe(303)
  },
  async changePlacement(c: TestChild) {
    const bso = await actor('business_support')
    await bso.agent.get(paths.children.changePlacement(c.id))
    const response = await bso.agent.post(paths.children.changePlacement(c.id), {
      placement: 'Residential children’s home',
      ...dateFields('changedOn'),
    })
    expect(response.statusCode, 'recording the change of placement').toBe(303)
  },
  async ceaseCare(c: TestChild) {
    const bso = await actor('business_support')
    await bso.agent.get(paths.children.ceaseCare(c.id))
    const response = await bso.agent.post(paths.children.ceaseCare(c.id), {
      reason: 'Returned home',
      ...dateFields('ceasedOn'),
    })
    expect(response.statusCode, 'recording that the child left care').toBe(303)
  },
}

/** The place's history row: when it ended, by whom and why. */
async function lastPlace(c: TestChild, p: Person) {
  return t.database.db
    .selectFrom('child_access')
    .select(['removed_at', 'removed_by', 'end_reason', 'capacity'])
    .where('child_id', '=', c.id)
    .where('user_id', '=', p.id)
    .orderBy('added_at', 'desc')
    .executeTakeFirstOrThrow()
}

/** Reads still open; every change refused (409 read-only, or 404 where the role may not write). */
async function expectReadOnly(p: Person, role: Role, c: TestChild) {
  const { status, listed } = await reach(p, c)
  expect(status.record, 'after: the record').toBe(200)
  expect(listed, 'after: home lists the child').toBe(true)
  const db = t.database.db
  const notes = async () =>
    Number(
      (
        await db
          .selectFrom('child_note')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('child_id', '=', c.id)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const before = await notes()
  await p.agent.get(paths.children.notes(c.id))
  const note = await p.agent.post(paths.children.notes(c.id), { kind: 'case_note', body: 'Late' })
  expect(note.statusCode, 'adding a note').toBe(canAct([role], 'child.notes.add') ? 409 : 404)
  expect(await notes()).toBe(before)
  const page = await p.agent.post(paths.peps.page(c.id, c.pepId, 'personal-information'), {})
  expect(page.statusCode, 'saving a PEP page').toBe(canAct([role], 'pep.edit') ? 409 : 404)
  const start = await p.agent.post(paths.peps.start(c.id), {})
  expect(start.statusCode, 'starting a PEP').toBe(canAct([role], 'pep.start') ? 409 : 404)
}

describe('the need-to-know rule: a place on the list holds only while what it rests on holds', () => {
  it('opens every page to the people on the list, in their roles', async () => {
    const c = await child('kingsmead')
    const sw = await person('sw', [{ role: 'social_worker' }])
    const dt = await person('dt', [{ role: 'designated_teacher', school: 'kingsmead' }])
    await place(c, sw, 'social_worker')
    await place(c, dt, 'designated_teacher')
    for (const p of [sw, dt]) {
      const status = await expectOpen(p, c)
      for (const surface of SURFACES) expect(status[surface], surface).toBe(200)
    }
  })

  it('closes the child to someone who no longer holds the role of their place', async () => {
    const c = await child('kingsmead')
    const sw = await person('sw', [{ role: 'social_worker' }])
    await place(c, sw, 'social_worker')
    await expectOpen(sw, c)
    // The role goes by any route (here, straight from the table): the place no longer holds.
    await t.database.db
      .deleteFrom('membership')
      .where('id', '=', await sw.membership('social_worker'))
      .execute()
    await expectClosed(sw, c)
  })

  it('does not let a role in another authority stand for the role in the child’s', async () => {
    const c = await child('kingsmead')
    const sw = await person('sw', [{ role: 'social_worker', authority: 'EMR' }])
    await place(c, sw, 'social_worker')
    await expectClosed(sw, c, 'a social worker of Eastmere on a Harrowfield child’s list')
  })

  it('does not let one role stand for another: the place is in one capacity', async () => {
    const c = await child('kingsmead')
    const iro = await person('iro', [{ role: 'iro' }])
    await place(c, iro, 'social_worker')
    await expectClosed(iro, c, 'an IRO on the list as a social worker')
  })

  it('shows school staff a child only while it is at their school', async () => {
    const c = await child('kingsmead')
    const dt = await person('dt', [{ role: 'designated_teacher', school: 'kingsmead' }])
    const elsewhere = await person('dt', [{ role: 'designated_teacher', school: 'oak' }])
    await place(c, dt, 'designated_teacher')
    await place(c, elsewhere, 'designated_teacher')
    await expectOpen(dt, c)
    await expectClosed(elsewhere, c, 'a designated teacher of another school')
    await t.database.db
      .updateTable('child')
      .set({ school_id: schools.get('oak')! })
      .where('id', '=', c.id)
      .execute()
    await expectClosed(dt, c)
    await expectOpen(elsewhere, c, 'the designated teacher of the school the child is at now')
  })

  it('keeps the lists and the record in agreement: trays, the children list and its search', async () => {
    const c = await child('kingsmead')
    const sw = await person('sw', [{ role: 'social_worker' }])
    await place(c, sw, 'social_worker')
    await t.database.db
      .insertInto('task')
      .values({
        kind: 'complete_section',
        authority_id: authorities.get('HFD')!,
        child_id: c.id,
        pep_id: c.pepId,
        assigned_to: sw.id,
        title: 'Complete section A',
        created_at: t.clock.now(),
      })
      .execute()
    expect((await sw.agent.get(paths.trays.mine())).body).toContain(c.name)
    await t.database.db
      .deleteFrom('membership')
      .where('id', '=', await sw.membership('social_worker'))
      .execute()
    expect((await sw.agent.get(paths.trays.mine())).body).not.toContain(c.name)

    // A Virtual School head of Eastmere who is also a social worker in Harrowfield: the children
    // list shows Eastmere's children and the Harrowfield child on their list, while it holds.
    const both = await person('both', [
      { role: 'vs_head', authority: 'EMR' },
      { role: 'social_worker', authority: 'HFD' },
    ])
    await place(c, both, 'social_worker')
    const surname = c.name.split(' ')[1]!
    const search = `${paths.children.list()}?search=${encodeURIComponent(surname)}`
    expect((await both.agent.get(search)).body).toContain(`${surname}, Robin`)
    expect((await both.agent.get(paths.children.show(c.id))).statusCode).toBe(200)
    await t.database.db
      .deleteFrom('membership')
      .where('id', '=', await both.membership('social_worker', 'HFD'))
      .execute()
    expect((await both.agent.get(search)).body).not.toContain(surname)
    expect((await both.agent.get(paths.children.show(c.id))).statusCode).toBe(404)
    expect(await liveCapacity(c, both)).toBe('social_worker')
  })
})

type Capacity = { role: Role; school?: SchoolKey }
const SW: Capacity = { role: 'social_worker' }
const PA: Capacity = { role: 'personal_advisor' }
const DT: Capacity = { role: 'designated_teacher', school: 'kingsmead' }
const CARER: Capacity = { role: 'carer' }
const IRO: Capacity = { role: 'iro' }
const YP: Capacity = { role: 'young_person' }

/**
 * The matrix: each change, each role it touches, and what the person can open of the child
 * afterwards. Before every change, each of them has the child open (record 200 and listed on
 * their home page; for staff every page 200).
 */
const MATRIX: {
  event: string
  capacity: Capacity
  after: 'closed' | 'open' | 'read-only'
  /** Why the place ended, on the list's history, when it did. */
  reason?: string
  change(c: TestChild, p: Person): Promise<void>
}[] = [
  ...[SW, PA, DT, CARER, IRO, YP].map((capacity) => ({
    event: 'their role is removed',
    capacity,
    after: 'closed' as const,
    reason: 'role_removed',
    change: (_c: TestChild, p: Person) => events.removeRole(p, capacity.role),
  })),
  ...[SW, PA, DT, CARER, IRO, YP].map((capacity) => ({
    event: 'their account is deactivated (and later reactivated)',
    capacity,
    after: 'closed' as const,
    reason: 'account_deactivated',
    async change(_c: TestChild, p: Person) {
      await events.deactivate(p)
      const signedOut = await p.agent.get(paths.children.show(_c.id))
      expect(signedOut.statusCode, 'a deactivated account is signed out').toBe(302)
      await events.reactivate(p)
    },
  })),
  ...[
    { capacity: DT, after: 'closed' as const },
    { capacity: SW, after: 'open' as const },
    { capacity: IRO, after: 'open' as const },
    { capacity: PA, after: 'open' as const },
    { capacity: CARER, after: 'open' as const },
    { capacity: YP, after: 'open' as const },
  ].map(({ capacity, after }) => ({
    event: 'the child changes school',
    capacity,
    after,
    reason: 'school_changed',
    change: (c: TestChild) => events.changeSchool(c, 'oak'),
  })),
  ...[
    { capacity: SW, after: 'closed' as const, owner: true },
    { capacity: DT, after: 'open' as const, owner: false },
    { capacity: IRO, after: 'open' as const, owner: false },
  ].map(({ capacity, after, owner }) => ({
    event: `a new record owner replaces ${owner ? 'them' : 'the social worker'}`,
    capacity,
    after,
    reason: 'owner_changed',
    async change(c: TestChild, p: Person) {
      if (owner)
        await t.database.db
          .updateTable('child')
          .set({ record_owner_id: p.id })
          .where('id', '=', c.id)
          .execute()
      await events.changeOwner(c, await person('new-owner', [SW]))
    },
  })),
  ...[
    { capacity: CARER, after: 'closed' as const },
    { capacity: SW, after: 'open' as const },
    { capacity: YP, after: 'open' as const },
  ].map(({ capacity, after }) => ({
    event: 'the placement ends',
    capacity,
    after,
    reason: 'placement_ended',
    change: (c: TestChild) => events.changePlacement(c),
  })),
  ...[
    { capacity: CARER, after: 'closed' as const },
    { capacity: SW, after: 'read-only' as const },
    { capacity: DT, after: 'read-only' as const },
    { capacity: IRO, after: 'read-only' as const },
    { capacity: YP, after: 'read-only' as const },
  ].map(({ capacity, after }) => ({
    event: 'the child leaves care',
    capacity,
    after,
    reason: 'left_care',
    change: (c: TestChild) => events.ceaseCare(c),
  })),
]

const STAFF: readonly Role[] = ['social_worker', 'personal_advisor', 'designated_teacher', 'iro']
/**
 * What the carer and the young person open of the child while they are on it (ADR 10): the
 * record, the PEPs, a PEP's contents, its read view and PDF, and for the carer its pages but the
 * restricted ones. The rest (history, documents, notes, attendance, funding, the meeting record,
 * and for the young person a page not shared with them) is staff's: 404 before any change as after.
 */
/** The young person's and the carer's own pages about the child (issue 20): theirs while it lasts. */
const ownPages = (role: Role, c: TestChild): string[] =>
  role === 'young_person'
    ? [paths.youngPerson.home(c.id), paths.youngPerson.views(c.id, c.pepId)]
    : role === 'carer'
      ? [paths.carer.views(c.id, c.pepId)]
      : []

const ownSurfaces = (role: Role): readonly Surface[] => [
  'record',
  'peps',
  'pep',
  'pepRead',
  'pdf',
  ...(role === 'carer' ? (['pepPage'] as const) : []),
]

describe('access follows the relationship: each change, each role, before and after', () => {
  for (const row of MATRIX) {
    it(`${row.capacity.role}: ${row.event} -> ${row.after}`, async () => {
      const c = await child('kingsmead')
      const p = await person(row.capacity.role, [row.capacity])
      await place(c, p, row.capacity.role)
      const before = await expectOpen(p, c)
      if (STAFF.includes(row.capacity.role))
        for (const surface of SURFACES) expect(before[surface], `before: ${surface}`).toBe(200)
      else
        for (const surface of SURFACES)
          expect(before[surface], `before: ${surface} for the ${row.capacity.role}`).toBe(
            ownSurfaces(row.capacity.role).includes(surface) ? 200 : 404,
          )
      const own = ownPages(row.capacity.role, c)
      for (const url of own)
        expect((await p.agent.get(url)).statusCode, `before: their own page ${url}`).toBe(200)
      await row.change(c, p)
      if (row.after === 'closed') {
        await expectClosed(p, c)
        for (const url of own)
          expect((await p.agent.get(url)).statusCode, `after: their own page ${url}`).toBe(404)
        const ended = await lastPlace(c, p)
        expect(ended.removed_at, 'the place ended, and stays as history').not.toBeNull()
        expect(ended.end_reason, 'why it ended').toBe(row.reason)
        expect(ended.removed_by, 'who made the change').not.toBeNull()
      } else if (row.after === 'read-only') {
        await expectReadOnly(p, row.capacity.role, c)
      } else {
        const after = await expectOpen(p, c, 'after')
        expect(after).toEqual(before)
      }
    })
  }
})

describe('the edges: only what rested on the change ends', () => {
  it('leaves a person’s access in one authority when their role in another is removed', async () => {
    const c = await child('kingsmead')
    const p = await person('sw-twice', [
      { role: 'social_worker', authority: 'HFD' },
      { role: 'social_worker', authority: 'EMR' },
    ])
    const eastmereChild = await child('fenside', 'EMR')
    await place(c, p, 'social_worker')
    await place(eastmereChild, p, 'social_worker')
    await expectOpen(p, c)
    await expectOpen(p, eastmereChild)
    await events.removeRole(p, 'social_worker', 'EMR')
    await expectClosed(p, eastmereChild)
    expect((await lastPlace(eastmereChild, p)).end_reason).toBe('role_removed')
    await expectOpen(p, c, 'the Harrowfield child, after the Eastmere role went')
    expect((await lastPlace(c, p)).removed_at).toBeNull()
  })

  it('takes from a person with two roles only what rested on the one removed', async () => {
    const asSocialWorker = await child('kingsmead')
    const asReviewer = await child('kingsmead')
    const p = await person('sw-and-iro', [{ role: 'social_worker' }, { role: 'iro' }])
    await place(asSocialWorker, p, 'social_worker')
    await place(asReviewer, p, 'iro')
    await events.removeRole(p, 'social_worker')
    await expectClosed(p, asSocialWorker)
    await expectOpen(p, asReviewer, 'the child they review')
    expect((await lastPlace(asReviewer, p)).removed_at).toBeNull()
  })

  it('keeps a designated teacher at two schools the child at the other, and a child who moves between them', async () => {
    // Designated teacher at Kingsmead and designated person at Harrowfield College.
    const p = await person('dt-two-schools', [
      { role: 'designated_teacher', school: 'kingsmead' },
      { role: 'designated_person', school: 'college' },
    ])
    const leaving = await child('kingsmead')
    const staying = await child('college')
    const between = await child('kingsmead')
    await place(leaving, p, 'designated_teacher')
    await place(staying, p, 'designated_person')
    await place(between, p, 'designated_teacher')
    await events.changeSchool(leaving, 'oak')
    await expectClosed(p, leaving)
    await expectOpen(p, staying, 'the child at their other school')
    await events.changeSchool(between, 'college')
    await expectOpen(p, between, 'the child who moved to their other school')
    expect(await liveCapacity(between, p)).toBe('designated_person')
    expect((await lastPlace(leaving, p)).end_reason).toBe('school_changed')
  })

  it('gives the new school’s designated teacher the child on a change of school', async () => {
    const c = await child('kingsmead')
    const newTeacher = await person('dt-oak', [{ role: 'designated_teacher', school: 'oak' }])
    await expectClosed(newTeacher, c, 'before the move')
    await events.changeSchool(c, 'oak')
    const status = await expectOpen(newTeacher, c, 'after the move')
    for (const surface of SURFACES) expect(status[surface], surface).toBe(200)
  })

  it('moves a child only to a school of its own authority', async () => {
    const c = await child('kingsmead')
    const bso = await actor('business_support')
    await bso.agent.get(paths.children.changeSchool(c.id))
    const response = await bso.agent.post(paths.children.changeSchool(c.id), {
      urn: SCHOOL_URNS.fenside,
      reason: '',
      ...dateFields('movedOn'),
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is no open school with that URN')
  })

  it('keeps the history on the access list: who had access, from when to when, and why it ended', async () => {
    const c = await child('kingsmead')
    const carer = await person('Pat Carer', [CARER])
    await place(c, carer, 'carer')
    await events.changePlacement(c)
    const bso = await actor('business_support')
    const page = await bso.agent.get(paths.children.show(c.id))
    const history = page.body.slice(page.body.indexOf('Who had access before'))
    expect(history).toContain('Pat Carer')
    expect(history).toContain('1 September 2026 to 23 November 2026')
    expect(history).toContain(`The placement ended (${bso.label})`)
    const entries = page.body.slice(
      page.body.indexOf('Users with access to this record'),
      page.body.indexOf('Add a person to the list'),
    )
    expect(entries).not.toContain('Pat Carer')
  })
})

describe('a child who has left care: a read-only record for those who keep access', () => {
  it('refuses every change on every child route, and opens every page to read', async () => {
    const c = await child('kingsmead')
    const sw = await person('sw', [SW])
    await place(c, sw, 'social_worker')
    await events.ceaseCare(c)
    const status = await expectOpen(sw, c, 'after leaving care')
    for (const surface of SURFACES) expect(status[surface], surface).toBe(200)
    const writes = t.app.routeRules.filter(
      (r) => r.method === 'POST' && 'action' in r.access && r.access.child,
    )
    expect(writes.length).toBeGreaterThan(8)
    await sw.agent.get(paths.children.show(c.id))
    for (const route of writes) {
      if (!('action' in route.access)) continue
      const url = route.url
        .replace(':childId', c.id)
        .replace(':pepId', c.pepId)
        .replace(':pageId', 'personal-information')
        .replace(':sectionId', 'A')
        .replace(':transition', 'delegate')
        .replace(/:[A-Za-z]+/g, randomUUID())
      const response = await sw.agent.post(url, {})
      expect(response.statusCode, `POST ${route.url}`).toBe(
        canAct(['social_worker'], route.access.action) ? 409 : 404,
      )
    }
  })
})

describe('whom the PEP’s emails and delegations go to follows the same rule', () => {
  it('stops naming the child to a record owner whose role went, and sends school work to the new school', async () => {
    const c = await child('kingsmead')
    const owner = await person('owner', [SW])
    const teacher = await person('dt', [DT])
    const newTeacher = await person('dt-oak', [{ role: 'designated_teacher', school: 'oak' }])
    await place(c, owner, 'social_worker')
    await place(c, teacher, 'designated_teacher')
    await t.database.db
      .updateTable('child')
      .set({ record_owner_id: owner.id })
      .where('id', '=', c.id)
      .execute()
    const db = t.database.db
    expect((await socialWorkerOf(db, c.id))?.id).toBe(owner.id)
    expect((await schoolContact(db, c.id))?.id).toBe(teacher.id)
    await events.removeRole(owner, 'social_worker')
    expect(await socialWorkerOf(db, c.id)).toBeUndefined()
    await events.changeSchool(c, 'oak')
    // One of Oakbridge's designated teachers (earlier cases made others), never the old school's.
    const contact = await schoolContact(db, c.id)
    expect(contact?.id).not.toBe(teacher.id)
    const atOak = await db
      .selectFrom('membership')
      .select('user_id')
      .where('school_id', '=', schools.get('oak')!)
      .where('role', '=', 'designated_teacher')
      .execute()
    expect(atOak.map((m) => m.user_id)).toContain(contact?.id)
    expect(atOak.map((m) => m.user_id)).toContain(newTeacher.id)
  })
})
