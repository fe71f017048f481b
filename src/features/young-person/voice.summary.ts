import type { Queryable } from '../../db/connection.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { sectionC } from '../../forms/templates/voice-modules.ts'
import { formatDateTime } from '../../views/format.ts'
import type { PageRow, PepRow } from '../peps/peps.service.ts'
import { findViewsSent, youngPersonAccountOf } from './voice.repository.ts'

/*
 * What staff read about the young person's views (issue 20): whether they gave them themselves,
 * when, and which of Section C's pages are in their own words.
 */

export interface OwnWords {
  /** The sentence for the PEP's contents, under Section C. */
  note: string | undefined
  /** Section C's pages last saved by the young person themself. */
  ownPages: ReadonlySet<string>
  /** The views were recorded by staff on the young person's behalf, not given by them. */
  onBehalf: boolean
}

export async function ownWordsOf(
  db: Queryable,
  pep: Pick<PepRow, 'id' | 'childId' | 'formType' | 'templateVersion'>,
  pages: ReadonlyMap<string, PageRow>,
  name: string,
): Promise<OwnWords> {
  const template = findTemplate(pep.formType, pep.templateVersion)
  const section = template && sectionC(template)
  if (!section) return { note: undefined, ownPages: new Set(), onBehalf: false }
  const [account, sent] = await Promise.all([
    youngPersonAccountOf(db, pep.childId),
    findViewsSent(db, pep.id),
  ])
  const ownPages = new Set(
    section.pages
      .filter((p) => account !== undefined && pages.get(p.id)?.savedBy === account)
      .map((p) => p.id),
  )
  const note = sent
    ? sent.onBehalf
      ? endSentence(
          `Recorded by ${sent.sentByName ?? 'someone'} on behalf of ${name}, on ${formatDateTime(sent.sentAt)}${sent.howGathered ? `. How their views were gathered: ${sent.howGathered.trim()}` : ''}`,
        )
      : `${name} sent their views, in their own words, on ${formatDateTime(sent.sentAt)}.`
    : ownPages.size > 0
      ? `${name} has started giving their views in their own words, and has not sent them yet.`
      : undefined
  return { note, ownPages, onBehalf: sent?.onBehalf ?? false }
}

/** A full stop after words that do not already end a sentence (what staff typed may). */
export function endSentence(words: string): string {
  return /[.!?…]["'”’)]*$/u.test(words) ? words : `${words}.`
}
