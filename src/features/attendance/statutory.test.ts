import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/*
 * Statutory results through HTTP (issue 19): the phonics check, key stage 2 and GCSE, refused
 * and accepted at their edges with what was typed kept, a correction keeping the earlier result,
 * every save audited, and nobody without the child on their list (or whose role may not read
 * their education) getting the form, the results or the child's name.
 */

let world: DemoWorld
let childId: string
const DT = 'designated.teacher@example.org'
const url = (kind: string) => `/children/${childId}/attainment/statutory/${kind}`

const rows = () =>
  world.t.database.db
    .selectFrom('statutory_result')
    .select([
      'kind',
      'subject',
      'retake',
      'mark',
      'threshold',
      'scaled_score',
      'outcome',
      'superseded_at',
    ])
    .where('child_id', '=', childId)
    .orderBy('kind')
    .orderBy('subject')
    .orderBy('recorded_at')
    // Recorded at the test clock's one instant: the superseded one first, then the id.
    .orderBy(sql`superseded_at is null`)
    .orderBy('retake')
    .orderBy('id')
    .execute()

beforeAll(async () => {
  world = await demoWorld()
  childId = await world.newChild({
    firstName: 'Noor',
    lastName: 'Results',
    caseReference: 'HFD-STAT-1',
    access: [
      [DT, 'designated_teacher'],
      ['carer@example.org', 'carer'],
    ],
  })
})
afterAll(() => world.close())

describe('statutory results', () => {
  it('refuses a key stage 2 scaled score of 79 or 121, keeping what was typed, and accepts 80 and 120', async () => {
    const dt = await world.agent(DT)
    expect((await dt.get(url('ks2'))).statusCode).toBe(200)
    for (const score of ['79', '121']) {
      const refused = await dt.post(url('ks2'), { academicYear: '2025', subject: 'reading', score })
      expect(refused.statusCode).toBe(400)
      expect(refused.body).toContain('The scaled score must be from 80 to 120')
      expect(refused.body).toContain('href="#score"')
      expect(refused.body).toContain(`value="${score}"`)
    }
    expect(await rows()).toEqual([])
    const low = await dt.post(url('ks2'), { academicYear: '2025', subject: 'reading', score: '80' })
    expect(low.statusCode).toBe(303)
    const high = await dt.post(url('ks2'), { academicYear: '2025', subject: 'maths', score: '120' })
    expect(high.statusCode).toBe(303)
    const writing = await dt.post(url('ks2'), {
      academicYear: '2025',
      subject: 'writing',
      grade: 'gds',
    })
    expect(writing.statusCode).toBe(303)
    const page = await dt.get(`/children/${childId}/attainment`)
    expect(page.body).toContain('Scaled score 80')
    expect(page.body).toContain('Scaled score 120 (expected standard met)')
    expect(page.body).toContain('Working at greater depth')
  })

  it('keeps the earlier result when one is corrected', async () => {
    const dt = await world.agent(DT)
    const again = await dt.post(url('ks2'), {
      academicYear: '2025',
      subject: 'reading',
      score: '104',
    })
    expect(again.statusCode).toBe(303)
    const reading = (await rows()).filter((r) => r.subject === 'reading')
    expect(reading.map((r) => [r.scaled_score, r.superseded_at !== null])).toEqual([
      [80, true],
      [104, false],
    ])
    const page = await dt.get(`/children/${childId}/attainment`)
    expect(page.body).toContain('Scaled score 104 (expected standard met)')
    expect(page.body).toMatch(/Earlier: Scaled score 80, /)
  })

  it('refuses a phonics mark outside 0 to 40, and keeps the mark with the threshold used', async () => {
    const dt = await world.agent(DT)
    const over = await dt.post(url('phonics'), {
      academicYear: '2024',
      retake: 'no',
      mark: '41',
      threshold: '32',
    })
    expect(over.statusCode).toBe(400)
    expect(over.body).toContain('The mark must be from 0 to 40')
    const negative = await dt.post(url('phonics'), {
      academicYear: '2024',
      retake: 'no',
      mark: '-1',
      threshold: '32',
    })
    expect(negative.statusCode).toBe(400)
    expect(negative.body).toContain('The mark must be a whole number')
    expect(negative.body).toContain('value="-1"')
    expect(
      (
        await dt.post(url('phonics'), {
          academicYear: '2024',
          retake: 'no',
          mark: '0',
          threshold: '32',
        })
      ).statusCode,
    ).toBe(303)
    expect(
      (
        await dt.post(url('phonics'), {
          academicYear: '2025',
          retake: 'yes',
          mark: '40',
          threshold: '32',
        })
      ).statusCode,
    ).toBe(303)
    expect(
      (await rows())
        .filter((r) => r.kind === 'phonics')
        .map((r) => [r.retake, r.mark, r.threshold]),
    ).toEqual([
      [false, 0, 32],
      [true, 40, 32],
    ])
    const page = await dt.get(`/children/${childId}/attainment`)
    expect(page.body).toContain('0 out of 40 (threshold 32): did not meet the standard')
    expect(page.body).toContain('Phonics screening check (retake)')
    expect(page.body).toContain('40 out of 40 (threshold 32): met the standard')
  })

  it('records a GCSE grade, U included, with the subject as typed', async () => {
    const dt = await world.agent(DT)
    const blank = await dt.post(url('gcse'), { academicYear: '2026', subject: '', grade: '' })
    expect(blank.statusCode).toBe(400)
    expect(blank.body).toContain('Enter the subject')
    expect(blank.body).toContain('Select the grade')
    const subject = 'Art & design 🎨 (Ünïcode)'
    expect(
      (await dt.post(url('gcse'), { academicYear: '2026', subject, grade: '9' })).statusCode,
    ).toBe(303)
    expect(
      (await dt.post(url('gcse'), { academicYear: '2026', subject: 'Latin', grade: 'U' }))
        .statusCode,
    ).toBe(303)
    expect(
      (await rows()).filter((r) => r.kind === 'gcse').map((r) => [r.subject, r.outcome]),
    ).toEqual([
      [subject, '9'],
      ['Latin', 'U'],
    ])
    const page = await dt.get(`/children/${childId}/attainment`)
    expect(page.body).toContain('GCSE: Art &amp; design 🎨 (Ünïcode)')
    expect(page.body).toContain('Grade U (ungraded)')
    const audited = await world.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'child.statutory-result.record')
      .where('child_id', '=', childId)
      .execute()
    expect(audited).toHaveLength(8)
  })

  it('answers 404 to a test it does not know', async () => {
    const dt = await world.agent(DT)
    expect((await dt.get(url('sats'))).statusCode).toBe(404)
  })

  it('gives nothing to the carer, another school’s teacher or another authority: 404 without the child’s name', async () => {
    const before = (await rows()).length
    for (const email of [
      'carer@example.org',
      'designated.person@example.org',
      'eastmere.admin@example.org',
    ]) {
      const agent = await world.agent(email)
      for (const path of [url('ks2'), `/children/${childId}/attainment`]) {
        const page = await agent.get(path)
        expect(page.statusCode, `${email} ${path}`).toBe(404)
        expect(page.body).not.toContain('Noor')
      }
      const post = await agent.post(url('ks2'), {
        academicYear: '2025',
        subject: 'reading',
        score: '99',
      })
      expect(post.statusCode, email).toBe(404)
      expect(post.body).not.toContain('Noor')
    }
    expect(await rows()).toHaveLength(before)
  })
})
