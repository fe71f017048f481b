import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setSetting } from '../../shared/settings.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeSchool } from '../../testing/factories.ts'
import {
  crawlYoungReader,
  kindOf,
  makeYoungReader,
  YOUNG_PERSON_PAGE_KINDS,
  YOUNG_READER_PASSWORD,
  YOUNG_READERS,
  youngReaderProblems,
  type FetchedPage,
} from '../../testing/young-reader.ts'

/*
 * Every page a young person reaches (issue 20), found by crawling as one through HTTP (the crawl
 * and its checks are src/testing/young-reader.ts, shared with e2e/young-reader-pages.test.ts): a
 * child of key stage 2 (Year 4) and one of key stage 4 (Year 10), each with a PEP, a target and a
 * page staff shared with them. They reach exactly their own kinds of page, each in their layout
 * and words (no "Section C", "contents", tray or staff links); a staff page they are linked to
 * sends them to their own.
 */

let t: TestContext
const agents: Record<string, TestAgent> = {}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
  const school = await makeSchool(db, { phase: 'primary' })
  for (const { key } of YOUNG_READERS) {
    const reader = await makeYoungReader(db, {
      key,
      authorityId: school.authorityId,
      schoolId: school.schoolId,
      at: t.clock.now(),
    })
    const agent = new TestAgent(t.app)
    await agent.signIn(reader.email, YOUNG_READER_PASSWORD)
    agents[key] = agent
  }
})
afterAll(() => t.close())

describe.each(YOUNG_READERS.map((r) => r.key))('every page a young person of %s reaches', (key) => {
  it('is one of their own kinds, in their layout and words', async () => {
    const agent = agents[key]!
    const fetch = async (url: string): Promise<FetchedPage> => {
      const response = await agent.get(url)
      return {
        status: response.statusCode,
        location: response.headers.location,
        type: String(response.headers['content-type'] ?? ''),
        html: response.body,
      }
    }
    const reached = await crawlYoungReader(fetch, '/', async (url, page) => {
      expect.soft(youngReaderProblems(page.html), url).toEqual([])
    })
    const kinds = [...reached]
      .filter(([, p]) => p.status === 200 && p.type.includes('text/html'))
      .map(([url]) => kindOf(url))
    expect([...new Set(kinds)].sort()).toEqual([...YOUNG_PERSON_PAGE_KINDS].sort())
    for (const [url, page] of reached) expect(page.status, url).toBeLessThan(400)
  })
})
