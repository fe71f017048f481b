import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import type { TestAgent } from '../../testing/agent.ts'

/*
 * A colleague given pages of a PEP reaches that PEP's own routes and nothing else of the child
 * (issue 15): so no page they see offers a link into the child's record that would answer 404
 * (the header's tabs, back links, the contents page's links, a page's links to the record). The
 * test walks every page of the PEP reachable from its contents page by links, as the colleague,
 * and opens every link on each.
 */

let t: TestContext
let world: DemoWorld
let childId: string
let pepId: string

const COLLEAGUE = 'designated.person@example.org'

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  // The demo's designated person joins the staff of the child's school: not on the child's list.
  await t.database.db
    .updateTable('membership')
    .set({ school_id: world.schoolId })
    .where('user_id', '=', world.ids[COLLEAGUE]!)
    .where('role', '=', 'designated_person')
    .execute()
  childId = await world.newChild({
    firstName: 'Linus',
    lastName: 'Crawled',
    caseReference: 'HFD-LINKS-1',
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
    ],
  })
  pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
  const sw = await world.agent('social.worker@example.org')
  const url = `/children/${childId}/peps/${pepId}/actions/delegate`
  await sw.get(url)
  const given = await sw.post(url, {
    'dueOn-day': '27',
    'dueOn-month': '11',
    'dueOn-year': '2026',
    delegateTo: world.ids[COLLEAGUE]!,
    pages: ['attendance', 'sen'],
  })
  expect(given.statusCode).toBe(303)
})
afterAll(() => world.close())

/** The links of a page's body that lead somewhere in OpenPEP (not anchors, not elsewhere). */
function linksOf(html: string): string[] {
  const hrefs = [...html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)].map((m) =>
    m[1]!.replace(/&amp;/g, '&'),
  )
  return [...new Set(hrefs.filter((h) => h.startsWith('/') && !h.startsWith('/assets/')))]
    .map((h) => h.split('#')[0]!)
    .filter((h) => h !== '')
}

describe('what a colleague given pages of a PEP sees', () => {
  it('offers no link that answers 404', async () => {
    const me: TestAgent = await world.agent(COLLEAGUE)
    const pep = `/children/${childId}/peps/${pepId}`
    const queue = [pep, '/tray', '/']
    const seen = new Set<string>()
    const broken: string[] = []
    const checked = new Map<string, number>()
    while (queue.length > 0) {
      const url = queue.shift()!
      if (seen.has(url)) continue
      seen.add(url)
      const page = await me.get(url)
      expect(page.statusCode, url).toBe(200)
      if (!String(page.headers['content-type']).startsWith('text/html')) continue
      for (const link of linksOf(page.body)) {
        let status = checked.get(link)
        if (status === undefined) {
          status = (await me.get(link)).statusCode
          checked.set(link, status)
        }
        if (status === 404) broken.push(`${url} -> ${link}`)
        // Walk on through the PEP's own pages (and no further: other children are not this test's).
        else if (link.startsWith(pep) && !link.endsWith('.pdf') && !link.includes('/pdf'))
          queue.push(link)
      }
    }
    expect(broken).toEqual([])
    // The walk reached the PEP's pages, the delegated ones among them.
    expect(seen).toContain(`${pep}/pages/attendance`)
    expect(seen.size).toBeGreaterThan(10)
    // The child's name is still the page's heading: they are working on this child's PEP.
    const contents = (await me.get(pep)).body
    expect(contents).toContain('Linus Crawled')
    expect(contents).toContain('Back to your work')
    // Those on the child's list keep their links into the record.
    const sw = await world.agent('social.worker@example.org')
    expect((await sw.get(pep)).body).toContain(`href="/children/${childId}/peps">Back to`)
  })
})
