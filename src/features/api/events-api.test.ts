import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeChild } from '../../testing/factories.ts'
import { authorityIds, call, Contract, makeClient } from '../../testing/api.ts'

/*
 * A child's changes of circumstance through the API: the history pages' services (access ends
 * and is granted as there) and rules, problem details naming the field, another authority's
 * child never found, a record that has left care read-only, and each response against the
 * OpenAPI document.
 */

let t: TestContext
let ids: Record<string, string>
let contract: Contract
let writer: string
let reader: string
let reference: string
let childId: string

const base = () => `/api/v1/children/${reference}`
const doc = (event: string) => `/api/v1/children/{caseReference}/${event}`

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  ids = await authorityIds(t)
  contract = await Contract.load(t)
  writer = (await makeClient(t, ids.HFD!, ['children:read', 'children:write'])).secret
  reader = (await makeClient(t, ids.HFD!, ['children:read'])).secret
  const child = await t.database.db
    .selectFrom('child as c')
    .innerJoin('school as s', 's.id', 'c.school_id')
    .select(['c.id', 'c.case_reference'])
    .where('c.authority_id', '=', ids.HFD!)
    .where('c.status', '=', 'in_care')
    .where('s.urn', '=', '990001')
    .orderBy('c.case_reference')
    .executeTakeFirstOrThrow()
  reference = child.case_reference
  childId = child.id
})
afterAll(() => t.close())

const activeAccess = async (capacity: string) =>
  t.database.db
    .selectFrom('child_access')
    .select('user_id')
    .where('child_id', '=', childId)
    .where('capacity', '=', capacity)
    .where('removed_at', 'is', null)
    .execute()

describe('changes of circumstance', () => {
  it('records a change of school: the new school’s designated teacher gains the child', async () => {
    const bad = await call(t, 'POST', `${base()}/school-changes`, {
      secret: writer,
      body: { schoolUrn: '990006', movedOn: '2030-01-01' },
    })
    expect(bad.statusCode).toBe(400)
    contract.check('POST', doc('school-changes'), bad)
    expect(
      bad.json().errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code]),
    ).toEqual([
      ['/schoolUrn', 'school.not-found'],
      ['/movedOn', 'date.future'],
    ])
    const same = await call(t, 'POST', `${base()}/school-changes`, {
      secret: writer,
      body: { schoolUrn: '990001', movedOn: '2026-11-20' },
    })
    expect(same.json().errors[0]).toMatchObject({ pointer: '/schoolUrn', code: 'school.current' })
    const refused = await call(t, 'POST', `${base()}/school-changes`, {
      secret: reader,
      body: { schoolUrn: '990002', movedOn: '2026-11-20' },
    })
    expect(refused.statusCode).toBe(403)
    contract.check('POST', doc('school-changes'), refused)
    const response = await call(t, 'POST', `${base()}/school-changes`, {
      secret: writer,
      body: { schoolUrn: '990002', movedOn: '2026-11-20', reason: 'Moved house' },
    })
    expect(response.statusCode).toBe(201)
    contract.check('POST', doc('school-changes'), response)
    expect(response.json().child.school).toEqual({ urn: '990002', name: 'Kingsmead Academy' })
    const event = await t.database.db
      .selectFrom('child_event')
      .select(['kind', 'recorded_by'])
      .where('child_id', '=', childId)
      .where('kind', '=', 'school_change')
      .executeTakeFirstOrThrow()
    expect(event.recorded_by).toBeNull()
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['acting_role', 'api_client_id'])
      .where('action', '=', 'child.event.record')
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(audit.acting_role).toBe('api-client')
    expect(audit.api_client_id).not.toBeNull()
  })

  it('records a change of placement (the carer’s access ends) and of social worker', async () => {
    const placement = await call(t, 'POST', `${base()}/placement-changes`, {
      secret: writer,
      body: { placement: 'Residential home', changedOn: '2026-11-21' },
    })
    expect(placement.statusCode).toBe(201)
    contract.check('POST', doc('placement-changes'), placement)
    expect(await activeAccess('carer')).toEqual([])
    const nobody = await call(t, 'POST', `${base()}/social-worker-changes`, {
      secret: writer,
      body: { socialWorkerEmail: 'eastmere.admin@example.org' },
    })
    expect(nobody.statusCode).toBe(400)
    contract.check('POST', doc('social-worker-changes'), nobody)
    const owner = await call(t, 'POST', `${base()}/social-worker-changes`, {
      secret: writer,
      body: { socialWorkerEmail: 'SOCIAL.WORKER@example.org' },
    })
    expect(owner.statusCode).toBe(201)
    contract.check('POST', doc('social-worker-changes'), owner)
    expect(owner.json().child.socialWorker.email).toBe('social.worker@example.org')
  })

  it('never finds another authority’s child', async () => {
    const theirs = await t.database.db
      .selectFrom('child')
      .select('case_reference')
      .where('authority_id', '=', ids.EMR!)
      .executeTakeFirstOrThrow()
    const response = await call(
      t,
      'POST',
      `/api/v1/children/${theirs.case_reference}/leaving-care`,
      {
        secret: writer,
        body: { ceasedOn: '2026-11-22', reason: 'Returned home' },
      },
    )
    expect(response.statusCode).toBe(404)
    contract.check('POST', doc('leaving-care'), response)
    const still = await t.database.db
      .selectFrom('child')
      .select('status')
      .where('case_reference', '=', theirs.case_reference)
      .executeTakeFirstOrThrow()
    expect(still.status).toBe('in_care')
  })

  it('records leaving care, after which the record is read-only (409), as on the pages', async () => {
    const early = await call(t, 'POST', `${base()}/leaving-care`, {
      secret: writer,
      body: { ceasedOn: '1990-01-01', reason: 'Returned home' },
    })
    expect(early.statusCode).toBe(400)
    expect(early.json().errors[0]).toMatchObject({ pointer: '/ceasedOn', code: 'date.too-early' })
    const missing = await call(t, 'POST', `${base()}/leaving-care`, {
      secret: writer,
      body: { ceasedOn: '2026-11-22' },
    })
    expect(missing.json().errors[0]).toMatchObject({ pointer: '/reason', in: 'body' })
    const left = await call(t, 'POST', `${base()}/leaving-care`, {
      secret: writer,
      body: { ceasedOn: '2026-11-22', reason: 'Returned home' },
    })
    expect(left.statusCode).toBe(201)
    contract.check('POST', doc('leaving-care'), left)
    expect(left.json().child).toMatchObject({ status: 'ceased', ceasedOn: '2026-11-22' })
    const after = await call(t, 'POST', `${base()}/placement-changes`, {
      secret: writer,
      body: { placement: 'Foster care', changedOn: '2026-11-23' },
    })
    expect(after.statusCode).toBe(409)
    contract.check('POST', doc('placement-changes'), after)
    expect(after.json()).toMatchObject({ code: 'child.read-only' })
  })
})

describe('the rules at their edges (the pages answer the same codes: history.test.ts)', () => {
  it('takes a change of placement on the day they entered care and today, not a day either side', async () => {
    const caseReference = 'EDGE-PLACEMENT-1'
    await makeChild(t.database.db, {
      authorityId: ids.HFD!,
      caseReference,
      enteredCareOn: '2026-11-10',
    })
    const post = (changedOn: string) =>
      call(t, 'POST', `/api/v1/children/${caseReference}/placement-changes`, {
        secret: writer,
        body: { placement: 'Kinship care', changedOn },
      })
    const early = await post('2026-11-09')
    expect(early.statusCode).toBe(400)
    contract.check('POST', doc('placement-changes'), early)
    expect(early.json().errors).toEqual([
      {
        pointer: '/changedOn',
        in: 'body',
        code: 'date.too-early',
        detail: 'The date must be on or after they entered care',
      },
    ])
    const tomorrow = await post('2026-11-24')
    expect(tomorrow.statusCode).toBe(400)
    expect(tomorrow.json().errors).toEqual([
      {
        pointer: '/changedOn',
        in: 'body',
        code: 'date.future',
        detail: 'The date must be today or in the past',
      },
    ])
    const blank = await call(t, 'POST', `/api/v1/children/${caseReference}/placement-changes`, {
      secret: writer,
      body: { placement: '  ', changedOn: '2026-11-24' },
    })
    expect(
      blank.json().errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code]),
    ).toEqual([
      ['/placement', 'required'],
      ['/changedOn', 'date.future'],
    ])
    expect((await post('2026-11-10')).statusCode).toBe(201)
    const today = await post('2026-11-23')
    expect(today.statusCode).toBe(201)
    expect(today.json().child.placement).toBe('Kinship care')
  })
})
