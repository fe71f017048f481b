import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setSetting } from '../../shared/settings.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeChild, makePep, makeSchool, makeUser } from '../../testing/factories.ts'
import { hashPassword } from '../auth/passwords.ts'
import { setPageShared } from '../peps/peps.repository.ts'

/*
 * Every page a young person reaches (issue 20), found by crawling as one, through HTTP: a child
 * of key stage 2 (Year 4) and one of key stage 4 (Year 10), each with a PEP, a target and a page
 * staff shared with them. Each page they reach (sign-in aside) is in the young person's layout,
 * in their words: no staff words ("tray", "You work in", "My work"), no staff navigation.
 */

const PASSWORD = 'young-reader-pages-2026'
let t: TestContext
const youngPeople: Record<string, { agent: TestAgent; childId: string; pepId: string }> = {}

/** The pages reached from `start` by following links (GET only, never signing out). */
export async function crawl(agent: TestAgent, start: string) {
  const seen = new Map<string, { status: number; body: string; type: string }>()
  const queue = [start]
  while (queue.length > 0) {
    const url = queue.shift()!
    if (seen.has(url)) continue
    const response = await agent.get(url)
    const type = String(response.headers['content-type'] ?? '')
    seen.set(url, { status: response.statusCode, body: response.body, type })
    if (response.statusCode >= 300 && response.statusCode < 400) {
      const location = response.headers.location
      if (location?.startsWith('/')) queue.push(location)
      continue
    }
    if (!type.includes('text/html')) continue
    for (const match of response.body.matchAll(/href="(\/[^"#]*)/g)) {
      const href = match[1]!.replace(/&amp;/g, '&')
      if (href.startsWith('/assets') || href.startsWith('/sign-out')) continue
      if (!seen.has(href)) queue.push(href)
    }
  }
  return seen
}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  await setSetting(db, 'mfaRequiredForStaff', false, t.clock.now())
  const passwordHash = await hashPassword(PASSWORD)
  const school = await makeSchool(db, { phase: 'primary' })
  const authorityId = school.authorityId
  const sw = await makeUser(db, { role: 'social_worker', authorityId })
  for (const [key, dateOfBirth, yearGroup, formType] of [
    ['ks2', '2017-10-01', 'Y4', 'primary'],
    ['ks4', '2011-05-01', 'Y10', 'secondary'],
  ] as const) {
    const yp = await makeUser(db, {
      role: 'young_person',
      authorityId,
      passwordHash,
      displayName: `Young ${key}`,
    })
    const childId = await makeChild(db, {
      authorityId,
      schoolId: school.schoolId,
      firstName: key === 'ks2' ? 'Alys' : 'Bryn',
      dateOfBirth,
      recordOwnerId: sw.id,
      access: [
        { userId: sw.id, capacity: 'social_worker' },
        { userId: yp.id, capacity: 'young_person' },
      ],
    })
    const pepId = await makePep(db, {
      childId,
      yearGroup,
      formType,
      createdBy: sw.id,
      meetingOn: '2026-12-01',
      pages: {
        'smart-targets': {
          targets: [
            { id: 't1', area: 'literacy', target: 'Read every night', 'by-date': '2027-03-31' },
          ],
        },
      },
    })
    await setPageShared(db, {
      pepId,
      pageId: 'smart-targets',
      shared: true,
      by: sw.id,
      at: t.clock.now(),
    })
    const agent = new TestAgent(t.app)
    await agent.signIn(yp.email, PASSWORD)
    youngPeople[key] = { agent, childId, pepId }
  }
})
afterAll(() => t.close())

describe.each(['ks2', 'ks4'])('every page a young person of %s reaches', (key) => {
  it('is in the young person’s layout and words', async () => {
    const { agent } = youngPeople[key]!
    const pages = await crawl(agent, '/')
    const html = [...pages].filter(([, p]) => p.status === 200 && p.type.includes('text/html'))
    expect(html.length).toBeGreaterThan(3)
    for (const [url, page] of html) {
      expect.soft(page.body, url).toMatch(/<main class="[^"]*app-young-person/)
      for (const staffWords of [/\btray\b/i, /You work in/, /My work/])
        expect.soft(page.body, url).not.toMatch(staffWords)
    }
  })
})
