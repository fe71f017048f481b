import fp from 'fastify-plugin'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { findPage } from '../../forms/completion.ts'
import { mayReadPage } from '../../forms/reading.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { paths } from '../../paths.ts'
import { isYoungPersonOnly } from '../../views/navigation.ts'
import { findPepOfChild } from '../peps/peps.service.ts'
import { youngPageAnchor } from './young-person.presenter.ts'
import { sharedPagesOfPeps } from './young-person.repository.ts'

/*
 * The staff pages a young person could reach (issue 20): the child page, the PEP list, a PEP's
 * contents and read view, a page and its history. Each has its own equivalent in the young
 * person's part, in their words; a young person asking for the staff page is sent there, so
 * they never read staff wording ("Section C", "contents", who saved what and when) or staff
 * navigation. Written once here; `own-pages.test.ts` lists every page a young person reaches.
 */

type Params = { childId?: string; pepId?: string; pageId?: string }

/** Where a staff page's young reader reads the same thing, by the staff route's pattern. */
const OWN_PLACE: Readonly<Record<string, (p: Required<Params>) => string>> = {
  [paths.children.show(':childId')]: (p) => paths.youngPerson.home(p.childId),
  [paths.peps.list(':childId')]: (p) => paths.youngPerson.home(p.childId),
  [paths.peps.contents(':childId', ':pepId')]: (p) => paths.youngPerson.pep(p.childId, p.pepId),
  [paths.peps.read(':childId', ':pepId')]: (p) => paths.youngPerson.pep(p.childId, p.pepId),
  [paths.peps.page(':childId', ':pepId', ':pageId')]: (p) =>
    `${paths.youngPerson.pep(p.childId, p.pepId)}#${youngPageAnchor(p.pageId)}`,
  [paths.peps.history(':childId', ':pepId', ':pageId')]: (p) =>
    `${paths.youngPerson.pep(p.childId, p.pepId)}#${youngPageAnchor(p.pageId)}`,
}

/** The young person's own page for a staff route, or undefined when it has none. */
export function ownPlaceFor(routeUrl: string, params: Params): string | undefined {
  const place = OWN_PLACE[routeUrl]
  if (!place) return undefined
  return place({
    childId: params.childId ?? '',
    pepId: params.pepId ?? '',
    pageId: params.pageId ?? '',
  })
}

/**
 * Whether the young person may read the PEP's page the URL names (ADR 10). A page they may not
 * read is not sent anywhere: its staff route answers 404 as before, so nothing says it exists.
 */
async function mayReadNamedPage(db: Database, childId: string, params: Params) {
  if (params.pageId === undefined) return true
  if (!params.pepId || !isUuid(params.pepId)) return false
  const pep = await findPepOfChild(db, childId, params.pepId)
  const found = pep && findTemplate(pep.formType, pep.templateVersion)
  const page = found && findPage(found, params.pageId)
  if (!pep || !page) return false
  const shared = (await sharedPagesOfPeps(db, [pep.id])).get(pep.id) ?? []
  return mayReadPage(
    { role: 'young_person', sharedPages: new Set(shared) },
    page.section,
    page.page,
  )
}

/**
 * Sends a young person (and no one else) from a staff page to their own, after the access
 * plugin has proved the child in the URL is theirs (a hidden child is 404 before this runs).
 */
export const youngPersonOwnPages = fp<{ db: Database }>(async (app, { db }) => {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return
    if (!request.user || !request.child || !isYoungPersonOnly(request.user)) return
    const params = request.params as Params
    const place = ownPlaceFor(request.routeOptions.url ?? '', params)
    if (place && (await mayReadNamedPage(db, request.child.id, params)))
      return reply.redirect(place, 303)
  })
})
