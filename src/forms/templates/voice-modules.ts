import type { YearGroup } from '../../domain/year-group.ts'
import { keyStageOf } from '../../domain/year-group.ts'
import type { FormTemplate, Question, Section } from '../types.ts'

/*
 * "Tell us what you think": the young person's own way into Section C (issue 20), by age. Each
 * step asks one of Section C's questions (by its id, stable across versions) in words for the
 * young person's age, and saves the answer, exactly as typed, as that question's answer: so what
 * they say is Section C, with its history, and staff read it there. Nothing here changes what a
 * form asks; a step whose question a PEP's form does not have is left out.
 *
 * - Key stages 1 and 2: a few short questions, a big picture each, a small box to write in.
 * - Key stages 3 and 4: every question of Section C, as the form asks it.
 * - Post-16: the same, in the post-16 form's words (their course, their plans).
 * Where Section C has pictured activities (the special school forms), they come first, rated
 * with three faces.
 */

export type VoiceModuleId = 'ks1-2' | 'ks3-4' | 'post-16'

export interface VoiceStepWords {
  /** The Section C question this step answers. */
  questionId: string
  label: string
  hint?: string
}

export interface VoiceModule {
  id: VoiceModuleId
  /** How long the answer box is: short for the youngest. */
  rows: number
  /** The steps' words; `undefined` means every question of Section C in the form's own words. */
  steps: readonly VoiceStepWords[] | undefined
}

/** Key stages 1 and 2: a reading age of about nine; one short question at a time. */
const KS1_2_STEPS: readonly VoiceStepWords[] = [
  {
    questionId: 'yp-proud-of',
    label: 'What are you proud of?',
    hint: 'Something you did well, or something hard that you kept trying at.',
  },
  { questionId: 'yp-likes', label: 'What do you like about school?' },
  {
    questionId: 'yp-worries',
    label: 'Does anything at school worry you?',
    hint: 'It is OK to say no.',
  },
  { questionId: 'yp-enjoy', label: 'Which lessons do you like best?' },
  {
    questionId: 'yp-helps-learning',
    label: 'What helps you learn?',
    hint: 'For example, pictures, or working with a friend.',
  },
  { questionId: 'yp-trusted-adult', label: 'Who can you talk to at school if something is wrong?' },
  { questionId: 'yp-good-at', label: 'What are you good at?' },
  { questionId: 'yp-future', label: 'What would you like to do when you grow up?' },
  { questionId: 'yp-anything-else', label: 'Is there anything else you want to tell us?' },
]

export const VOICE_MODULES: Readonly<Record<VoiceModuleId, VoiceModule>> = {
  'ks1-2': { id: 'ks1-2', rows: 3, steps: KS1_2_STEPS },
  'ks3-4': { id: 'ks3-4', rows: 5, steps: undefined },
  'post-16': { id: 'post-16', rows: 5, steps: undefined },
}

/** The module for a PEP's year group; none in the early years (no Section C: symbols, by staff). */
export function voiceModuleFor(yearGroup: YearGroup | null): VoiceModule | undefined {
  if (!yearGroup) return undefined
  const stage = keyStageOf(yearGroup)
  if (stage === 'KS1' || stage === 'KS2') return VOICE_MODULES['ks1-2']
  if (stage === 'KS3' || stage === 'KS4') return VOICE_MODULES['ks3-4']
  if (stage === 'KS5') return VOICE_MODULES['post-16']
  return undefined
}

/** A question of Section C the module asks, where it is, and how the module words it. */
export interface VoiceStep {
  /** In the URL: the question's id. */
  id: string
  pageId: string
  question: Question
  label: string
  hint: string | undefined
  /** Which of the form's pages the step belongs to, for the picture beside it. */
  topic: string
}

/** Section C of a form: where the young person's views go. */
export const sectionC = (template: FormTemplate): Section | undefined =>
  template.sections.find((s) => s.id === 'C')

/** Whether a question is one of the pictured activities, rated with faces. */
export const isSymbolQuestion = (question: Question): boolean =>
  question.type === 'singleChoice' && question.id.startsWith('view-')

/** The steps of a module for a PEP's form: its written questions, in the form's order. */
export function voiceSteps(module: VoiceModule, template: FormTemplate): VoiceStep[] {
  const section = sectionC(template)
  if (!section) return []
  const written = section.pages.flatMap((page) =>
    page.questions
      .filter((q) => q.type === 'longText' && q.id.startsWith('yp-'))
      .map((question) => ({ page, question })),
  )
  const find = (id: string) => written.find((w) => w.question.id === id)
  const steps = module.steps
    ? module.steps.flatMap((words) => {
        const found = find(words.questionId)
        return found ? [{ ...found, label: words.label, hint: words.hint }] : []
      })
    : written.map((w) => ({ ...w, label: w.question.label, hint: w.question.hint }))
  return steps.map(({ page, question, label, hint }) => ({
    id: question.id,
    pageId: page.id,
    question,
    label,
    hint,
    topic: page.id,
  }))
}

/** The page of Section C with pictured activities, if the form has one. */
export function symbolsPage(template: FormTemplate) {
  const page = sectionC(template)?.pages.find((p) => p.questions.some(isSymbolQuestion))
  return page ? { page, questions: page.questions.filter(isSymbolQuestion) } : undefined
}
