import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/*
 * The PEP reads and writes the child's attendance (issue 19): its attendance page opens filled in
 * from the latest period on the record, and the sessions are entered once, on the record's form
 * opened from the PEP, which returns to the PEP page.
 */

let world: DemoWorld
let childId: string
let pepId: string
const SW = 'social.worker@example.org'

beforeAll(async () => {
  world = await demoWorld()
  childId = await world.newChild({
    firstName: 'Robin',
    lastName: 'Pepform',
    caseReference: 'HFD-ATT-PEP',
    access: [
      [SW, 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
    ],
  })
  pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
})
afterAll(() => world.close())

describe("the PEP's attendance page and the record", () => {
  it("offers the record's form from the PEP page and fills nothing in while the record has no attendance", async () => {
    const sw = await world.agent(SW)
    const page = await sw.get(`/children/${childId}/peps/${pepId}/pages/attendance`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain("filled in from the child's record")
    expect(page.body).toContain(`/children/${childId}/attendance/new?pep=${pepId}`)
  })

  it("keeps a period entered from the PEP as the PEP's, returns to the page, and fills it from the record", async () => {
    const sw = await world.agent(SW)
    const url = `/children/${childId}/attendance/new?pep=${pepId}`
    expect((await sw.get(url)).statusCode).toBe(200)
    const saved = await sw.post(url, {
      'startsOn-day': '1',
      'startsOn-month': '9',
      'startsOn-year': '2026',
      'endsOn-day': '20',
      'endsOn-month': '11',
      'endsOn-year': '2026',
      possible: '200',
      attended: '175',
      authorised: '15',
      unauthorised: '10',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`/children/${childId}/peps/${pepId}/pages/attendance`)
    const row = await world.t.database.db
      .selectFrom('attendance_period')
      .select(['source', 'pep_id'])
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ source: 'pep', pep_id: pepId })
    const page = await sw.get(`/children/${childId}/peps/${pepId}/pages/attendance`)
    expect(page.body).toContain(
      "Some answers are filled in from the child's record (the latest attendance period)",
    )
    expect(page.body).toContain('value="87.5"')
    // Nothing is saved for them until they save.
    const pages = await world.t.database.db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pepId)
      .where('page_id', '=', 'attendance')
      .execute()
    expect(pages).toEqual([])
  })

  it("ignores a PEP of another child in the address: the period is the record's", async () => {
    const otherChild = await world.newChild({
      firstName: 'Other',
      lastName: 'Child',
      caseReference: 'HFD-ATT-PEP2',
      access: [[SW, 'social_worker']],
    })
    const sw = await world.agent(SW)
    const url = `/children/${otherChild}/attendance/new?pep=${pepId}`
    await sw.get(url)
    const saved = await sw.post(url, {
      'startsOn-day': '1',
      'startsOn-month': '9',
      'startsOn-year': '2026',
      'endsOn-day': '20',
      'endsOn-month': '11',
      'endsOn-year': '2026',
      possible: '10',
      attended: '10',
      authorised: '0',
      unauthorised: '0',
    })
    expect(saved.headers.location).toBe(`/children/${otherChild}/attendance`)
    const row = await world.t.database.db
      .selectFrom('attendance_period')
      .select(['source', 'pep_id'])
      .where('child_id', '=', otherChild)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ source: 'record', pep_id: null })
  })

  it("links the PEP's exclusions page to the record's form and back", async () => {
    const sw = await world.agent(SW)
    const page = await sw.get(`/children/${childId}/peps/${pepId}/pages/exclusions`)
    expect(page.body).toContain(`/children/${childId}/exclusions/new?pep=${pepId}`)
    const url = `/children/${childId}/exclusions/new?pep=${pepId}`
    await sw.get(url)
    const saved = await sw.post(url, {
      kind: 'suspension',
      'startsOn-day': '16',
      'startsOn-month': '11',
      'startsOn-year': '2026',
      'endsOn-day': '16',
      'endsOn-month': '11',
      'endsOn-year': '2026',
      sessionsMissed: '2',
      reason: 'damage',
      provision: '',
    })
    expect(saved.headers.location).toBe(`/children/${childId}/peps/${pepId}/pages/exclusions`)
  })
})
