import type { Queryable } from '../db/connection.ts'
import { hashPassword } from '../shared/passwords.ts'
import { setPageShared } from '../features/peps/peps.repository.ts'
import { makeChild, makePep, makeUser } from './factories.ts'

/*
 * The young reader's crawl (issue 20), written once and used twice: over HTTP by
 * features/young-person/young-reader-pages.test.ts and in Chromium at 320px by
 * e2e/young-reader-pages.test.ts. Here are the young people it signs in as, how a page's kind is
 * named, the kinds a young person must reach, how the crawl follows links, and what every page
 * they reach must (not) say. The browser adds what only a browser can measure (width, targets,
 * axe, pictures).
 */

export const YOUNG_READER_PASSWORD = 'young-reader-pages-2026'

/** A young person of key stage 2 (Year 4) and one of key stage 4 (Year 10). */
export const YOUNG_READERS = [
  {
    key: 'ks2',
    firstName: 'Alys',
    dateOfBirth: '2017-10-01',
    yearGroup: 'Y4',
    formType: 'primary',
  },
  {
    key: 'ks4',
    firstName: 'Bryn',
    dateOfBirth: '2011-05-01',
    yearGroup: 'Y10',
    formType: 'secondary',
  },
] as const

export type YoungReaderKey = (typeof YOUNG_READERS)[number]['key']

export interface YoungReader {
  key: YoungReaderKey
  email: string
  childId: string
  pepId: string
}

/**
 * Makes one young reader: their account, the child who is them (with a social worker), a PEP with
 * a target and the targets page shared with them (ADR 10).
 */
export async function makeYoungReader(
  db: Queryable,
  options: { key: YoungReaderKey; authorityId: string; schoolId?: string; at: Date },
): Promise<YoungReader> {
  const spec = YOUNG_READERS.find((r) => r.key === options.key)!
  const { authorityId } = options
  const sw = await makeUser(db, { role: 'social_worker', authorityId })
  const yp = await makeUser(db, {
    role: 'young_person',
    authorityId,
    passwordHash: await hashPassword(YOUNG_READER_PASSWORD),
    displayName: `Young ${spec.key}`,
  })
  const childId = await makeChild(db, {
    authorityId,
    ...(options.schoolId && { schoolId: options.schoolId }),
    firstName: spec.firstName,
    dateOfBirth: spec.dateOfBirth,
    recordOwnerId: sw.id,
    access: [
      { userId: sw.id, capacity: 'social_worker' },
      { userId: yp.id, capacity: 'young_person' },
    ],
  })
  const pepId = await makePep(db, {
    childId,
    yearGroup: spec.yearGroup,
    formType: spec.formType,
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
    at: options.at,
  })
  return { key: spec.key, email: yp.email, childId, pepId }
}

/** The kind of a page: its path with ids and step names replaced ("/my-pep/:id/peps/:id"). */
export function kindOf(url: string): string {
  return new URL(url, 'http://x').pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
    .replace(/\/views\/[^/]+$/, '/views/:step')
    .replace(/\/pages\/[^/]+/, '/pages/:page')
}

/**
 * Every kind of page a young person reaches from their home by following links: their home,
 * their PEP to read, "Tell us what you think" and its questions, and their account. Nothing else:
 * the crawl fails on a kind not listed (a staff page reached again) and on one listed not reached.
 */
export const YOUNG_PERSON_PAGE_KINDS = [
  '/my-pep/:id',
  '/my-pep/:id/peps/:id',
  '/my-pep/:id/peps/:id/views',
  '/my-pep/:id/peps/:id/views/:step',
  '/my-pep/:id/peps/:id/views-check',
  '/account',
  '/account/password',
] as const

/** Links the crawl does not follow: signing out, assets, downloads. */
export const crawlSkips = (href: string) =>
  href.startsWith('/sign-out') ||
  href.startsWith('/assets') ||
  href.endsWith('.pdf') ||
  href.endsWith('.zip')

/** A page as the crawl fetched it. */
export interface FetchedPage {
  status: number
  /** Where a redirect goes. */
  location?: string | undefined
  type: string
  html: string
}

/**
 * Crawls from `start` through `fetch` (HTTP or a browser), following same-site links and
 * redirects, one page of each kind (every question of "Tell us what you think" is one kind).
 * `onPage` is called on each HTML page reached with 200 (the browser checks it there).
 */
export async function crawlYoungReader(
  fetch: (url: string) => Promise<FetchedPage>,
  start: string,
  onPage: (url: string, page: FetchedPage) => Promise<void> = async () => {},
): Promise<Map<string, FetchedPage>> {
  const reached = new Map<string, FetchedPage>()
  const kinds = new Set<string>()
  const queue = [start]
  while (queue.length > 0) {
    const url = queue.shift()!
    const kind = kindOf(url)
    if (kinds.has(kind) || reached.has(url)) continue
    kinds.add(kind)
    const page = await fetch(url)
    if (page.status >= 300 && page.status < 400) {
      if (page.location?.startsWith('/')) queue.unshift(page.location.split('#')[0]!)
      kinds.delete(kind)
      reached.set(url, page)
      continue
    }
    reached.set(url, page)
    if (!page.type.includes('text/html')) continue
    if (page.status === 200) await onPage(url, page)
    for (const match of page.html.matchAll(/href="(\/[^"#]*)/g)) {
      const href = match[1]!.replace(/&amp;/g, '&')
      if (!crawlSkips(href)) queue.push(href)
    }
  }
  return reached
}

/** The text of the page's main part, without tags. */
export function mainText(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? ''
  return main
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ')
}

/** Staff words a young person's page must never hold (their part says it their way). */
export const STAFF_WORDS: readonly RegExp[] = [
  /\btray\b/i,
  /You work in/,
  /\bMy work\b/,
  /\bSection [A-E]\b/,
  /\bcontents\b/i,
  /Last saved by/,
  /Marked complete/,
  /Not yet marked complete/,
  /\bdelegat/i,
  /\bSMART\b/,
]

/** Staff places a young person's page must not link to. */
const STAFF_LINK = /href="\/(children|tray|funding|admin|oversight|schools|peps\/blank)/

/** What is wrong with a young person's page: empty when it is theirs, in their words. */
export function youngReaderProblems(html: string): string[] {
  const problems: string[] = []
  if (!/<main class="[^"]*app-young-person/.test(html)) problems.push('not in their layout')
  const text = mainText(html)
  for (const words of STAFF_WORDS)
    if (words.test(text)) problems.push(`staff words ${String(words)}: "${words.exec(text)![0]}"`)
  const link = STAFF_LINK.exec(html)
  if (link) problems.push(`a staff link: ${link[0]}`)
  return problems
}
