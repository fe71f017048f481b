import { isAnswered } from '../../forms/answers.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import {
  symbolsPage,
  voiceModuleFor,
  voiceSteps,
  type VoiceStep,
} from '../../forms/templates/voice-modules.ts'
import { isYearGroup } from '../../domain/year-group.ts'
import type { Choice, FormTemplate } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import type { PageRow, PepRow } from '../peps/peps.service.ts'
import type { ViewsSent } from './voice.repository.ts'
import type { ViewsGiver } from '../../email/pep-emails.ts'

/** The titles of the young person's views pages (a question's page is titled by its question). */
export const VOICE_TITLES = {
  start: 'Tell us what you think',
  pictures: 'How do you feel about these?',
  check: 'Check your answers',
}

/*
 * The words and pictures of "Tell us what you think" (issue 20). Pictures are shipped with the
 * project (Twemoji's, under CC BY 4.0, with their licence in assets/symbols), shown large beside
 * words that say the same, so they are decoration to a screen reader (alt=""); the faces are
 * drawn here as SVG (the project's own, under its MIT licence).
 */

/**
 * The picture shipped for an emoji (assets/symbols, Twemoji under CC BY 4.0, LICENCE.md there):
 * its file is named by the emoji's code points, without the variation selector unless joined.
 */
export function symbolFile(emoji: string): string {
  let points = [...emoji].map((c) => c.codePointAt(0)!.toString(16))
  if (!points.includes('200d')) points = points.filter((p) => p !== 'fe0f')
  return `${points.join('-')}.svg`
}

/** Where the page loads the picture for an emoji from. */
export const symbolHref = (emoji: string) => paths.assets(`images/symbols/${symbolFile(emoji)}`)

/** The step that rates the pictured activities, where the form has them. */
export const PICTURES_STEP = 'pictures'

/** A picture for each topic of Section C (its page). */
export const TOPIC_PICTURES: Readonly<Record<string, string>> = {
  'your-assessments-and-achievements': '🏆',
  'your-feelings-about-school': '🏫',
  'your-feelings-about-learning': '📚',
  'your-teachers': '🧑‍🏫',
  'your-talents-and-interests': '⭐',
  'your-future': '🚀',
}

/** A picture for each activity of the symbols pages (question `view-<id>`). */
export const ACTIVITY_PICTURES: Readonly<Record<string, string>> = {
  'playing-outside': '🌳',
  stories: '📖',
  painting: '🎨',
  music: '🎵',
  building: '🧱',
  'sand-and-water': '🪣',
  'snack-time': '🍎',
  friends: '👫',
  'reading-and-writing': '✏️',
  numbers: '🔢',
  art: '🎨',
  pe: '⚽',
  lunchtime: '🍽️',
  trips: '🚌',
  adults: '🧑‍🏫',
}

const FACE_MOUTHS: Readonly<Record<string, string>> = {
  'liked-a-lot': 'M18 38 Q32 52 46 38',
  ok: 'M20 42 L44 42',
  'did-not-like': 'M18 46 Q32 34 46 46',
}

/** A face for each of "Liked a lot", "OK", "Did not like": SVG, hidden from screen readers. */
export function faceSvg(value: string): string {
  const mouth = FACE_MOUTHS[value] ?? FACE_MOUTHS['ok']!
  return `<svg viewBox="0 0 64 64" aria-hidden="true" focusable="false"><circle cx="32" cy="32" r="29" fill="#ffdd00" stroke="#0b0c0c" stroke-width="3"/><circle cx="22" cy="25" r="4" fill="#0b0c0c"/><circle cx="42" cy="25" r="4" fill="#0b0c0c"/><path d="${mouth}" fill="none" stroke="#0b0c0c" stroke-width="4" stroke-linecap="round"/></svg>`
}

/** The activity's name in a question "How do you feel about playing outside?" → "Playing outside". */
export function activityName(label: string): string {
  const name = label.replace(/^How do you feel about /, '').replace(/\?$/, '')
  return name.charAt(0).toUpperCase() + name.slice(1)
}

export interface VoicePlan {
  template: FormTemplate
  steps: VoiceStep[]
  pictures: ReturnType<typeof symbolsPage>
  rows: number
  /** Step ids in order, pictures first. */
  order: string[]
}

/** What a PEP asks the young person, if anything (no Section C, or no module for their age). */
export function voicePlan(pep: Pick<PepRow, 'formType' | 'templateVersion' | 'yearGroup'>) {
  const template = findTemplate(pep.formType, pep.templateVersion)
  const module = voiceModuleFor(isYearGroup(pep.yearGroup) ? pep.yearGroup : null)
  if (!template || !module) return undefined
  const steps = voiceSteps(module, template)
  const pictures = symbolsPage(template)
  if (steps.length === 0 && !pictures) return undefined
  return {
    template,
    steps,
    pictures,
    rows: module.rows,
    order: [...(pictures ? [PICTURES_STEP] : []), ...steps.map((s) => s.id)],
  } satisfies VoicePlan
}

/** Whether a step has an answer. */
export function stepAnswered(
  plan: VoicePlan,
  stepId: string,
  pages: ReadonlyMap<string, PageRow>,
): boolean {
  if (stepId === PICTURES_STEP && plan.pictures)
    return plan.pictures.questions.some((q) =>
      isAnswered(pages.get(plan.pictures!.page.id)?.answers[q.id]),
    )
  const step = plan.steps.find((s) => s.id === stepId)
  return Boolean(step && isAnswered(pages.get(step.pageId)?.answers[step.question.id]))
}

/** The card on the young person's home: how far they are, and where to carry on. */
export function voiceProgress(
  pep: PepRow,
  pages: ReadonlyMap<string, PageRow>,
  sent: ViewsSent | undefined,
  open: boolean,
) {
  const plan = voicePlan(pep)
  if (!plan) return undefined
  const href = paths.youngPerson.views(pep.childId, pep.id)
  if (sent?.onBehalf)
    return {
      status: `${sent.sentByName ?? 'An adult'} wrote down your views for you on ${formatDateTime(sent.sentAt)}. The adults at your meeting will read them.`,
      href,
      buttonText: 'See what was said',
    }
  if (sent)
    return {
      status: `You sent your views on ${formatDateTime(sent.sentAt)}. Thank you! The adults at your meeting will read them.`,
      href,
      buttonText: 'See what you said',
    }
  if (!open)
    return {
      status: 'Your views for this PEP are finished.',
      href,
      buttonText: 'See what you said',
    }
  const answered = plan.order.filter((id) => stepAnswered(plan, id, pages)).length
  return {
    status:
      answered === 0
        ? `There are ${plan.order.length} questions. You can answer as many as you like. Your answers are saved as you go.`
        : `You have answered ${answered} of ${plan.order.length} questions. You can change them until you send them.`,
    href,
    buttonText: answered === 0 ? 'Start' : 'Carry on',
  }
}

/** The faces to choose from, for a question of the pictured activities. */
export function faceChoices(options: readonly Choice[], chosen: unknown) {
  return options.map((o) => ({
    value: o.value,
    text: o.text,
    svg: faceSvg(o.value),
    checked: chosen === o.value,
  }))
}

export interface OwnWords {
  /** The sentence for the PEP's contents, under Section C. */
  note: string | undefined
  /** Section C's pages last saved by the young person themself. */
  ownPages: ReadonlySet<string>
  /** The views were recorded by staff on the young person's behalf, not given by them. */
  onBehalf: boolean
}

/** The sentence under Section C of the PEP's contents: who gave the views, and when. */
export function ownWordsNote(
  name: string,
  sent: ViewsSent | undefined,
  ownPages: ReadonlySet<string>,
): string | undefined {
  return sent
    ? sent.onBehalf
      ? endSentence(
          `Recorded by ${sent.sentByName ?? 'someone'} on behalf of ${name}, on ${formatDateTime(sent.sentAt)}${sent.howGathered ? `. How their views were gathered: ${sent.howGathered.trim()}` : ''}`,
        )
      : `${name} sent their views, in their own words, on ${formatDateTime(sent.sentAt)}.`
    : ownPages.size > 0
      ? `${name} has started giving their views in their own words, and has not sent them yet.`
      : undefined
}

/** A full stop after words that do not already end a sentence (what staff typed may). */
export function endSentence(words: string): string {
  return /[.!?…]["'”’)]*$/u.test(words) ? words : `${words}.`
}

/** The tray alert's words, by whose views were sent (the tray names the child beside it). */
export const VIEWS_SENT_ALERT_TITLES: Record<ViewsGiver, string> = {
  'young-person': 'The young person sent their views for the PEP',
  'on-behalf': 'The young person’s views were recorded on their behalf',
  carer: 'The carer sent their views for the PEP',
}
