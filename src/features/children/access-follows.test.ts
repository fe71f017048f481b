import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { seedDemo } from '../../db/seed.ts'
import { hashPassword } from '../auth/passwords.ts'
import { setSetting } from '../settings/settings.repository.ts'
import { insertPep } from '../peps/peps.repository.ts'
import { paths } from '../../paths.ts'
import type { Role } from '../../domain/roles.ts'

/*
 * Access follows the relationship it rests on (ADR 8): for each change that ends a
 * relationship, and each role it touches, what the person can open of the child before and
 * after: the record, the PEP, its PDF, the documents and notes, and the lists that name the
 * child. Each case builds its own people and child on the demo's authorities and schools.
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
  t = await createTestApp()
  const db = t.database.db
  await seedDemo(db, t.clock.now())
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
  agent: TestAgent
  membership(role: Role, authority?: AuthorityCode): Promise<string>
}

/** A person holding the given roles (school staff at a school), signed in. */
async function person(
  label: string,
  roles: { role: Role; authority?: AuthorityCode; school?: SchoolKey }[],
): Promise<Person> {
  const db = t.database.db
  const email = `${label}.${randomUUID().slice(0, 8)}@example.org`
  const user = await db
    .insertInto('app_user')
    .values({ email, display_name: label, password_hash: passwordHash, status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const r of roles)
    await db
      .insertInto('membership')
      .values({
        user_id: user.id,
        authority_id: authorities.get(r.authority ?? 'HFD')!,
        role: r.role,
        school_id: r.school ? schools.get(r.school)! : null,
      })
      .execute()
  const agent = new TestAgent(t.app)
  // Sign-ins are limited to 20 a minute from one address: move the clock on a little for each.
  t.clock.advance(4_000)
  await agent.signIn(email, PASSWORD)
  return {
    id: user.id,
    email,
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
  const row = await db
    .insertInto('child')
    .values({
      authority_id: authorities.get(authority)!,
      first_name: 'Robin',
      last_name: lastName,
      date_of_birth: '2012-10-15',
      gender: 'female',
      case_reference: `AF-${randomUUID().slice(0, 8)}`,
      entered_care_on: '2020-01-01',
      school_id: schools.get(school)!,
      placement: 'Foster care',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('child_school')
    .values({ child_id: row.id, school_id: schools.get(school)!, started_on: '2025-09-01' })
    .execute()
  const someone = await db.selectFrom('app_user').select('id').executeTakeFirstOrThrow()
  const at = new Date('2026-09-02T09:00:00Z')
  const pepId = await insertPep(db, {
    childId: row.id,
    authorityId: authorities.get(authority)!,
    term: { academicYear: 2026, name: 'autumn' },
    formType: 'secondary',
    templateVersion: 1,
    yearGroup: 'Y9',
    schoolId: schools.get(school)!,
    changeOfSchool: false,
    startedOn: '2026-09-02',
    meetingOn: null,
    carriedFromId: null,
    createdBy: someone.id,
    at,
  })
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
      child_id: row.id,
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
      child_id: row.id,
      kind: 'case_note',
      body: 'A note',
      author_id: someone.id,
      created_at: at,
    })
    .execute()
  return { id: row.id, name: `Robin ${lastName}`, pepId, documentId: document.id }
}

/** Puts someone on a child's list, as the service's own events do. */
async function place(c: TestChild, p: Person, capacity: Role) {
  await t.database.db
    .insertInto('child_access')
    .values({ child_id: c.id, user_id: p.id, capacity, added_at: new Date('2026-09-01T09:00:00Z') })
    .execute()
}

const SURFACES = ['record', 'pep', 'pdf', 'documents', 'document', 'notes'] as const
type Surface = (typeof SURFACES)[number]

/** What the person gets from each page about the child, and whether their home page names it. */
async function reach(p: Person, c: TestChild) {
  const urls: Record<Surface, string> = {
    record: paths.children.show(c.id),
    pep: paths.peps.contents(c.id, c.pepId),
    pdf: paths.peps.pdf(c.id, c.pepId),
    documents: paths.children.documents(c.id),
    document: paths.children.document(c.id, c.documentId),
    notes: paths.children.notes(c.id),
  }
  const status = {} as Record<Surface, number>
  for (const surface of SURFACES) status[surface] = (await p.agent.get(urls[surface])).statusCode
  const home = await p.agent.get('/')
  return { status, listed: home.body.includes(c.name) }
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
