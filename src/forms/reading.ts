import type { Role } from '../domain/roles.ts'
import { mayRead, narrower, type Audience } from '../domain/visibility.ts'
import { mayEditPage } from './completion.ts'
import { READING_RULES, type ReadingRules } from './templates/reading-rules.ts'
import type { Page, Question, Section } from './types.ts'

/*
 * The PEP form's parts put to the one reading rule (domain/visibility.ts): each page's and
 * question's audience from the reading rules (forms/templates/reading-rules.ts), and whether the
 * reader may change the page or has had it shared with them. Every view of a PEP (its contents,
 * pages, read and print view, history, PDF) reads through these.
 */

/** Who is reading a PEP: their role, and the pages staff have shared with the young person. */
export interface PepReader {
  role: Role | null
  sharedPages: ReadonlySet<string>
}

/** The audience the form's parts have when the rules name nothing. */
export const DEFAULT_AUDIENCE: Audience = 'staff-and-carer'

export function pageAudience(
  section: Pick<Section, 'id'>,
  page: Pick<Page, 'id'>,
  rules: ReadingRules = READING_RULES,
): Audience {
  return rules.pages[page.id] ?? rules.sections[section.id] ?? DEFAULT_AUDIENCE
}

export function questionAudience(
  section: Pick<Section, 'id'>,
  page: Pick<Page, 'id'>,
  question: Pick<Question, 'id'>,
  rules: ReadingRules = READING_RULES,
): Audience {
  const ofPage = pageAudience(section, page, rules)
  const own = rules.questions[question.id]
  return own ? narrower(own, ofPage) : ofPage
}

function item(reader: PepReader, section: Section, page: Page, audience: Audience) {
  return {
    kind: 'pep' as const,
    audience,
    editableByReader: mayEditPage(section, page, reader.role),
    sharedWithYoungPerson: reader.sharedPages.has(page.id),
  }
}

/** May the reader open this page at all? */
export function mayReadPage(reader: PepReader, section: Section, page: Page): boolean {
  return mayRead(reader.role, item(reader, section, page, pageAudience(section, page)))
}

export function mayReadQuestion(
  reader: PepReader,
  section: Section,
  page: Page,
  question: Question,
): boolean {
  return mayRead(
    reader.role,
    item(reader, section, page, questionAudience(section, page, question)),
  )
}

/** The questions of a page the reader may read (none if they may not read the page). */
export function readableQuestions(reader: PepReader, section: Section, page: Page): Question[] {
  if (!mayReadPage(reader, section, page)) return []
  return page.questions.filter((q) => mayReadQuestion(reader, section, page, q))
}

/** Could staff share this page with the young person (it is not restricted, and not theirs already)? */
export function mayShareWithYoungPerson(section: Section, page: Page): boolean {
  const audience = pageAudience(section, page)
  return audience === 'staff-and-carer' && !mayEditPage(section, page, 'young_person')
}
