import type { Role } from '../domain/roles.ts'
import type { FormType, YearGroup } from '../domain/year-group.ts'

/*
 * The shape of a PEP form template. Templates are data (src/forms/templates): the engine in
 * this folder shows, reads, checks and completes any of them, so changing what a form asks is a
 * new template version, never new code.
 */

export type SectionId = 'A' | 'B' | 'C' | 'D'

export interface Choice {
  value: string
  text: string
  hint?: string
}

/**
 * When a page or question applies. Answer conditions name a question anywhere in the same
 * template; an unanswered question satisfies no comparison.
 */
export type Condition =
  | { yearGroupIn: readonly YearGroup[] }
  | { answer: string; equals: string }
  | { answer: string; lessThan: number }
  | { answer: string; includes: string }
  | { all: readonly Condition[] }
  | { any: readonly Condition[] }
  | { not: Condition }

interface QuestionBase {
  /** Stable across template versions: lower-case letters, digits and hyphens, unique in the template. */
  id: string
  label: string
  /** How error messages name it, e.g. "the attendance percentage"; defaults to the label. */
  name?: string
  hint?: string
  /**
   * Whether the question must be answered before its section can be marked complete. Each
   * authority can change this (VS administrators, per form type); this is the default.
   */
  mandatory?: boolean
  /** The question is asked only when this holds. */
  condition?: Condition
  /** Advice shown with the question when this holds, e.g. attendance below 90%. */
  prompt?: { when: Condition; text: string }
}

export interface TextQuestion extends QuestionBase {
  type: 'text' | 'longText'
  /** Characters; defaults: 250 for text, 10,000 for long text. */
  maxLength?: number
}

export interface DateQuestion extends QuestionBase {
  type: 'date'
}

/** A time of day, stored as 24-hour 'HH:MM' (typed as 14:30, 2:30pm or 2pm). */
export interface TimeQuestion extends QuestionBase {
  type: 'time'
}

export interface NumberQuestion extends QuestionBase {
  type: 'number'
  min?: number
  max?: number
  /** Whole numbers only (the default); false allows up to two decimal places. */
  integer?: boolean
  /** Shown after the box, e.g. "hours a week". */
  suffix?: string
}

/** 0 to 100, up to one decimal place. */
export interface PercentageQuestion extends QuestionBase {
  type: 'percentage'
}

/** Pounds and pence, not negative; `max` in pounds. */
export interface MoneyQuestion extends QuestionBase {
  type: 'money'
  max?: number
}

export interface YesNoQuestion extends QuestionBase {
  type: 'yesNo'
}

export interface SingleChoiceQuestion extends QuestionBase {
  type: 'singleChoice'
  options: readonly Choice[]
}

export interface MultipleChoiceQuestion extends QuestionBase {
  type: 'multipleChoice'
  options: readonly Choice[]
}

export type FieldQuestion =
  | TextQuestion
  | DateQuestion
  | TimeQuestion
  | NumberQuestion
  | PercentageQuestion
  | MoneyQuestion
  | YesNoQuestion
  | SingleChoiceQuestion
  | MultipleChoiceQuestion

/**
 * A list of like things: previous schools, attendance periods, exclusions, SMART targets. Its
 * fields' conditions may name other questions, not other fields of the item. A mandatory group
 * needs at least one item; within an item, mandatory fields must be filled.
 */
export interface RepeatingQuestion extends QuestionBase {
  type: 'repeating'
  /** What one item is called, in lower case: "previous school", "target". */
  itemName: string
  fields: readonly FieldQuestion[]
  /** Default 20. */
  maxItems?: number
}

export type Question = FieldQuestion | RepeatingQuestion
export type QuestionType = Question['type']

export interface Page {
  /** Stable across versions, unique in the template; used in URLs. */
  id: string
  title: string
  /** Guidance shown at the top of the page. */
  intro?: string
  questions: readonly Question[]
  /** The page applies only when this holds (e.g. the 14-19 plan in Years 10 and 11). */
  condition?: Condition
  /** Copied from the child's last PEP when a new one is started. */
  carryForward?: boolean
  /** Who may change this page, when not the section's `editableBy`. */
  editableBy?: readonly Role[]
}

export interface Section {
  id: SectionId
  title: string
  /** Who may mark the section complete. */
  completedBy: readonly Role[]
  /** Who may change its pages (a page can say otherwise). */
  editableBy: readonly Role[]
  pages: readonly Page[]
}

export interface FormTemplate {
  formType: FormType
  /** Bumped for any change to what the form asks; a PEP keeps the version it was started on. */
  version: number
  title: string
  sections: readonly Section[]
}

/** One item of a repeating group; `id` is stable, so later work (funding, reviews) can name it. */
export type RepeatItem = { id: string } & Record<string, FieldValue | undefined>

export type FieldValue = string | number | readonly string[]
export type AnswerValue = FieldValue | readonly RepeatItem[]

/** A page's answers, by question id. An unanswered question has no key. */
export type Answers = Readonly<Record<string, AnswerValue | undefined>>
