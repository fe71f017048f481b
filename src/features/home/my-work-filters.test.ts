import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import {
  OAK_CONSULTANT,
  OAK_SOCIAL_WORKER,
  useOversightWorld,
} from '../../testing/oversight-world.ts'
import { listedOnMyWork, myWorkAs } from '../../testing/my-work.ts'
import { giveRole, linkToChild } from '../../testing/factories.ts'
import { TestAgent } from '../../testing/agent.ts'
import { TEST_NOW } from '../../testing/app.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'

/*
 * My work's list filters by the one rule every list of children uses (src/shared/cohort-filter.ts,
 * issue 17): the year groups at both ends (Under 2 and Beyond Year 13), overdue from the day it
 * becomes overdue (the clock injected), the overall rating and the review past the longest gap,
 * each at its edge; the export's cells made safe; and nothing of a child, not even the name, for
 * someone who does not work with them. On Oakvale (src/testing/oversight-world.ts, today Monday
 * 23 November 2026, the autumn term 2026: its academic year's ages are counted on 31 August 2026).
 *
 * Worked out by hand, on 23 November 2026:
 *   Nursery is born 1 September 2022 to 31 August 2024; so Dan, born 1 September 2024, is Under 2
 *   and Eve, born 31 August 2024, is in Nursery.
 *   Year 13 is born 1 September 2008 to 31 August 2009; so Ada, born 31 August 2008, is Beyond
 *   Year 13 and Fay, born 1 September 2008, is in Year 13.
 *   Ben's target date is 22 November (past it today), Cat's is today (past it tomorrow), Ada's
 *   24 November (past it the day after tomorrow). Fay's school part was due 22 November.
 *   Reviews: no PEP has a meeting, so each child's gap runs from entering care; the longest gap is
 *   6 months. Jo entered care on 22 May 2026 (6 months on: 22 November, past today) and Kim on
 *   23 May 2026 (6 months on: today, still in time).
 */

const w = useOversightWorld(async () => {
  const set = (name: string, values: Record<string, unknown>) =>
    w.db.updateTable('child').set(values).where('id', '=', w.childIds[name]!).execute()
  await set('Dan', { date_of_birth: '2024-09-01' })
  await set('Eve', { date_of_birth: '2024-08-31' })
  await set('Ada', { date_of_birth: '2008-08-31' })
  await set('Fay', { date_of_birth: '2008-09-01' })
  await set('Jo', { entered_care_on: '2026-05-22' })
  await set('Kim', { entered_care_on: '2026-05-23' })
  // Text a spreadsheet would run as a formula, at the start of exported cells.
  await set('Ben', { placement: '+1+1' })
  await set('Cat', { placement: '-1+1' })
  await set('Hal', { placement: '@SUM(1)' })
  await set('Gus', { placement: '\tTab' })
  await set('Kim', { placement: '\rReturn' })
})

const listed = listedOnMyWork
const myWork = (email: string, query = '') => myWorkAs(w, email, query)

describe('My work’s year groups, at both ends', () => {
  it('lists Under 2 and Beyond Year 13, each at the day of birth it starts on', async () => {
    const cases: [string, string[]][] = [
      ['year=under_2', ['Dan']],
      ['year=N', ['Eve']],
      ['year=beyond_13', ['Ada']],
      ['year=Y13', ['Fay']],
      // Neither end is in a key stage.
      ['keyStage=EYFS', ['Eve']],
      ['keyStage=KS5', ['Fay']],
    ]
    for (const [query, names] of cases) {
      const page = await myWork(OAK_SOCIAL_WORKER, `?${query}`)
      expect(page.statusCode, query).toBe(200)
      expect(listed(page.body), query).toEqual(names)
    }
  })

  it('offers both ends, says them in words, and shows them in the row', async () => {
    const under = await myWork(OAK_SOCIAL_WORKER, '?year=under_2')
    expect(under.body).toMatch(/<option value="under_2" selected>Under 2<\/option>/)
    expect(under.body).toContain('Filtered by Year group: Under 2.')
    expect(under.body).toMatch(/data-label="Year group">Under 2</)
    const beyond = await myWork(OAK_SOCIAL_WORKER, '?year=beyond_13')
    expect(beyond.body).toMatch(/<option value="beyond_13" selected>Beyond Year 13<\/option>/)
    expect(beyond.body).toContain('Filtered by Year group: Beyond Year 13.')
    expect(beyond.body).toMatch(/data-label="Year group">Beyond Year 13</)
  })

  it('still refuses a year group that is not a choice, naming the filter', async () => {
    const page = await myWork(OAK_SOCIAL_WORKER, '?year=Y14')
    expect(page.statusCode).toBe(400)
    expect(page.body).toContain('<a href="#year">Select a year group from the list</a>')
    expect(listed(page.body)).toEqual([])
  })
})

describe('My work’s overdue, rating and review filters', () => {
  it('finds a PEP overdue from the day after its date, not on the day', async () => {
    // Today, 23 November: Ben (22 November) is past his target; Cat (today) is not yet.
    expect(listed((await myWork(OAK_SOCIAL_WORKER, '?overdue=past_target')).body)).toEqual(['Ben'])
    expect(listed((await myWork(OAK_SOCIAL_WORKER, '?overdue=school_overdue')).body)).toEqual([
      'Fay',
    ])
    expect(listed((await myWork(OAK_SOCIAL_WORKER, '?overdue=any')).body)).toEqual(['Ben', 'Fay'])
    // Tuesday 24 November: Cat's target date has passed; Ada's is today. (Signed in afresh on
    // the day: the sessions of the 23rd are left as they were, for the other tests.)
    w.t.clock.set('2026-11-24T09:00:00Z')
    try {
      const agent = new TestAgent(w.t.app)
      await agent.signIn(OAK_SOCIAL_WORKER, DEMO_PASSWORD)
      const page = await agent.get('/?overdue=past_target')
      expect(listed(page.body)).toEqual(['Ben', 'Cat'])
      expect(page.body).toContain('Filtered by Overdue: Past the target date.')
      // The export is asked on the same day and holds the same children.
      const csv = await agent.get('/my-work/export?overdue=past_target&format=csv')
      const lines = parse(csv.body.replace(/^\uFEFF/, ''), {
        relax_column_count: true,
      }) as string[][]
      expect(lines[1]).toEqual(['Children: 2'])
      expect(lines.slice(4).map((r) => r[1])).toEqual(['Ben', 'Cat'])
    } finally {
      w.t.clock.set(TEST_NOW)
    }
  })

  it('filters by the overall rating of a PEP signed off this term', async () => {
    expect(listed((await myWork(OAK_SOCIAL_WORKER, '?rating=good')).body)).toEqual(['Eve'])
    // Ada's outstanding PEP was last term's: this term's is not signed off.
    expect(listed((await myWork(OAK_SOCIAL_WORKER, '?rating=outstanding')).body)).toEqual([])
    const page = await myWork(OAK_SOCIAL_WORKER, '?rating=good')
    expect(page.body).toContain('Filtered by Overall rating: Good.')
  })

  it('finds the reviews past the longest gap, the day due itself in time', async () => {
    const page = await myWork(OAK_SOCIAL_WORKER, '?review=past_gap&area=in')
    // Everyone in care since 2020 is past it, and Jo (22 May); Kim (23 May) is not; Ivy has
    // ceased to be in care; Gus is out of the area.
    expect(listed(page.body)).toEqual(['Ada', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay', 'Hal'])
    expect(listed((await myWork(OAK_SOCIAL_WORKER, '?review=past_gap&area=none')).body)).toEqual([
      'Jo',
    ])
  })

  it('refuses a value not among the choices of each, naming the filter', async () => {
    const cases: [string, string, string][] = [
      ['overdue=very', 'overdue', 'Select how overdue from the list'],
      ['rating=great', 'rating', 'Select a rating from the list'],
      ['review=never', 'review', 'Select reviews from the list'],
    ]
    for (const [query, field, message] of cases) {
      const page = await myWork(OAK_SOCIAL_WORKER, `?${query}`)
      expect(page.statusCode, query).toBe(400)
      expect(page.body, query).toContain(`<a href="#${field}">${message}</a>`)
      expect(listed(page.body), query).toEqual([])
    }
  })
})

describe('My work’s export', () => {
  it('makes safe every cell a spreadsheet would run: =, +, -, @, tab and carriage return', async () => {
    const agent = await w.agent(OAK_SOCIAL_WORKER)
    const csv = await agent.get('/my-work/export?format=csv')
    expect(csv.statusCode).toBe(200)
    const lines = parse(csv.body.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]
    const header = lines[3]!
    const placementOf = (name: string) =>
      lines.find((l) => l[1] === name)![header.indexOf('Placement')]
    expect(placementOf('Ben')).toBe("'+1+1")
    expect(placementOf('Cat')).toBe("'-1+1")
    expect(placementOf('Hal')).toBe("'@SUM(1)")
    expect(placementOf('Gus')).toBe("'\tTab")
    expect(placementOf('Kim')).toBe("'\rReturn")
    // The same columns as the children list, written once (src/shared/listed-child.ts).
    expect(header).toEqual([
      'Surname',
      'First name',
      'Date of birth',
      'Year group',
      'Key stage',
      'School',
      'In or out of area',
      'Social worker',
      'Special educational needs',
      'Placement',
      'Status',
      'Authority',
      'You are their',
      'This term’s PEP',
      'PEP target date',
      'School’s part due',
      'Overall rating',
      'Overdue',
    ])
  })
})

describe('who gets nothing from My work’s new filters', () => {
  it('gives someone who does not work with the children nothing, not even a name', async () => {
    const queries = [
      'year=under_2',
      'year=beyond_13',
      'overdue=any',
      'overdue=past_target',
      'rating=good',
      'review=past_gap',
      '',
    ]
    // The Oakvale consultant sees Oakvale on the children list but works with none of them;
    // Harrowfield's social worker works with other children altogether.
    for (const email of [OAK_CONSULTANT, 'social.worker@example.org']) {
      const agent = await w.agent(email)
      for (const query of queries) {
        const page = await agent.get(`/?${query}`)
        expect(page.statusCode, `${email} ${query}`).toBe(200)
        expect(page.body, `${email} ${query}`).not.toContain('Oakfixture')
        const file = await agent.get(`/my-work/export?${query}&format=csv`)
        expect(file.statusCode, `${email} ${query}`).toBe(200)
        expect(file.body, `${email} ${query}`).not.toContain('Oakfixture')
      }
    }
    const consultant = await (await w.agent(OAK_CONSULTANT)).get('/my-work/export?format=csv')
    expect(consultant.body).toContain('Children: 0')
  })

  it('finds no child someone reaches only as a carer by a PEP filter, nor names them', async () => {
    // The consultant is Ben's carer here: Ben is listed, but no PEP filter finds him.
    const consultant = w.userIds[OAK_CONSULTANT]!
    await giveRole(w.db, { userId: consultant, authorityId: w.oakId, role: 'carer' })
    await linkToChild(w.db, { childId: w.childIds['Ben']!, userId: consultant, capacity: 'carer' })
    expect(listed((await myWork(OAK_CONSULTANT)).body)).toEqual(['Ben'])
    for (const query of ['overdue=past_target', 'overdue=any', 'review=past_gap', 'year=Y9']) {
      const page = await myWork(OAK_CONSULTANT, `?${query}`)
      expect(page.statusCode, query).toBe(200)
      expect(listed(page.body), query).toEqual([])
      expect(page.body, query).not.toContain('Ben Oakfixture')
    }
  })
})
