import { formatPence, parsePounds } from '../domain/money.ts'
import { formatDate } from '../views/format.ts'
import type { AnswerValue, FieldQuestion, Question, RepeatItem } from './types.ts'

/*
 * Answers as people read them: in the read view, the history and the conflict page. Text is
 * returned as typed; the templates escape it.
 */

export interface DisplayItem {
  heading: string
  rows: { label: string; value: string }[]
}

export type DisplayAnswer =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'items'; items: DisplayItem[] }

function fieldText(question: FieldQuestion, value: AnswerValue): string | string[] {
  switch (question.type) {
    case 'date':
      return formatDate(String(value))
    case 'percentage':
      return `${String(value)}%`
    case 'money': {
      const amount = parsePounds(String(value), { allowNegative: true })
      return amount.ok ? formatPence(amount.value) : String(value)
    }
    case 'number':
      return `${String(value)}${question.suffix ? ` ${question.suffix}` : ''}`
    case 'yesNo':
      return value === 'yes' ? 'Yes' : 'No'
    case 'singleChoice':
      return question.options.find((o) => o.value === value)?.text ?? String(value)
    case 'multipleChoice':
      return (Array.isArray(value) ? (value as string[]) : [String(value)]).map(
        (v) => question.options.find((o) => o.value === v)?.text ?? v,
      )
    default:
      return String(value)
  }
}

export function displayAnswer(question: Question, value: AnswerValue | undefined): DisplayAnswer {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return { kind: 'none' }
  if (question.type === 'repeating') {
    const items = value as readonly RepeatItem[]
    return {
      kind: 'items',
      items: items.map((item, index) => ({
        heading: `${question.itemName.charAt(0).toUpperCase()}${question.itemName.slice(1)} ${index + 1}`,
        rows: question.fields.map((field) => {
          const fieldValue = item[field.id]
          const text = fieldValue === undefined ? 'Not answered' : fieldText(field, fieldValue)
          return { label: field.label, value: Array.isArray(text) ? text.join(', ') : text }
        }),
      })),
    }
  }
  const text = fieldText(question, value)
  return Array.isArray(text) ? { kind: 'list', items: text } : { kind: 'text', text }
}

/** One line of text for an answer, for the history and conflict tables. */
export function answerAsText(question: Question, value: AnswerValue | undefined): string {
  const shown = displayAnswer(question, value)
  if (shown.kind === 'none') return 'Not answered'
  if (shown.kind === 'text') return shown.text
  if (shown.kind === 'list') return shown.items.join(', ')
  return shown.items
    .map((item) => `${item.heading}: ${item.rows.map((r) => `${r.label}: ${r.value}`).join('; ')}`)
    .join('\n')
}
