import { toDecimalPounds } from '../domain/money.ts'
import type { Answers, AnswerValue, FieldQuestion, FieldValue, Page, RepeatItem } from './types.ts'

/*
 * Plausible, fictional answers for any page of any template: for the demo and the bench's
 * generated data, so neither needs to know what a form asks.
 */

const SENTENCES = [
  'Settled well this term and attends every day.',
  'Enjoys art and football; finds reading aloud harder.',
  'Works well with a mentor twice a week; confidence is growing.',
  'Has made two new friends and joined the lunchtime club.',
  'Finds transitions between lessons hard; a quiet space helps.',
  'Making steady progress in mathematics, ahead of the last review.',
  'Would like to be a vet and is keen on science.',
  'Carer reads with them each evening; spelling has improved.',
]

export type Random = () => number

function sentence(random: Random): string {
  return SENTENCES[Math.floor(random() * SENTENCES.length)]!
}

function fieldAnswer(question: FieldQuestion, random: Random, on: string): FieldValue {
  switch (question.type) {
    case 'text':
      return sentence(random)
        .split(/[;,.]/)[0]!
        .slice(0, question.maxLength ?? 250)
    case 'longText':
      return sentence(random)
    case 'date':
      return on
    case 'time':
      return random() < 0.5 ? '10:00' : '14:30'
    case 'number': {
      const min = question.min ?? 0
      const max = question.max ?? min + 10
      return Math.round(min + random() * (max - min))
    }
    case 'percentage':
      return Math.round(800 + random() * 200) / 10
    case 'money':
      return toDecimalPounds(Math.round(random() * 40) * 2500)
    case 'yesNo':
      return random() < 0.7 ? 'no' : 'yes'
    case 'singleChoice':
      return question.options[Math.floor(random() * question.options.length)]!.value
    case 'multipleChoice':
      return [question.options[0]!.value]
  }
}

/** Answers to every question of a page; repeating groups get one or two items. */
export function sampleAnswers(
  page: Page,
  random: Random,
  newId: () => string,
  on: string,
): Answers {
  const answers: Record<string, AnswerValue> = {}
  for (const question of page.questions) {
    if (question.type !== 'repeating') {
      answers[question.id] = fieldAnswer(question, random, on)
      continue
    }
    const count = 1 + Math.floor(random() * 2)
    const items: RepeatItem[] = []
    for (let i = 0; i < count; i++) {
      const item: RepeatItem = { id: newId() }
      for (const field of question.fields) item[field.id] = fieldAnswer(field, random, on)
      items.push(item)
    }
    answers[question.id] = items
  }
  return answers
}
