import { describe, expect, it } from 'vitest'
import { findTemplate } from '../../forms/templates/index.ts'
import { accessWalk, namesIn } from '../../testing/access-walk.ts'
import { youngReaderProblems } from '../../testing/young-reader.ts'
import { paths } from '../../paths.ts'
import { voicePlan } from './voice.presenter.ts'

/*
 * Every page a young person gets 200 on (issue 20), found by the route walk: each GET route the
 * app registers, asked by the demo's young person (Charlie Young) with their own child, their PEP
 * and every page of their PEP's form. The list is written out below, so a new page a young person
 * can open fails here until it is theirs, in their words. Staff pages of their PEP and record
 * send them to their own (own-pages.routes.ts), and never for another child.
 */

const walk = accessWalk()

/** The routes a young person opens with 200 and a page: their own part, in their words. */
const THEIR_PAGES = [
  '/my-pep/:childId',
  '/my-pep/:childId/peps/:pepId',
  '/my-pep/:childId/peps/:pepId/views',
  '/my-pep/:childId/peps/:pepId/views/:stepId',
  '/my-pep/:childId/peps/:pepId/views-check',
  '/account',
  '/account/password',
  '/account/invitations',
]

/** Pages for anyone, signed in or not, that are no part of a child's record. */
const PUBLIC_PAGES = [
  '/account/forgotten-password',
  '/account/forgotten-password/sent',
  '/account/forgotten-email',
  '/account/forgotten-email/sent',
  '/api/v1/docs',
  '/dev/mailbox',
]

/** Staff pages of their record and PEP, each sent to the young person's own. */
const SENT_TO_THEIR_OWN = [
  '/children/:childId',
  '/children/:childId/peps',
  '/children/:childId/peps/:pepId',
  '/children/:childId/peps/:pepId/read',
  '/children/:childId/peps/:pepId/pages/:pageId',
  '/children/:childId/peps/:pepId/pages/:pageId/history',
]

describe('the pages a young person reaches', () => {
  it('are their own, in their words; staff pages send them there', async () => {
    const db = walk.t.database.db
    const agent = await walk.agentFor('young.person@example.org')
    const charlie = walk.children.find((c) => c.firstName === 'Charlie' && c.lastName === 'Young')!
    const pep = await db
      .selectFrom('pep')
      .select(['id', 'form_type', 'template_version', 'year_group'])
      .where('child_id', '=', charlie.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    const template = findTemplate(pep.form_type, pep.template_version)!
    const firstStep = voicePlan({
      formType: pep.form_type,
      templateVersion: pep.template_version,
      yearGroup: pep.year_group,
    })!.order[0]!
    const pageIds = template.sections.flatMap((s) => s.pages.map((p) => p.id))
    const ok = new Set<string>()
    const sent = new Map<string, string>()
    for (const route of walk.routesToWalk()) {
      if (route.method !== 'GET' || route.url.includes('sign-out')) continue
      const url = walk
        .urlFor(route, charlie.id)
        .replace(/\/peps\/[0-9a-f-]{36}/, `/peps/${pep.id}`)
        .replace(/\/views\/[^/]+$/, `/views/${firstStep}`)
      const urls = route.url.includes(':pageId')
        ? pageIds.map((pageId) => url.replace('/pages/personal-information', `/pages/${pageId}`))
        : [url]
      for (const each of urls) {
        const response = await agent.get(each)
        const html = String(response.headers['content-type']).includes('text/html')
        if (response.statusCode === 200 && html) {
          ok.add(route.url)
          if (!PUBLIC_PAGES.includes(route.url))
            expect.soft(youngReaderProblems(response.body), each).toEqual([])
        }
        if (response.statusCode === 303 && route.url.startsWith('/children/'))
          sent.set(each, String(response.headers.location))
      }
    }
    expect([...ok].sort()).toEqual([...THEIR_PAGES, ...PUBLIC_PAGES].sort())
    // Each staff page of theirs sends them to their own page of the same thing.
    const own = paths.youngPerson.pep(charlie.id, pep.id)
    for (const [url, location] of sent)
      expect(location, url).toMatch(
        new RegExp(`^(${own}(#page-[a-z0-9-]+)?|${paths.youngPerson.home(charlie.id)})$`),
      )
    const sentRoutes = new Set(
      [...sent.keys()].map((url) =>
        url
          .replace(charlie.id, ':childId')
          .replace(pep.id, ':pepId')
          .replace(/\/pages\/[^/]+/, '/pages/:pageId'),
      ),
    )
    expect([...sentRoutes].sort()).toEqual([...SENT_TO_THEIR_OWN].sort())
    // A page they may not read is not sent anywhere: it stays 404 (ADR 10). Their own PEP page
    // holds only what the reading rules give them: never Section D or health.
    for (const url of [
      paths.peps.page(charlie.id, pep.id, 'health-and-wellbeing'),
      paths.peps.history(charlie.id, pep.id, 'health-and-wellbeing'),
    ])
      expect((await agent.get(url)).statusCode, url).toBe(404)
    const mine = await agent.get(own)
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('What I think')
    expect(mine.body).toContain('id="page-smart-targets"')
    expect(mine.body).not.toContain('id="page-health-and-wellbeing"')
    expect(mine.body).not.toMatch(/quality assurance|Final sign-off/i)
  })

  it('never for another child: their staff pages stay 404, with no name', async () => {
    const agent = await walk.agentFor('young.person@example.org')
    const other = walk.children.find((c) => !(c.firstName === 'Charlie' && c.lastName === 'Young'))!
    const otherPep = await walk.t.database.db
      .selectFrom('pep')
      .select('id')
      .where('child_id', '=', other.id)
      .executeTakeFirst()
    const pepId = otherPep?.id ?? '00000000-0000-4000-8000-000000000000'
    for (const url of [
      paths.children.show(other.id),
      paths.peps.list(other.id),
      paths.peps.contents(other.id, pepId),
      paths.peps.read(other.id, pepId),
      paths.peps.page(other.id, pepId, 'smart-targets'),
      paths.peps.history(other.id, pepId, 'smart-targets'),
      paths.youngPerson.pep(other.id, pepId),
    ]) {
      const response = await agent.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(namesIn(response.body, other), url).toBe(false)
    }
  })
})
