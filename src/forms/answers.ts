import { formatPence, parsePounds, toDecimalPounds, type MoneyRefusal } from '../domain/money.ts'
import { readDateInput, type DateInputValues } from './date-input.ts'
import type { Refusal } from '../shared/result.ts'
import { FormProblems, type FormErrors } from './validation.ts'
import type {
  Answers,
  AnswerValue,
  FieldQuestion,
  FieldValue,
  Page,
  Question,
  RepeatingQuestion,
  RepeatItem,
} from './types.ts'

/*
 * Reading a page of the form from what the browser posted, and back. Nothing here blocks a save
 * for being unanswered (mandatory answers only block marking a section complete); it refuses only
 * what cannot be stored as meant: a date that does not exist, a number out of range, text over
 * its limit. Text is kept exactly as typed.
 */

export const DEFAULT_MAX_LENGTH = { text: 250, longText: 10_000 } as const
export const DEFAULT_MAX_ITEMS = 20

/** What someone typed into one field, to show back to them. */
export type RawField = string | readonly string[] | DateInputValues

/** What a page's form holds: each question's raw input, and each repeating group's items. */
export interface PageInput {
  fields: Record<string, RawField>
  groups: Record<string, { id: string; fields: Record<string, RawField> }[]>
}

export type Body = Readonly<Record<string, unknown>>

/** The form field name of a question, or of a field of one item of a repeating group. */
export const fieldName = (questionId: string, item?: { index: number; fieldId: string }) =>
  item ? `${questionId}--${item.index}--${item.fieldId}` : questionId

export const itemIdName = (groupId: string, index: number) => `${groupId}--${index}--id`

// PostgreSQL cannot store NUL, and no one types the other C0 controls; tab and line breaks stay.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/**
 * How messages name a question: its `name`; else a question label quoted whole ("the answer
 * to ‘When should it be achieved by?’"); else its label in lower case ("phone number").
 */
export function nameOf(question: Question): string {
  if (question.name) return question.name
  const label = question.label.trim()
  if (label.endsWith('?')) return `the answer to ‘${label}’`
  const bare = label.replace(/:\s*$/, '')
  return bare.charAt(0).toLowerCase() + bare.slice(1)
}

const one = (value: unknown): string => {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0]
  return ''
}

const many = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')

function rawFrom(body: Body, question: FieldQuestion, name: string): RawField {
  if (question.type === 'date') {
    return {
      day: one(body[`${name}-day`]),
      month: one(body[`${name}-month`]),
      year: one(body[`${name}-year`]),
    }
  }
  if (question.type === 'multipleChoice') return many(body[name])
  return one(body[name])
}

type FieldResult = { value: FieldValue | undefined } | { error: string; href?: string }

const NUMBER = /^-?\d+(\.\d+)?$/

function decimalPlaces(text: string): number {
  return text.includes('.') ? text.split('.')[1]!.length : 0
}

/** Reads one field; `label` names it in messages ("Target 2: how success will be measured"). */
export function readField(question: FieldQuestion, raw: RawField, label: string): FieldResult {
  const Label = capital(label)
  switch (question.type) {
    case 'text':
    case 'longText': {
      const text = typeof raw === 'string' ? raw : ''
      if (text.trim() === '') return { value: undefined }
      const max = question.maxLength ?? DEFAULT_MAX_LENGTH[question.type]
      if ([...text].length > max)
        return { error: `${Label} must be ${max.toLocaleString('en-GB')} characters or fewer` }
      if (CONTROL_CHARACTERS.test(text))
        return { error: `${Label} must not contain hidden control characters` }
      return { value: text }
    }
    case 'date': {
      const typed = raw as DateInputValues
      if (!typed.day.trim() && !typed.month.trim() && !typed.year.trim())
        return { value: undefined }
      const date = readDateInput(
        { 'd-day': typed.day, 'd-month': typed.month, 'd-year': typed.year },
        'd',
        label,
      )
      return date.ok ? { value: date.value } : { error: date.error, href: date.part }
    }
    case 'time': {
      const text = (raw as string).trim()
      if (text === '') return { value: undefined }
      const time = parseTime(text)
      return time
        ? { value: time }
        : { error: `${Label} must be a time of day, like 14:30 or 2:30pm` }
    }
    case 'money': {
      const text = (raw as string).trim()
      if (text === '') return { value: undefined }
      const maxPence = question.max === undefined ? undefined : Math.round(question.max * 100)
      const amount = parsePounds(text, { maxPence })
      // Stored as a decimal of pounds ("1234.50"), as every answer saved so far is.
      if (amount.ok) return { value: toDecimalPounds(amount.value) }
      return { error: moneyMessage(Label, amount.error) }
    }
    case 'number':
    case 'percentage': {
      const text = (raw as string).trim().replace(/,/g, '')
      if (text === '') return { value: undefined }
      const digits = question.type === 'percentage' ? text.replace(/%$/, '').trim() : text
      if (!NUMBER.test(digits)) {
        const what = { number: 'a number', percentage: 'a percentage' }
        return { error: `${Label} must be ${what[question.type]}` }
      }
      const value = Number(digits)
      if (question.type === 'percentage') {
        if (value < 0 || value > 100) return { error: `${Label} must be between 0 and 100` }
        if (decimalPlaces(digits) > 1)
          return { error: `${Label} must have no more than one decimal place` }
        return { value }
      }
      const integer = question.integer ?? true
      if (integer && decimalPlaces(digits) > 0) return { error: `${Label} must be a whole number` }
      if (!integer && decimalPlaces(digits) > 2)
        return { error: `${Label} must have no more than two decimal places` }
      const { min, max } = question
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        if (min !== undefined && max !== undefined)
          return { error: `${Label} must be between ${min} and ${max}` }
        return min !== undefined
          ? { error: `${Label} must be ${min} or more` }
          : { error: `${Label} must be ${max} or less` }
      }
      return { value }
    }
    case 'yesNo': {
      const text = (raw as string).trim()
      if (text === '') return { value: undefined }
      return text === 'yes' || text === 'no'
        ? { value: text }
        : { error: `Select yes or no for ${label}` }
    }
    case 'singleChoice': {
      const text = (raw as string).trim()
      if (text === '') return { value: undefined }
      return question.options.some((o) => o.value === text)
        ? { value: text }
        : { error: `Select one of the options for ${label}` }
    }
    case 'multipleChoice': {
      const chosen = (raw as readonly string[]).map((v) => v.trim()).filter((v) => v !== '')
      if (chosen.length === 0) return { value: undefined }
      if (!chosen.every((v) => question.options.some((o) => o.value === v)))
        return { error: `Select only the options shown for ${label}` }
      return { value: [...new Set(chosen)] }
    }
  }
}

/** The words for a money rule's refusal, naming the field. */
function moneyMessage(Label: string, refusal: Refusal<MoneyRefusal>): string {
  switch (refusal.code) {
    case 'money.negative':
      return `${Label} must be 0 or more`
    case 'money.too-many-decimals':
      return `${Label} must be in pounds and pence`
    case 'money.over-maximum':
      return `${Label} must be ${formatPence(Number(refusal.params?.['maxPence']), { dropZeroPence: true })} or less`
    case 'money.empty':
    case 'money.not-an-amount':
      return `${Label} must be an amount in pounds`
  }
}

/** Accepts 14:30, 14.30, 9:05, 2:30pm, 2pm, 12am; gives 24-hour 'HH:MM'. */
export function parseTime(text: string): string | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim())
  if (!match) return undefined
  let hours = Number(match[1])
  const minutes = match[2] === undefined ? 0 : Number(match[2])
  const meridiem = match[3]?.toLowerCase()
  if (meridiem === undefined && match[2] === undefined) return undefined
  if (minutes > 59) return undefined
  if (meridiem) {
    if (hours < 1 || hours > 12) return undefined
    hours = (hours % 12) + (meridiem === 'pm' ? 12 : 0)
  } else if (hours > 23) return undefined
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
}

export interface PageRead {
  input: PageInput
  /** What will be stored: every answered question of the page. */
  answers: Record<string, AnswerValue>
  errors: FormErrors
  ok: boolean
}

/**
 * Reads every question of a page from the posted body. `newId` names new items of repeating
 * groups. Blank items are dropped; items keep their ids, so they can be followed through history.
 */
export function readPage(page: Page, body: Body, newId: () => string): PageRead {
  const input: PageInput = { fields: {}, groups: {} }
  const answers: Record<string, AnswerValue> = {}
  const problems = new FormProblems()
  for (const question of page.questions) {
    if (question.type === 'repeating') {
      const items = readGroup(question, body, newId, problems)
      input.groups[question.id] = items.input
      if (items.value.length > 0) answers[question.id] = items.value
      continue
    }
    const raw = rawFrom(body, question, question.id)
    input.fields[question.id] = raw
    const result = readField(question, raw, nameOf(question))
    if ('error' in result) {
      problems.add(question.id, result.error, hrefFor(question, question.id, result.href))
    } else if (result.value !== undefined) answers[question.id] = result.value
  }
  return { input, answers, errors: problems.errors, ok: !problems.any }
}

/** The element an error summary link focuses: a date's first wrong box, else the field itself. */
function hrefFor(question: FieldQuestion, name: string, part?: string): string {
  return question.type === 'date' ? `${name}-${part ?? 'day'}` : name
}

function readGroup(
  group: RepeatingQuestion,
  body: Body,
  newId: () => string,
  problems: FormProblems,
) {
  const max = group.maxItems ?? DEFAULT_MAX_ITEMS
  const input: PageInput['groups'][string] = []
  const value: RepeatItem[] = []
  // One more than the limit is read, so an extra item gets a message rather than vanishing.
  for (let index = 0; index <= max; index++) {
    const raws = Object.fromEntries(
      group.fields.map((field) => [
        field.id,
        rawFrom(body, field, fieldName(group.id, { index, fieldId: field.id })),
      ]),
    )
    // A blank item (the form always offers one to add another) is not an answer.
    if (Object.values(raws).every(isBlank)) continue
    const givenId = one(body[itemIdName(group.id, index)])
    const id = /^[0-9a-f-]{36}$/.test(givenId) ? givenId : newId()
    input.push({ id, fields: raws })
    const number = value.length + 1
    if (number > max) {
      problems.add(
        group.id,
        `${capital(group.itemName)}s: you can add up to ${max}`,
        fieldName(group.id, { index, fieldId: group.fields[0]!.id }),
      )
      continue
    }
    const item: RepeatItem = { id }
    for (const field of group.fields) {
      const name = fieldName(group.id, { index, fieldId: field.id })
      const result = readField(
        field,
        raws[field.id]!,
        `${group.itemName} ${number}: ${nameOf(field)}`,
      )
      if ('error' in result) problems.add(name, result.error, hrefFor(field, name, result.href))
      else if (result.value !== undefined) item[field.id] = result.value
    }
    value.push(item)
  }
  return { input, value }
}

function isBlank(raw: RawField): boolean {
  if (typeof raw === 'string') return raw.trim() === ''
  if (Array.isArray(raw)) return raw.every((v) => v === '')
  const date = raw as DateInputValues
  return !date.day.trim() && !date.month.trim() && !date.year.trim()
}

function rawOf(question: FieldQuestion, value: AnswerValue | undefined): RawField {
  if (question.type === 'date') {
    const [year = '', month = '', day = ''] = typeof value === 'string' ? value.split('-') : []
    return { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year }
  }
  if (question.type === 'multipleChoice') return Array.isArray(value) ? (value as string[]) : []
  if (question.type === 'money' && typeof value === 'string') return value
  return value === undefined ? '' : String(value)
}

/** The form as stored answers fill it, for a page being opened. */
export function inputFromAnswers(page: Page, answers: Answers): PageInput {
  const input: PageInput = { fields: {}, groups: {} }
  for (const question of page.questions) {
    if (question.type === 'repeating') {
      const items = (answers[question.id] as readonly RepeatItem[] | undefined) ?? []
      input.groups[question.id] = items.map((item) => ({
        id: item.id,
        fields: Object.fromEntries(
          question.fields.map((field) => [field.id, rawOf(field, item[field.id])]),
        ),
      }))
    } else input.fields[question.id] = rawOf(question, answers[question.id])
  }
  return input
}

/** Whether a question has an answer (a repeating group: at least one item). */
export function isAnswered(value: AnswerValue | undefined): boolean {
  if (value === undefined) return false
  if (Array.isArray(value)) return value.length > 0
  return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')
}
