import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { londonDate } from '../../domain/calendar-date.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeAuthority, makeChild, makeUser } from '../../testing/factories.ts'
import { call, Contract } from '../../testing/api.ts'
import { registerClient } from './clients.service.ts'

/*
 * A child's education circumstances through the API (issue 17), on a real database: read with
 * the child, added and ended by the "Provision and timetable" tab's rule and service, each edge
 * refused as problem details naming the field with the rule's code, an overlap and a second end
 * as 409, another authority's child as 404, a child who left care as 409, every change audited
 * as the client, and every response checked against the OpenAPI document. The clock is 23
 * November 2026: 90 days ahead is 21 February 2027.
 */

let t: TestContext
let contract: Contract
let secret: string
let otherSecret: string
let authorityId: string

const ADD = '/api/v1/children/{caseReference}/education-circumstances'
const END = '/api/v1/children/{caseReference}/education-circumstances/{circumstanceId}/end'
const CHILD = '/api/v1/children/{caseReference}'

async function client(forAuthority: string, scopes: ('children:read' | 'children:write')[]) {
  const admin = await makeUser(t.database.db, { role: 'vs_admin', authorityId: forAuthority })
  const now = t.clock.now()
  return (
    await registerClient(
      t.database.db,
      { userId: admin.id, role: 'vs_admin', now, today: londonDate(now) },
      forAuthority,
      { name: 'Case management system', scopes },
    )
  ).secret
}

/** A child of the authority, born on the day given (12 years old by default). */
async function aChild(dateOfBirth = '2014-01-01', status: 'in_care' | 'ceased' = 'in_care') {
  const caseReference = `EC-${Math.random().toString(36).slice(2, 10)}`
  await makeChild(t.database.db, { authorityId, caseReference, dateOfBirth, status })
  return caseReference
}

const add = (reference: string, body: unknown, key = secret) =>
  call(t, 'POST', `/api/v1/children/${reference}/education-circumstances`, { secret: key, body })

beforeAll(async () => {
  t = await createTestApp()
  contract = await Contract.load(t)
  authorityId = (await makeAuthority(t.database.db)).id
  secret = await client(authorityId, ['children:read', 'children:write'])
  otherSecret = await client((await makeAuthority(t.database.db)).id, [
    'children:read',
    'children:write',
  ])
})
afterAll(() => t.close())

describe('recording education circumstances through the API', () => {
  it('accepts each at its edge and reads them back with the child', async () => {
    const reference = await aChild()
    const ap = await add(reference, {
      kind: 'alternative_provision',
      startsOn: '2027-02-21',
      provider: 'Hillside Learning Centre',
    })
    expect(ap.statusCode).toBe(201)
    contract.check('POST', ADD, ap)
    const pt = await add(reference, {
      kind: 'part_time',
      startsOn: '2026-11-01',
      endsOn: '2026-12-18',
      hoursPerWeek: 32.4,
      reason: 'Phased return',
    })
    expect(pt.statusCode).toBe(201)
    const read = await call(t, 'GET', `/api/v1/children/${reference}`, { secret })
    expect(read.statusCode).toBe(200)
    contract.check('GET', CHILD, read)
    expect(read.json().educationCircumstances).toEqual([
      {
        id: expect.any(String),
        kind: 'alternative_provision',
        startsOn: '2027-02-21',
        endsOn: null,
        provider: 'Hillside Learning Centre',
        hoursPerWeek: null,
        reason: null,
      },
      {
        id: expect.any(String),
        kind: 'part_time',
        startsOn: '2026-11-01',
        endsOn: '2026-12-18',
        provider: null,
        hoursPerWeek: 32.4,
        reason: 'Phased return',
      },
    ])
    // 16 on 31 August 2026: NEET from today.
    const older = await aChild('2010-08-31')
    const neet = await add(older, { kind: 'neet', startsOn: '2026-11-23' })
    expect(neet.statusCode).toBe(201)
    expect(neet.json().child.educationCircumstances).toMatchObject([
      { kind: 'neet', startsOn: '2026-11-23', endsOn: null },
    ])
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['api_client_id', 'acting_role'])
      .where('action', '=', 'child.circumstances.add')
      .execute()
    expect(audit).toHaveLength(3)
    expect(audit.every((a) => a.api_client_id !== null && a.acting_role === 'api-client')).toBe(
      true,
    )
  })

  it('refuses each past its edge, naming the field with the rule’s code', async () => {
    const reference = await aChild()
    const cases: [unknown, string, string, string][] = [
      [
        { kind: 'alternative_provision', startsOn: '2027-02-22', provider: 'Hillside' },
        '/startsOn',
        'circumstance.starts-too-far-ahead',
        'The first day must be within 90 days from today',
      ],
      [
        { kind: 'part_time', startsOn: '2026-11-01', hoursPerWeek: 32.5, reason: 'Medical' },
        '/hoursPerWeek',
        'circumstance.hours-not-part-time',
        'The hours a week must be fewer than a full-time week of 32.5 hours',
      ],
      [
        { kind: 'part_time', startsOn: '2026-11-01', hoursPerWeek: 0, reason: 'Medical' },
        '/hoursPerWeek',
        'circumstance.hours-not-number',
        'The hours a week must be a number greater than 0, like 15 or 12.5',
      ],
      [
        { kind: 'part_time', startsOn: '2026-11-01', hoursPerWeek: 10 },
        '/reason',
        'circumstance.reason-missing',
        'Enter the reason for the part-time timetable',
      ],
      [
        { kind: 'neet', startsOn: '2026-11-01' },
        '/startsOn',
        'circumstance.not-post-16',
        'NEET is for young people in year 12 or later: they must be 16 or over on the 31 August before the first day',
      ],
      [
        {
          kind: 'alternative_provision',
          startsOn: '2026-11-10',
          endsOn: '2026-11-09',
          provider: 'Hillside',
        },
        '/endsOn',
        'circumstance.ends-before-start',
        'The last day must be the same as or after the first day',
      ],
      [
        { kind: 'alternative_provision', startsOn: '2026-11-10', provider: ' ' },
        '/provider',
        'circumstance.provider-missing',
        'Enter the provider’s name',
      ],
      [
        { kind: 'neet', startsOn: '2026-11-10', provider: 'Hillside' },
        '/provider',
        'circumstance.not-for-kind',
        'This field is not part of neet',
      ],
    ]
    for (const [body, pointer, code, detail] of cases) {
      const response = await add(reference, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
      contract.check('POST', ADD, response)
      expect(response.json()).toMatchObject({ code: 'api.validation', status: 400 })
      expect(response.json().errors).toContainEqual({ pointer, in: 'body', code, detail })
    }
    const older = await aChild('2010-08-31')
    const future = await add(older, { kind: 'neet', startsOn: '2026-11-24' })
    expect(future.json().errors).toEqual([
      {
        pointer: '/startsOn',
        in: 'body',
        code: 'circumstance.starts-in-future',
        detail: 'The first day must be today or in the past',
      },
    ])
    const unknown = await add(reference, { kind: 'holiday', startsOn: '2026-11-01' })
    expect(unknown.statusCode).toBe(400)
    contract.check('POST', ADD, unknown)
    const stored = await t.database.db
      .selectFrom('child_education_circumstance as e')
      .innerJoin('child as c', 'c.id', 'e.child_id')
      .select('e.id')
      .where('c.case_reference', 'in', [reference, older])
      .execute()
    expect(stored).toEqual([])
  })

  it('refuses an overlapping part-time timetable, and ends a period once (NEET not after today)', async () => {
    const reference = await aChild('2010-08-31')
    const first = await add(reference, {
      kind: 'part_time',
      startsOn: '2026-10-01',
      hoursPerWeek: 15,
      reason: 'Phased return',
    })
    expect(first.statusCode).toBe(201)
    const overlap = await add(reference, {
      kind: 'part_time',
      startsOn: '2026-11-01',
      hoursPerWeek: 20,
      reason: 'Phased return',
    })
    expect(overlap.statusCode).toBe(409)
    contract.check('POST', ADD, overlap)
    expect(overlap.json()).toMatchObject({ code: 'circumstance.overlaps' })
    const neet = await add(reference, { kind: 'neet', startsOn: '2026-11-01' })
    const neetId = neet
      .json()
      .child.educationCircumstances.find((c: { kind: string }) => c.kind === 'neet').id as string
    const end = (id: string, endsOn: string, ref = reference, key = secret) =>
      call(t, 'POST', `/api/v1/children/${ref}/education-circumstances/${id}/end`, {
        secret: key,
        body: { endsOn },
      })
    const tomorrow = await end(neetId, '2026-11-24')
    expect(tomorrow.statusCode).toBe(400)
    contract.check('POST', END, tomorrow)
    expect(tomorrow.json().errors).toEqual([
      {
        pointer: '/endsOn',
        in: 'body',
        code: 'circumstance.ends-in-future',
        detail: 'The last day must be today or in the past',
      },
    ])
    const before = await end(neetId, '2026-10-31')
    expect(before.json().errors[0].code).toBe('circumstance.ends-before-start')
    const today = await end(neetId, '2026-11-23')
    expect(today.statusCode).toBe(201)
    contract.check('POST', END, today)
    expect(
      today.json().child.educationCircumstances.find((c: { id: string }) => c.id === neetId),
    ).toMatchObject({ endsOn: '2026-11-23' })
    const again = await end(neetId, '2026-11-23')
    expect(again.statusCode).toBe(409)
    contract.check('POST', END, again)
    expect(again.json()).toMatchObject({ code: 'circumstance.already-ended' })
    const notAnId = await end('not-an-id', '2026-11-23')
    expect(notAnId.statusCode).toBe(404)
    contract.check('POST', END, notAnId)
    // Another authority's client finds neither the child nor the period.
    const theirs = await end(neetId, '2026-11-23', reference, otherSecret)
    expect(theirs.statusCode).toBe(404)
    expect(theirs.body).not.toContain(neetId)
  })

  it('answers 404 for another authority’s child and 409 for a child who has left care', async () => {
    const reference = await aChild()
    const body = { kind: 'alternative_provision', startsOn: '2026-11-01', provider: 'Hillside' }
    const other = await add(reference, body, otherSecret)
    expect(other.statusCode).toBe(404)
    contract.check('POST', ADD, other)
    const left = await aChild('2014-01-01', 'ceased')
    const readOnly = await add(left, body)
    expect(readOnly.statusCode).toBe(409)
    contract.check('POST', ADD, readOnly)
    expect(readOnly.json()).toMatchObject({ code: 'child.read-only' })
  })
})
