import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { makeChild } from '../../testing/factories.ts'

let t: TestContext
let childId: string
let bso: TestAgent
let startedOn: string

const date = (prefix: string, d: string, m: string, y: string) => ({
  [`${prefix}-day`]: d,
  [`${prefix}-month`]: m,
  [`${prefix}-year`]: y,
})

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  // A Harrowfield child at Oakbridge Primary, so a move to Kingsmead is a real change.
  const child = await t.database.db
    .selectFrom('child')
    .innerJoin('school', 'school.id', 'child.school_id')
    .select(['child.id'])
    .where('school.urn', '=', '990001')
    .executeTakeFirstOrThrow()
  childId = child.id
  const seeded = await t.database.db
    .selectFrom('child_school')
    .select('started_on')
    .where('child_id', '=', childId)
    .executeTakeFirstOrThrow()
  startedOn = seeded.started_on
  bso = new TestAgent(t.app)
  await bso.signIn('business.support@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

describe('a change of school', () => {
  it("moves the child, keeps the old school in the history and gives the new school's designated teacher access", async () => {
    await bso.get(`/children/${childId}/change-school`)
    const response = await bso.post(`/children/${childId}/change-school`, {
      urn: '990002',
      reason: 'Moved up to secondary: Year 7 ✓',
      ...date('movedOn', '2', '11', '2026'),
    })
    expect(response.statusCode).toBe(303)
    const page = await bso.get(`/children/${childId}/history`)
    expect(page.body).toContain('Change of school to Kingsmead Academy recorded')
    expect(page.body).toContain('Oakbridge Primary School (URN 990001)')
    expect(page.body).toContain(
      'Moved to Kingsmead Academy on 2 November 2026: Moved up to secondary: Year 7 ✓',
    )
    const history = await t.database.db
      .selectFrom('child_school')
      .select(['started_on', 'ended_on'])
      .where('child_id', '=', childId)
      .orderBy('started_on')
      .execute()
    expect(history).toEqual([
      { started_on: startedOn, ended_on: '2026-11-02' },
      { started_on: '2026-11-02', ended_on: null },
    ])
    const dt = new TestAgent(t.app)
    await dt.signIn('designated.teacher@example.org', DEMO_PASSWORD)
    expect((await dt.get(`/children/${childId}`)).statusCode).toBe(200)
  })

  it('names each problem and keeps what was typed', async () => {
    await bso.get(`/children/${childId}/change-school`)
    const cases: [Record<string, string>, string][] = [
      [{ urn: '', ...date('movedOn', '1', '11', '2026') }, 'Enter the URN of the new school'],
      [
        { urn: '12345', ...date('movedOn', '1', '11', '2026') },
        'The URN must be 6 digits, like 123456',
      ],
      [
        { urn: '999999', ...date('movedOn', '1', '11', '2026') },
        'There is no open school with that URN',
      ],
      [
        { urn: '990002', ...date('movedOn', '1', '11', '2026') },
        'That is the school the child is at now',
      ],
      [
        { urn: '990003', ...date('movedOn', '31', '2', '2026') },
        'The date of the move must be a real date',
      ],
      [
        { urn: '990003', ...date('movedOn', '24', '11', '2026') },
        'The date of the move must be today or in the past',
      ],
      [
        { urn: '990003', ...date('movedOn', '1', '11', '2026') },
        'The date of the move must be on or after they started at their current school (2 November 2026)',
      ],
    ]
    for (const [form, message] of cases) {
      const response = await bso.post(`/children/${childId}/change-school`, form)
      expect(response.statusCode, message).toBe(400)
      expect(response.body).toContain(message)
      expect(response.body).toContain(`value="${form.urn}"`)
    }
    // Today itself is allowed.
    const today = await bso.post(`/children/${childId}/change-school`, {
      urn: '990003',
      ...date('movedOn', '23', '11', '2026'),
    })
    expect(today.statusCode).toBe(303)
  })
})

describe('placement, owner and ceasing to be in care', () => {
  it('records a change of placement and of record owner', async () => {
    await bso.get(`/children/${childId}/change-placement`)
    expect(
      (
        await bso.post(`/children/${childId}/change-placement`, {
          placement: 'Foster care, Ní Bhriain family',
          ...date('changedOn', '20', '11', '2026'),
        })
      ).statusCode,
    ).toBe(303)
    const record = await bso.get(`/children/${childId}`)
    expect(record.body).toContain('Foster care, Ní Bhriain family')

    const form = await bso.get(`/children/${childId}/change-record-owner`)
    const value = /value="([0-9a-f-]{36}:social_worker)"/.exec(form.body)?.[1]
    expect(value).toBeDefined()
    expect(
      (await bso.post(`/children/${childId}/change-record-owner`, { owner: value! })).statusCode,
    ).toBe(303)
    expect((await bso.get(`/children/${childId}`)).body).toMatch(
      /Record owner\s*<\/dt>\s*<dd[^>]*>\s*Jordan Social/,
    )
    const refused = await bso.post(`/children/${childId}/change-record-owner`, {
      owner: 'someone-else:social_worker',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Select the new record owner')
  })

  it('makes the record read-only once the child ceases to be in care', async () => {
    await bso.get(`/children/${childId}/ceased-to-be-in-care`)
    const missing = await bso.post(`/children/${childId}/ceased-to-be-in-care`, {
      reason: '',
      ...date('ceasedOn', '', '', ''),
    })
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('Enter the date they ceased to be in care')
    expect(missing.body).toContain('Enter why they ceased to be in care')

    const done = await bso.post(`/children/${childId}/ceased-to-be-in-care`, {
      reason: 'Returned home',
      ...date('ceasedOn', '22', '11', '2026'),
    })
    expect(done.statusCode).toBe(303)
    const record = await bso.get(`/children/${childId}`)
    expect(record.body).toContain('Ceased to be in care on 22 November 2026: Returned home')
    expect(record.body).not.toContain('Add to the list')

    await bso.get(`/children/${childId}/notes`)
    const note = await bso.post(`/children/${childId}/notes`, {
      kind: 'user_note',
      body: 'too late',
    })
    expect(note.statusCode).toBe(409)
    expect(note.body).toContain('This record is read-only')
    expect((await bso.get(`/children/${childId}/change-school`)).statusCode).toBe(409)
    const stored = await t.database.db
      .selectFrom('child')
      .select(['status', 'version'])
      .where('id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(stored.status).toBe('ceased')
    expect(stored.version).toBeGreaterThan(1)
  })
})

describe('the rules at their edges (the API answers the same codes: events-api.test.ts)', () => {
  const harrowfieldChild = async () => {
    const { id: authorityId } = await t.database.db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    return makeChild(t.database.db, { authorityId, enteredCareOn: '2026-11-10' })
  }

  it('takes a change of placement on the day they entered care and today, not a day either side', async () => {
    const child = await harrowfieldChild()
    const post = (d: string) =>
      bso.post(`/children/${child}/change-placement`, {
        placement: 'Kinship care',
        ...date('changedOn', d, '11', '2026'),
      })
    await bso.get(`/children/${child}/change-placement`)
    const early = await post('9')
    expect(early.statusCode).toBe(400)
    expect(early.body).toContain('The date of the change must be on or after they entered care')
    expect(early.body).toContain('href="#changedOn-day"')
    const tomorrow = await post('24')
    expect(tomorrow.statusCode).toBe(400)
    expect(tomorrow.body).toContain('The date of the change must be today or in the past')
    expect((await post('10')).statusCode).toBe(303)
    expect((await post('23')).statusCode).toBe(303)
    const events = await t.database.db
      .selectFrom('child_event')
      .select('occurred_on')
      .where('child_id', '=', child)
      .orderBy('occurred_on')
      .execute()
    expect(events.map((e) => e.occurred_on)).toEqual(['2026-11-10', '2026-11-23'])
  })

  it('shows the service’s problems with the form’s, each on its field, in the order of the page', async () => {
    const child = await harrowfieldChild()
    await bso.get(`/children/${child}/ceased-to-be-in-care`)
    const response = await bso.post(`/children/${child}/ceased-to-be-in-care`, {
      reason: '   ',
      ...date('ceasedOn', '31', '2', '2026'),
    })
    expect(response.statusCode).toBe(400)
    const summary = response.body.slice(response.body.indexOf('govuk-error-summary__list'))
    const realDate = summary.indexOf('The date they ceased to be in care must be a real date')
    const why = summary.indexOf('Enter why they ceased to be in care')
    expect(realDate).toBeGreaterThan(0)
    expect(why).toBeGreaterThan(realDate)
  })
})
