import type { YearGroup } from '../domain/year-group.ts'
import type { AnswerValue, Condition, FormTemplate, Page, Question } from './types.ts'

/** What a condition is judged against: the child's year group and every answer in the PEP. */
export interface ConditionContext {
  yearGroup: YearGroup | null
  answers: Readonly<Record<string, AnswerValue | undefined>>
}

export function holds(condition: Condition | undefined, context: ConditionContext): boolean {
  if (!condition) return true
  if ('all' in condition) return condition.all.every((c) => holds(c, context))
  if ('any' in condition) return condition.any.some((c) => holds(c, context))
  if ('not' in condition) return !holds(condition.not, context)
  if ('yearGroupIn' in condition) {
    return context.yearGroup !== null && condition.yearGroupIn.includes(context.yearGroup)
  }
  const value = context.answers[condition.answer]
  if ('equals' in condition) return value === condition.equals
  if ('lessThan' in condition) return typeof value === 'number' && value < condition.lessThan
  return Array.isArray(value) && value.some((v) => v === condition.includes)
}

/** The questions a condition names, for checking that a template refers only to its own. */
export function questionsNamedBy(condition: Condition | undefined): string[] {
  if (!condition) return []
  if ('all' in condition) return condition.all.flatMap(questionsNamedBy)
  if ('any' in condition) return condition.any.flatMap(questionsNamedBy)
  if ('not' in condition) return questionsNamedBy(condition.not)
  if ('yearGroupIn' in condition) return []
  return [condition.answer]
}

export function pageApplies(page: Page, context: ConditionContext): boolean {
  return holds(page.condition, context)
}

export function questionApplies(question: Question, context: ConditionContext): boolean {
  return holds(question.condition, context)
}

/** Every question in a template, with its section and page. */
export function allQuestions(template: FormTemplate) {
  return template.sections.flatMap((section) =>
    section.pages.flatMap((page) =>
      page.questions.map((question) => ({ section, page, question })),
    ),
  )
}
