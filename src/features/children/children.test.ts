import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'

let t: TestContext
let eastmereChild: string
let harrowfieldChild: string
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const rows = await t.database.db
    .selectFrom('child')
    .innerJoin('authority', 'authority.id', 'child.authority_id')
    .select(['child.last_name', 'authority.code'])
    .orderBy('child.last_name')
    .execute()
  eastmereChild = rows.find((r) => r.code === 'EMR')!.last_name
  harrowfieldChild = rows.find((r) => r.code === 'HFD')!.last_name
})
afterAll(() => t.close())

describe('children list', () => {
  it('shows Virtual School staff the children of their own authority only', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children')
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Showing 1 to 25 of 28 children.')
    expect(response.body).toContain(harrowfieldChild)
    expect(response.body).not.toContain('Eastmere Borough Council')
    const page2 = await agent.get('/children?page=2')
    expect(page2.body).toContain('Showing 26 to 28 of 28 children.')
  })

  it('shows another authority its own children', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('eastmere.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children')
    expect(response.body).toContain('Showing 1 to 4 of 4 children.')
    expect(response.body).toContain(eastmereChild)
    expect(response.body).not.toContain('Harrowfield County Council')
  })

  it('treats a page number that is not a number as the first page', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children?page=%27;drop%20table')
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Showing 1 to 25 of 28 children.')
  })

  it('refuses roles that may not list every child', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children')
    expect(response.statusCode).toBe(403)
    expect(response.body).not.toContain(harrowfieldChild)
    const home = await agent.get('/')
    expect(home.body).not.toContain('href="/children"')
  })
})

describe("the child's page", () => {
  async function childrenOf(email: string) {
    return t.database.db
      .selectFrom('child_access as ca')
      .innerJoin('app_user as u', 'u.id', 'ca.user_id')
      .innerJoin('child as c', 'c.id', 'ca.child_id')
      .select(['c.id', 'c.first_name', 'c.last_name'])
      .where('u.email', '=', email)
      .execute()
  }

  it('shows a social worker a child on their list, with its core data and access list', async () => {
    const [child] = await childrenOf('social.worker@example.org')
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    const response = await agent.get(`/children/${child!.id}`)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain(`${child!.first_name} ${child!.last_name}`)
    expect(response.body).toContain('Users with access to this record')
    expect(response.body).toContain('Jordan Social')
    expect(response.body).toMatch(/Year group<\/dt>\s*<dd[^>]*>(Year \d+|Reception|Nursery)/)
    expect(response.body).toMatch(/Days in care<\/dt>\s*<dd[^>]*>\d+<\/dd>/)
  })

  it('answers 404, without the name, for a child not on their list, or an id that is not one', async () => {
    const mine = new Set((await childrenOf('social.worker@example.org')).map((c) => c.id))
    const other = await t.database.db
      .selectFrom('child')
      .select(['id', 'first_name', 'last_name'])
      .where('id', 'not in', [...mine])
      .executeTakeFirstOrThrow()
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    for (const url of [
      `/children/${other.id}`,
      '/children/not-a-uuid',
      '/children/00000000-0000-4000-8000-000000000000',
    ]) {
      const response = await agent.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.body).not.toContain(other.last_name)
      expect(response.body).toContain('Page not found')
    }
  })

  it("hides another authority's child from Virtual School staff", async () => {
    const eastmere = await t.database.db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .select(['child.id', 'child.last_name'])
      .where('authority.code', '=', 'EMR')
      .executeTakeFirstOrThrow()
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get(`/children/${eastmere.id}`)
    expect(response.statusCode).toBe(404)
    expect(response.body).not.toContain(eastmere.last_name)
  })
})

describe('searching and filtering the children list', () => {
  async function signedInAdmin() {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    return agent
  }
  const shown = (body: string) => Number(/of (\d+) children\./.exec(body)?.[1] ?? 0)

  it('finds a child by the start of a surname, first name, full name, case reference or UPN', async () => {
    const child = await t.database.db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .select(['child.first_name', 'child.last_name', 'child.case_reference', 'child.upn'])
      .where('authority.code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    const agent = await signedInAdmin()
    for (const q of [
      child.last_name.slice(0, 3),
      child.last_name.toUpperCase(),
      child.first_name,
      `${child.first_name} ${child.last_name}`,
      child.case_reference,
      child.upn!.toLowerCase(),
    ]) {
      const response = await agent.get(`/children?q=${encodeURIComponent(q)}`)
      expect(response.statusCode, q).toBe(200)
      expect(response.body, q).toContain(`${child.last_name}, ${child.first_name}`)
    }
  })

  it('treats search characters literally and says when nothing matches', async () => {
    const agent = await signedInAdmin()
    for (const q of ['%', '_', "O'", '\\']) {
      const response = await agent.get(`/children?q=${encodeURIComponent(q)}`)
      expect(response.statusCode, q).toBe(200)
    }
    const apostrophe = await agent.get(`/children?q=${encodeURIComponent("O'C")}`)
    const expected = await t.database.db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('authority.code', '=', 'HFD')
      .where('child.last_name', 'like', "O'C%")
      .executeTakeFirstOrThrow()
    expect(shown(apostrophe.body)).toBe(Number(expected.n))
    const none = await agent.get('/children?q=zzzzzz')
    expect(none.body).toContain('No children match your search.')
    expect(none.body).toContain('Clear search and filters')
  })

  it('filters by year group (including children held out of year), school and status, and pages with the filters kept', async () => {
    const agent = await signedInAdmin()
    const all = await t.database.db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .innerJoin('school', 'school.id', 'child.school_id')
      .select(['child.id', 'child.date_of_birth', 'school.id as school_id'])
      .where('authority.code', '=', 'HFD')
      .execute()
    const { yearGroupOn } = await import('../../domain/year-group.ts')
    const inYear7 = all.filter((c) => {
      const y = yearGroupOn(c.date_of_birth, '2026-11-23')
      return y.kind === 'year' && y.yearGroup === 'Y7'
    })
    const year7 = await agent.get('/children?year=Y7')
    expect(shown(year7.body)).toBe(inYear7.length)

    // Hold one child back a year: they now count in the year group set for them.
    const heldBack = all.find((c) => !inYear7.includes(c))!
    await t.database.db
      .updateTable('child')
      .set({ year_group_override: 'Y7' })
      .where('id', '=', heldBack.id)
      .execute()
    expect(shown((await agent.get('/children?year=Y7')).body)).toBe(inYear7.length + 1)
    await t.database.db
      .updateTable('child')
      .set({ year_group_override: null })
      .where('id', '=', heldBack.id)
      .execute()

    const schoolId = all[0]!.school_id
    const atSchool = all.filter((c) => c.school_id === schoolId).length
    const bySchool = await agent.get(`/children?school=${schoolId}`)
    expect(shown(bySchool.body)).toBe(atSchool)
    expect((await agent.get('/children?status=ceased')).body).toContain(
      'No children match your search.',
    )
    // Choices that are not on offer are ignored rather than trusted.
    expect(shown((await agent.get('/children?year=Y99&school=not-a-school&status=x')).body)).toBe(
      28,
    )

    const paged = await agent.get('/children?status=in_care')
    expect(paged.body).toContain('href="/children?status=in_care&amp;page=2"')
  })
})

describe('links to managing children', () => {
  it('offers Virtual School staff adding, importing and changing core data, and nobody else', async () => {
    const child = await t.database.db
      .selectFrom('child_access')
      .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
      .select('child_access.child_id')
      .where('app_user.email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    const bso = new TestAgent(t.app)
    await bso.signIn('business.support@example.org', DEMO_PASSWORD)
    const list = await bso.get('/children')
    expect(list.body).toContain('href="/children/new"')
    expect(list.body).toContain('href="/children/import"')
    expect((await bso.get(`/children/${child.child_id}`)).body).toContain(
      `href="/children/${child.child_id}/edit"`,
    )

    const auditor = new TestAgent(t.app)
    await auditor.signIn('auditor@example.org', DEMO_PASSWORD)
    expect((await auditor.get('/children')).body).not.toContain('href="/children/new"')
    const sw = new TestAgent(t.app)
    await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
    expect((await sw.get(`/children/${child.child_id}`)).body).not.toContain('Change core data')
  })
})
