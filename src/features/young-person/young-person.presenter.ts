import { termLabel } from '../../domain/terms.ts'
import { findPage } from '../../forms/completion.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import type { Answers, Question, RepeatItem } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import { formatDate } from '../../views/format.ts'
import type { PageRow, PepRow } from '../peps/peps.service.ts'

/** The id of a PEP page's part on the young person's PEP page (a staff page's link lands there). */
export const youngPageAnchor = (pageId: string) => `page-${pageId}`

/*
 * The young person's own words (issue 20): everything their pages say, in one place, written for
 * a reader of about nine. Short sentences, everyday words, "you" and "your". No staff words
 * (section, delegate, QA), no dates in a format they would not write themselves.
 */

export const YP_WORDS = {
  homeTitle: 'My PEP',
  /** Their PEP for a term: `term` as `termWords` gives it. */
  pepTitle: (term: string) => `My PEP for the ${term}`,
  whatIsAPep:
    'PEP stands for Personal Education Plan. It is a plan to help you do well at school. The adults who help you meet to talk about it every term. You can tell them what you think.',
  noPepYet:
    'You do not have a PEP yet. When the adults who help you start one, you will see it here.',
  noLinkYet:
    'Your account is not linked to your PEP yet. Ask your social worker or designated teacher to help.',
} as const

/** "2:30pm" from '14:30'. */
export function plainTime(time: string | null): string | undefined {
  if (!time) return undefined
  const [h, m] = time.split(':').map(Number)
  if (h === undefined || m === undefined || Number.isNaN(h) || Number.isNaN(m)) return undefined
  const hour = h % 12 === 0 ? 12 : h % 12
  return `${hour}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}${h < 12 ? 'am' : 'pm'}`
}

/** "Monday 1 December 2026": a day as a child would read it. */
export function plainDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'long',
    timeZone: 'UTC',
  })
  return `${day} ${formatDate(date)}`
}

/** How a reviewed target went, in a child's words. */
export const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  achieved: 'You did it',
  partly_achieved: 'You did some of it',
  not_achieved: 'Not yet',
  continuing: 'You are still working on it',
}

export interface PlainTarget {
  area: string | undefined
  target: string
  byWhen: string | undefined
}

export interface PlainReview {
  target: string
  outcome: string | undefined
}

function choiceText(question: Question | undefined, fieldId: string, value: unknown) {
  if (question?.type !== 'repeating' || typeof value !== 'string') return undefined
  const field = question.fields.find((f) => f.id === fieldId)
  if (field?.type !== 'singleChoice') return undefined
  return field.options.find((o) => o.value === value)?.text
}

const items = (answers: Answers | undefined, id: string): readonly RepeatItem[] => {
  const value = answers?.[id]
  return Array.isArray(value) ? (value as readonly RepeatItem[]) : []
}

/** The targets agreed in a PEP (the SMART targets page), in plain words. */
export function targetsOf(pep: PepRow, pages: ReadonlyMap<string, PageRow>): PlainTarget[] {
  const template = findTemplate(pep.formType, pep.templateVersion)
  const question = template
    ? findPage(template, 'smart-targets')?.page.questions.find((q) => q.id === 'targets')
    : undefined
  return items(pages.get('smart-targets')?.answers, 'targets')
    .filter((item) => typeof item['target'] === 'string' && item['target'] !== '')
    .map((item) => ({
      area: choiceText(question, 'area', item['area']),
      target: String(item['target']),
      byWhen: typeof item['by-date'] === 'string' ? formatDate(item['by-date']) : undefined,
    }))
}

/** How last term's targets went (the review of targets page), in plain words. */
export function reviewsOf(pages: ReadonlyMap<string, PageRow>): PlainReview[] {
  return items(pages.get('review-of-targets')?.answers, 'target-reviews')
    .filter((item) => typeof item['target'] === 'string' && item['target'] !== '')
    .map((item) => ({
      target: String(item['target']),
      outcome: typeof item['outcome'] === 'string' ? OUTCOME_WORDS[item['outcome']] : undefined,
    }))
}

/** Where a shared page is: a link to read it, named as the page is. */
export function sharedPageLinks(pep: PepRow, pageIds: readonly string[]) {
  const template = findTemplate(pep.formType, pep.templateVersion)
  if (!template) return []
  return pageIds.flatMap((pageId) => {
    const found = findPage(template, pageId)
    return found
      ? [
          {
            text: youngPageTitle(pageId, found.page.title),
            href: `${paths.youngPerson.pep(pep.childId, pep.id)}#${youngPageAnchor(pageId)}`,
          },
        ]
      : []
  })
}

/** "Autumn term 2026": the term a PEP is for, as a child would say it. */
export const termWords = (pep: Pick<PepRow, 'term' | 'academicYear'>): string =>
  termLabel({ academicYear: pep.academicYear, name: pep.term })

/** A part of the PEP, named as a young reader would (no "Section A"). */
const SECTION_WORDS: Readonly<Record<string, string>> = {
  A: 'About me',
  B: 'My school and my learning',
  C: 'What I think',
}

/** Pages whose staff names are not a child's words. */
const PAGE_WORDS: Readonly<Record<string, string>> = {
  'smart-targets': 'My targets',
  'review-of-targets': 'How I did with my last targets',
  'pep-meeting': 'My PEP meeting',
  'childs-views': 'What I think',
}

export const youngSectionTitle = (sectionId: string) =>
  SECTION_WORDS[sectionId] ?? 'More about my plan'

/** "Your feelings about school" is "My feelings about school" to the one reading it. */
export const youngPageTitle = (pageId: string, title: string) =>
  PAGE_WORDS[pageId] ?? title.replace(/^Your /, 'My ')
