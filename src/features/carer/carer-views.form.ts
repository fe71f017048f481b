import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { CarerViewsText } from './carer-views.repository.ts'

/* The carer's views form (issue 20): three boxes, kept exactly as typed. */

export const VIEWS_MAX_LENGTH = 5000

export const CARER_VIEWS_FIELDS = [
  {
    name: 'goingWell',
    label: 'What is going well at school?',
    hint: 'For example, what they enjoy, friends they have made, or something they are proud of.',
  },
  {
    name: 'worries',
    label: 'Do you have any worries about their education?',
    hint: 'For example, homework, attendance, how they feel about school, or something that happened.',
  },
  {
    name: 'wouldHelp',
    label: 'What would help?',
    hint: 'For example, extra help in a subject, a club, or a change at school or at home.',
  },
] as const satisfies readonly { name: keyof CarerViewsText; label: string; hint: string }[]

export type CarerViewsValues = CarerViewsText & { version: string }

const text = (value: unknown) => (typeof value === 'string' ? value : '')

export type ReadCarerViews =
  | { ok: true; value: { text: CarerViewsText; fromVersion: number; send: boolean } }
  | { ok: false; values: CarerViewsValues; errors: FormErrors }

/**
 * Reads the form: each box as typed (blank is allowed while saving), no box too long, and at
 * least one box written before the views are sent.
 */
export function readCarerViewsForm(body: Record<string, unknown> | undefined): ReadCarerViews {
  const values: CarerViewsValues = {
    goingWell: text(body?.['goingWell']),
    worries: text(body?.['worries']),
    wouldHelp: text(body?.['wouldHelp']),
    version: text(body?.['version']),
  }
  const send = body?.['action'] === 'send'
  const problems = new FormProblems()
  for (const field of CARER_VIEWS_FIELDS)
    if (values[field.name].length > VIEWS_MAX_LENGTH)
      problems.add(
        field.name,
        `Your answer to "${field.label}" must be ${VIEWS_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
      )
  if (send && CARER_VIEWS_FIELDS.every((f) => values[f.name].trim() === ''))
    problems.add('goingWell', 'Write at least one answer before you send your views')
  const fromVersion = /^\d{1,9}$/.test(values.version) ? Number(values.version) : -1
  if (problems.any) return { ok: false, values, errors: problems.errors }
  return {
    ok: true,
    value: {
      text: { goingWell: values.goingWell, worries: values.worries, wouldHelp: values.wouldHelp },
      fromVersion,
      send,
    },
  }
}
