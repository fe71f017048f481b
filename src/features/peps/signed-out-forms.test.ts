import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'

/*
 * Issue 15, nothing lost at the edges, for every form that holds typed text besides the PEP's
 * pages (signed-out-save.test.ts): a case note, the start of a PEP, the meeting record and a
 * step's comments. Each is sent after 30 idle minutes, kept, and shown again, filled in, once the
 * person has signed in; nothing is saved for them unseen.
 */

let t: TestContext
let world: DemoWorld
let childId: string
let pepId: string

const IDLE = 31 * 60_000
const SW = 'social.worker@example.org'
const NOTICE =
  'What you sent was not saved because you were signed out. Check it and send it again.'

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  childId = await world.newChild({
    firstName: 'Kept',
    lastName: 'Forms',
    caseReference: 'HFD-KEPT-1',
    access: [
      [SW, 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
    ],
  })
  pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
})
afterAll(() => world.close())

/**
 * Opens `url`, waits past the idle timeout, sends `form` to it, signs in again and opens it once
 * more: what the person reads then, and the rows `count` finds before and after.
 */
async function sendAfterExpiry(
  url: string,
  form: Record<string, string | string[]>,
  count: () => Promise<number>,
) {
  const sw = await world.agent(SW)
  expect((await sw.get(url)).statusCode).toBe(200)
  const before = await count()
  t.clock.advance(IDLE)
  const sent = await sw.post(url, form)
  expect(sent.statusCode).toBe(303)
  expect(sent.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(url)}&notice=unsaved`)
  await sw.signIn(SW, DEMO_PASSWORD)
  const restored = await sw.get(url)
  expect(restored.statusCode).toBe(200)
  expect(restored.body).toContain(NOTICE)
  // Shown, never saved unseen; and shown once.
  expect(await count()).toBe(before)
  const again = await sw.get(url)
  expect(again.body).not.toContain(NOTICE)
  return restored.body
}

const rows = (table: 'child_note' | 'pep' | 'pep_event', where: [string, string]) => async () =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(where[0] as never, '=', where[1] as never)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('a form sent after the session ended', () => {
  it('keeps a case note', async () => {
    const body = await sendAfterExpiry(
      `/children/${childId}/notes`,
      { kind: 'case_note', body: 'Spoke to Kept’s carer: the bus pass has arrived 🚌' },
      rows('child_note', ['child_id', childId]),
    )
    expect(body).toContain('Spoke to Kept’s carer: the bus pass has arrived 🚌')
    expect(body).toMatch(/value="case_note" checked/)
  })

  it('keeps the start of a PEP', async () => {
    const body = await sendAfterExpiry(
      `/children/${childId}/peps/start`,
      {
        term: '2027-spring',
        'meetingOn-day': '14',
        'meetingOn-month': '1',
        'meetingOn-year': '2027',
        meetingTime: '10:00',
        meetingLocation: 'Kingsmead library, room 2',
        contactName: 'Sam Social',
      },
      rows('pep', ['child_id', childId]),
    )
    expect(body).toContain('Kingsmead library, room 2')
    expect(body).toContain('value="14"')
  })

  it('keeps the meeting record', async () => {
    const body = await sendAfterExpiry(
      `/children/${childId}/peps/${pepId}/meeting-record`,
      {
        otherAttendees: 'Priya Patel, school nurse',
        youngPersonAttended: 'part',
        youngPersonViews: 'in-writing',
        youngPersonViewsDetail: 'A letter read out by their mentor',
        socialWorkerAttended: 'yes',
      },
      rows('pep_event', ['pep_id', pepId]),
    )
    expect(body).toContain('Priya Patel, school nurse')
    expect(body).toContain('A letter read out by their mentor')
    const record = await t.database.db
      .selectFrom('pep_meeting_record')
      .select('pep_id')
      .where('pep_id', '=', pepId)
      .executeTakeFirst()
    expect(record).toBeUndefined()
  })

  it('keeps a step’s comments and dates', async () => {
    const body = await sendAfterExpiry(
      `/children/${childId}/peps/${pepId}/actions/delegate`,
      {
        'dueOn-day': '4',
        'dueOn-month': '12',
        'dueOn-year': '2026',
        comments: 'The school closes for a training day on 27 November',
      },
      rows('pep_event', ['pep_id', pepId]),
    )
    expect(body).toContain('The school closes for a training day on 27 November')
    expect(body).toMatch(/name="dueOn-day"[^>]*value="4"/)
  })
})
