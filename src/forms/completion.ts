import type { Role } from '../domain/roles.ts'
import { isAnswered } from './answers.ts'
import { holds, type ConditionContext } from './conditions.ts'
import type { AnswerValue, FormTemplate, Page, Question, RepeatItem, Section } from './types.ts'

/** Per-authority changes to which questions are mandatory, by question id (or group.field id). */
export type MandatoryOverrides = ReadonlyMap<string, boolean>

export const NO_OVERRIDES: MandatoryOverrides = new Map()

/** The key a repeating group's field has in the overrides: "targets.success-measure". */
export const fieldKey = (groupId: string, fieldId: string) => `${groupId}.${fieldId}`

export function isMandatory(
  question: Question,
  overrides: MandatoryOverrides,
  key = question.id,
): boolean {
  return overrides.get(key) ?? question.mandatory ?? false
}

/** The pages of a section that apply to this child and these answers. */
export function applicablePages(section: Section, context: ConditionContext): Page[] {
  return section.pages.filter((page) => holds(page.condition, context))
}

export function findPage(
  template: FormTemplate,
  pageId: string,
): { section: Section; page: Page } | undefined {
  for (const section of template.sections) {
    const page = section.pages.find((p) => p.id === pageId)
    if (page) return { section, page }
  }
  return undefined
}

export function findSection(template: FormTemplate, sectionId: string): Section | undefined {
  return template.sections.find((s) => s.id === sectionId)
}

export interface MissingAnswer {
  pageId: string
  pageTitle: string
  /** The element to link to. */
  fieldId: string
  text: string
}

/**
 * Every mandatory answer a section still lacks, in form order: what stops it being marked
 * complete. Questions and pages whose conditions do not hold are not asked, so not missing.
 */
export function missingAnswers(
  section: Section,
  context: ConditionContext,
  overrides: MandatoryOverrides,
): MissingAnswer[] {
  const missing: MissingAnswer[] = []
  for (const page of applicablePages(section, context)) {
    for (const question of page.questions) {
      if (!holds(question.condition, context)) continue
      const value = context.answers[question.id]
      const at = { pageId: page.id, pageTitle: page.title }
      if (isMandatory(question, overrides) && !isAnswered(value)) {
        missing.push({
          ...at,
          fieldId: focusId(question, question.id),
          text: `Answer ‘${question.label}’`,
        })
        continue
      }
      if (question.type !== 'repeating' || !Array.isArray(value)) continue
      ;(value as readonly RepeatItem[]).forEach((item, index) => {
        for (const field of question.fields) {
          if (!holds(field.condition, context)) continue
          if (!isMandatory(field, overrides, fieldKey(question.id, field.id))) continue
          if (isAnswered(item[field.id])) continue
          missing.push({
            ...at,
            fieldId: focusId(field, `${question.id}--${index}--${field.id}`),
            text: `${capitalise(question.itemName)} ${index + 1}: answer ‘${field.label}’`,
          })
        }
      })
    }
  }
  return missing
}

/** The element a link to a question focuses: a date's day box, else the field. */
const focusId = (question: Question, name: string) =>
  question.type === 'date' ? `${name}-day` : name

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** Who may change a page: the page's own list, else its section's. */
export function mayEditPage(section: Section, page: Page, role: Role | null): boolean {
  if (!role) return false
  return (page.editableBy ?? section.editableBy).includes(role)
}

export function mayCompleteSection(section: Section, role: Role | null): boolean {
  return role !== null && section.completedBy.includes(role)
}

/** Every answer of a PEP by question id, for conditions that look across pages. */
export function mergeAnswers(
  pages: Iterable<{ answers: Readonly<Record<string, AnswerValue | undefined>> }>,
): Record<string, AnswerValue | undefined> {
  const merged: Record<string, AnswerValue | undefined> = {}
  for (const page of pages) Object.assign(merged, page.answers)
  return merged
}

/**
 * The questions that set the next meeting: the section that asks them (B) never completes
 * without them, even where an authority has made them optional. Other sections do not wait
 * for them: no section depends on a question only another section's owner can answer, and
 * submitting the PEP checks the next meeting itself.
 */
export const NEXT_MEETING_QUESTIONS = ['next-meeting-date', 'next-meeting-time'] as const

/**
 * What blocks marking a section complete: every missing mandatory answer, the next meeting's
 * date and time in the section that asks them, and a target on attendance below the line.
 */
export function blockersToCompleting(
  template: FormTemplate,
  section: Section,
  context: ConditionContext,
  overrides: MandatoryOverrides,
  /** The authority's line: attendance below this percentage needs a target on attendance. */
  rules: { attendanceTargetBelowPercent?: number } = {},
): MissingAnswer[] {
  const missing = missingAnswers(section, context, overrides)
  if (section.id === 'D') return missing
  const attendance = missingAttendanceTarget(section, context, rules.attendanceTargetBelowPercent)
  if (attendance) missing.push(attendance)
  for (const id of NEXT_MEETING_QUESTIONS) {
    if (isAnswered(context.answers[id])) continue
    const at = applicablePages(section, context).find((p) => p.questions.some((q) => q.id === id))
    if (!at) continue
    const question = at.questions.find((q) => q.id === id)!
    const fieldId = focusId(question, id)
    // Listed once: a mandatory question of this section is already missing under its own words.
    if (missing.some((m) => m.fieldId === fieldId)) continue
    missing.push({
      pageId: at.id,
      pageTitle: at.title,
      fieldId,
      text: `Set the next meeting: answer ‘${question.label}’`,
    })
  }
  return missing
}

/** The repeating group of new targets, and the area a target on attendance has. */
export const TARGETS_QUESTION = 'targets'
export const ATTENDANCE_QUESTION = 'attendance-percentage'
const ATTENDANCE_AREA = 'attendance'

/**
 * Attendance below the authority's line and no new target on attendance: the section whose
 * targets page applies must not be completed without one (a warning is easily passed by).
 */
export function missingAttendanceTarget(
  section: Section,
  context: ConditionContext,
  belowPercent: number | undefined,
): MissingAnswer | undefined {
  if (belowPercent === undefined) return undefined
  const attendance = context.answers[ATTENDANCE_QUESTION]
  if (typeof attendance !== 'number' || !(attendance < belowPercent)) return undefined
  const page = applicablePages(section, context).find((p) =>
    p.questions.some((q) => q.id === TARGETS_QUESTION),
  )
  if (!page) return undefined
  const targets = context.answers[TARGETS_QUESTION]
  const items = Array.isArray(targets) ? (targets as readonly RepeatItem[]) : []
  if (items.some((item) => item['area'] === ATTENDANCE_AREA)) return undefined
  return {
    pageId: page.id,
    pageTitle: page.title,
    fieldId: TARGETS_QUESTION,
    text: `Attendance is ${attendance}%, below ${belowPercent}%: add a target on attendance`,
  }
}

/**
 * The pages, among what blocks a section, that this role cannot change but the Virtual School
 * can: the Virtual School is asked to complete them the moment they block someone, so nobody
 * waits in their own section on a question only another can answer.
 */
export function pagesForVirtualSchool(
  section: Section,
  missing: readonly MissingAnswer[],
  role: Role | null,
): Page[] {
  const ids = new Set(missing.map((m) => m.pageId))
  return section.pages.filter(
    (page) =>
      ids.has(page.id) &&
      !mayEditPage(section, page, role) &&
      (mayEditPage(section, page, 'vs_consultant') || mayEditPage(section, page, 'vs_head')),
  )
}
