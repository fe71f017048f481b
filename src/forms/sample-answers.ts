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

/**
 * Short answers that fit the question asked, by question id (or "group.field"): a preferred
 * name of "Finds transitions between lessons hard" tells a newcomer the product is broken.
 */
export const SHORT_ANSWERS: Record<string, readonly string[]> = {
  'preferred-name': ['Sam', 'Jay', 'Ellie', 'Kai', 'Bea', 'Mo', 'Izzy', 'Tom'],
  'first-language': ['English', 'English', 'Polish', 'Arabic', 'Welsh', 'Romanian', 'Urdu'],
  ethnicity: ['White British', 'Mixed White and Black Caribbean', 'Asian British', 'Any other'],
  religion: ['None', 'Christian', 'Muslim', 'None', 'Prefers not to say'],
  'contacts.name': ['Alex Morgan', 'Priya Shah', 'Chris Lewis', 'Dana Okafor', 'Robin Hale'],
  'contacts.role': ['Key worker', 'Mentor', 'Family support worker', 'SENCo', 'Youth worker'],
  'contacts.organisation': ['Harrowfield Youth Service', 'Oakfield Academy', 'Brightpath CAMHS'],
  'contacts.phone': ['01632 960001', '01632 960123', '01632 960456', '07700 900321'],
  'contacts.email': ['mentor@example.org', 'keyworker@example.org', 'senco@example.org'],
  'previous-schools.school-name': ['Hillside Primary School', 'Oakfield Academy', 'St Brigid’s'],
  'previous-schools.urn': ['990101', '990102', '990103', '990104'],
  'previous-schools.reason-for-leaving': ['Moved placement', 'Moved to secondary school'],
  'trusted-adult': ['Ms Patel, learning mentor', 'Mr Hughes, head of year', 'Mrs Clarke, TA'],
  'target-reviews.area': ['Reading', 'Attendance', 'Mathematics', 'Friendships'],
  'targets.responsible': ['Form tutor', 'Learning mentor', 'Carer and form tutor', 'SENCo'],
  'next-meeting-location': ['At school', 'Online', 'At the carer’s home', 'At school, room 4'],
  'subject-grades.subject': ['GCSE English Language', 'GCSE Mathematics', 'GCSE Science'],
  'subject-grades.current-grade': ['3', '4', '5', '4'],
  'subject-grades.target-grade': ['4', '5', '6', '5'],
  'reading-age': ['9 years 6 months', '11 years', '12 years 3 months', 'Not tested'],
  'neet-actions.responsible': ['Personal adviser', 'Careers adviser', 'The young person'],
  course: ['Level 2 Motor Vehicle', 'Level 1 Catering', 'Hairdressing apprenticeship'],
  'therapies.provider': ['NHS speech and language therapy', 'Brightpath CAMHS', 'Play therapist'],
  'therapies.frequency': ['Weekly', 'Every two weeks', 'Monthly'],
}

function fieldAnswer(
  question: FieldQuestion,
  random: Random,
  on: string,
  key = question.id,
): FieldValue {
  switch (question.type) {
    case 'text': {
      // One draw either way, so every later answer of the same seed stays as it was.
      const fitting = SHORT_ANSWERS[key]
      const text = fitting
        ? fitting[Math.floor(random() * fitting.length)]!
        : sentence(random).split(/[;,.]/)[0]!
      return text.slice(0, question.maxLength ?? 250)
    }
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
      for (const field of question.fields)
        item[field.id] = fieldAnswer(field, random, on, `${question.id}.${field.id}`)
      items.push(item)
    }
    answers[question.id] = items
  }
  return answers
}
