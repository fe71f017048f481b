import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { socialWorkerPartDueBy, termWindowDeadline } from '../../domain/timescales.ts'
import { isVirtualSchoolRole } from '../../domain/roles.ts'
import { sectionOpen } from '../../domain/pep-workflow.ts'
import type { DelegationRow } from './workflow.repository.ts'
import { termLabel } from '../../domain/terms.ts'
import { safeFilename } from '../../shared/download.ts'
import {
  FORM_TYPE_NAMES,
  YEAR_GROUP_NAMES,
  isYearGroup,
  type FormType,
} from '../../domain/year-group.ts'
import {
  DEFAULT_MAX_LENGTH,
  fieldName,
  itemIdName,
  type PageInput,
  type RawField,
} from '../../forms/answers.ts'
import {
  applicablePages,
  fieldKey,
  isMandatory,
  mayCompleteSection,
  type MandatoryOverrides,
} from '../../forms/completion.ts'
import { holds, questionsNamedBy, type ConditionContext } from '../../forms/conditions.ts'
import { displayAnswer } from '../../forms/display.ts'
import { mayReadPage, readableQuestions, type PepReader } from '../../forms/reading.ts'
import type { Condition, FieldQuestion, Page, Question, Section } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { PepInContext } from './pep-context.ts'
import { MEETING_REASONS } from './start.form.ts'
import type { PageRow, PepRow, SectionRow } from './peps.repository.ts'

/* View models for the PEP's pages: plain data, so templates only lay it out. */

export function pepTitle(pep: Pick<PepRow, 'formType' | 'academicYear' | 'term'>): string {
  const formName = FORM_TYPE_NAMES[pep.formType as FormType] ?? pep.formType
  return `${formName} PEP, ${termLabel({ academicYear: pep.academicYear, name: pep.term })}`
}

type ChildNamed = { firstName: string; lastName: string }
const fullName = (child: ChildNamed) => `${child.firstName} ${child.lastName}`

/** The title of each PEP page (ADR 7: titles from the presenter). */
export const pepTitles = {
  blankForms: 'Blank PEPs to print',
  list: (child: ChildNamed) => `PEPs – ${fullName(child)}`,
  start: (child: ChildNamed) => `Start a PEP – ${fullName(child)}`,
  pep: (pep: Parameters<typeof pepTitle>[0], child: ChildNamed) =>
    `${pepTitle(pep)} – ${fullName(child)}`,
  viewsOnBehalfHeading: (child: ChildNamed) => `Record ${child.firstName}’s views on their behalf`,
  viewsOnBehalf: (pep: Parameters<typeof pepTitle>[0], child: ChildNamed) =>
    `${pepTitles.viewsOnBehalfHeading(child)} – ${pepTitle(pep)} – ${fullName(child)}`,
}

/** "2026/27": the academic year a PEP's term belongs to. */
export const academicYearLabel = (academicYear: number) =>
  `${academicYear}/${String((academicYear + 1) % 100).padStart(2, '0')}`

/** "Spring term 2027 (2026/27)": the term as the pages say it, with its academic year. */
export const pepTermWords = (pep: Pick<PepRow, 'academicYear' | 'term'>) =>
  `${termLabel({ academicYear: pep.academicYear, name: pep.term })} (${academicYearLabel(pep.academicYear)})`

/**
 * The PEP's PDF's file name: "PEP HFD-10000 Spring term 2027 (2026-27).pdf", or with the child's
 * name for a reader who may not see the case reference (the carer, the young person: ADR 10).
 * A review after a change of school, in the same term as the termly PEP, says so, so the two
 * never share a name.
 */
export function pepPdfFilename(
  pep: Pick<PepRow, 'academicYear' | 'term' | 'changeOfSchool'>,
  child: { caseReference: string | null; name: string },
): string {
  const who = child.caseReference ?? child.name
  const review = pep.changeOfSchool ? ' change of school review' : ''
  return safeFilename(`PEP ${who} ${pepTermWords(pep).replace('/', '-')}${review}`, 'pdf')
}

/** The dates a PEP in progress works to, from the authority's timescales. */
export interface PepDeadlines {
  socialWorkerPartDueBy: string | null
  termDeadline: string
}

export function pepDeadlines(pep: PepInContext, settings: AuthoritySettings): PepDeadlines {
  return {
    socialWorkerPartDueBy: pep.meetingOn ? socialWorkerPartDueBy(pep.meetingOn, settings) : null,
    termDeadline: termWindowDeadline({ academicYear: pep.academicYear, name: pep.term }, settings),
  }
}

export function pepSummaryRows(pep: PepInContext, deadlines?: PepDeadlines) {
  return [
    {
      key: { text: 'Term' },
      value: { text: termLabel({ academicYear: pep.academicYear, name: pep.term }) },
    },
    {
      key: { text: 'Form' },
      value: {
        text: `${FORM_TYPE_NAMES[pep.formType as FormType] ?? pep.formType} PEP (version ${pep.templateVersion})`,
      },
    },
    {
      key: { text: 'Year group' },
      value: { text: isYearGroup(pep.yearGroup) ? YEAR_GROUP_NAMES[pep.yearGroup] : pep.yearGroup },
    },
    { key: { text: 'Started' }, value: { text: formatDate(pep.startedOn) } },
    {
      key: { text: 'Meeting date' },
      value: {
        text: pep.meetingOn
          ? `${formatDate(pep.meetingOn)}${pep.meetingTime ? ` at ${pep.meetingTime}` : ''}`
          : 'Not set',
      },
    },
    ...(pep.meetingLocation
      ? [{ key: { text: 'Meeting place' }, value: { text: pep.meetingLocation } }]
      : []),
    ...(pep.meetingReasons.length > 0
      ? [
          {
            key: { text: 'Reasons for the meeting' },
            value: {
              text: pep.meetingReasons
                .map((r) =>
                  r === 'other'
                    ? (pep.meetingOtherReason ?? 'Other')
                    : (MEETING_REASONS.find((m) => m.value === r)?.text ?? r),
                )
                .join('; '),
            },
          },
        ]
      : []),
    ...(pep.contactName || pep.contactPhone
      ? [
          {
            key: { text: 'Contact for queries' },
            value: { text: [pep.contactName, pep.contactPhone].filter(Boolean).join(', ') },
          },
        ]
      : []),
    ...(pep.targetOn
      ? [{ key: { text: 'Target date' }, value: { text: formatDate(pep.targetOn) } }]
      : []),
    ...(deadlines?.socialWorkerPartDueBy
      ? [
          {
            key: { text: 'Social worker’s part due by' },
            value: { text: formatDate(deadlines.socialWorkerPartDueBy) },
          },
        ]
      : []),
    ...(deadlines
      ? [
          {
            key: { text: 'Virtual School’s deadline this term' },
            value: { text: formatDate(deadlines.termDeadline) },
          },
        ]
      : []),
    ...(pep.isInitial
      ? [
          {
            key: { text: 'Initial PEP' },
            value: { text: 'Yes: the first PEP since entering care' },
          },
        ]
      : []),
    ...(pep.changeOfSchool
      ? [{ key: { text: 'Reason' }, value: { text: 'Extra review after a change of school' } }]
      : []),
  ]
}

export type PageState = 'not-started' | 'in-progress' | 'complete'

const STATE_TAGS: Record<PageState, { text: string; classes: string }> = {
  'not-started': { text: 'Not started', classes: 'govuk-tag--grey' },
  'in-progress': { text: 'In progress', classes: 'govuk-tag--light-blue' },
  complete: { text: 'Completed', classes: '' },
}

/**
 * The sections a reader sees, each with the pages they may read (the reading rules, ADR 10).
 * The quality assurance (Section D) also stays with the Virtual School while it is being done;
 * the others who may read it do so once it has been given.
 */
export function visibleSections(pep: Pick<PepInContext, 'template' | 'status'>, reader: PepReader) {
  const vs = reader.role !== null && isVirtualSchoolRole(reader.role)
  return pep.template.sections.filter(
    (s) =>
      (s.id !== 'D' || vs || pep.status !== 'awaiting_qa') &&
      s.pages.some((page) => mayReadPage(reader, s, page)),
  )
}

/** The pages of a section that apply and that the reader may read. */
function readablePages(section: Section, context: ConditionContext, reader: PepReader) {
  return applicablePages(section, context).filter((page) => mayReadPage(reader, section, page))
}

/** The contents page: each section's pages with their state, and who completed the section. */
export function contentsModel(
  pep: PepInContext,
  pages: ReadonlyMap<string, PageRow>,
  sections: ReadonlyMap<string, SectionRow>,
  reader: PepReader,
  context: ConditionContext,
  readOnly: boolean,
  delegation?: Pick<DelegationRow, 'sections' | 'pages' | 'status' | 'delegatedToName'> & {
    parts?: DelegationRow['parts']
  },
) {
  const role = reader.role
  return visibleSections(pep, reader).map((section) => {
    const completed = sections.get(section.id)?.completedAt ? sections.get(section.id)! : undefined
    const delegatedTo =
      delegation?.status === 'delegated' && delegation.sections.includes(section.id)
        ? delegation.delegatedToName
        : undefined
    const items = readablePages(section, context, reader).map((page) => {
      const saved = pages.get(page.id)
      const state: PageState = completed ? 'complete' : saved ? 'in-progress' : 'not-started'
      // Who holds what: only the pages chosen, when some were (issue 15).
      const held = !delegation?.pages || delegation.pages.includes(page.id)
      // A page passed on to a colleague is theirs while their part lasts.
      const part = delegation?.parts?.find((p) => p.pages.includes(page.id))
      const tag =
        delegatedTo && held && !completed
          ? {
              text: `Delegated to ${part?.delegatedToName ?? delegatedTo}${saved ? ' (in progress)' : ''}`,
              classes: 'govuk-tag--purple',
            }
          : STATE_TAGS[state]
      return {
        title: { text: page.title },
        href: paths.peps.page(pep.childId, pep.id, page.id),
        hint: saved
          ? {
              text: `Last saved by ${saved.savedByName ?? 'someone'}, ${formatDateTime(saved.savedAt)}`,
            }
          : undefined,
        status: { tag: { text: tag.text, classes: tag.classes } },
      }
    })
    return {
      id: section.id,
      title: section.title,
      items,
      completed: completed
        ? { by: completed.completedByName ?? 'someone', at: formatDateTime(completed.completedAt) }
        : undefined,
      canComplete:
        !readOnly &&
        !completed &&
        sectionOpen(pep.status, section.id) &&
        mayCompleteSection(section, role),
      completeHref: paths.peps.complete(pep.childId, pep.id, section.id),
    }
  })
}

/** The words shown with a question asked only on some answers on the same page. */
function describeCondition(condition: Condition, page: Page): string | undefined {
  const named = questionsNamedBy(condition)
  if (named.length === 0 || !named.every((id) => page.questions.some((q) => q.id === id)))
    return undefined
  const label = (id: string) => {
    const question = page.questions.find((q) => q.id === id)!
    return `‘${question.label}’`
  }
  if ('equals' in condition) {
    const question = page.questions.find((q) => q.id === condition.answer)
    const option =
      question && 'options' in question
        ? question.options.find((o) => o.value === condition.equals)?.text
        : condition.equals === 'yes'
          ? 'Yes'
          : condition.equals === 'no'
            ? 'No'
            : condition.equals
    return `Answer this if the answer to ${label(condition.answer)} is ${option}.`
  }
  if ('lessThan' in condition)
    return `Answer this if the answer to ${label(condition.answer)} is less than ${condition.lessThan}.`
  if ('includes' in condition)
    return `Answer this if ${label(condition.answer)} includes that option.`
  return 'Answer this if it applies.'
}

/**
 * Whether a question is shown. One whose condition looks at questions on the same page is
 * always shown, with a note, because without JavaScript the page cannot hide it as you type.
 */
function shown(question: Question, page: Page, context: ConditionContext) {
  if (!question.condition) return { show: true as const, note: undefined }
  const note = describeCondition(question.condition, page)
  if (note) return { show: true as const, note }
  return { show: holds(question.condition, context), note: undefined }
}

export interface FieldView {
  type: FieldQuestion['type']
  name: string
  label: string
  hint?: string
  mandatory: boolean
  note?: string
  prompt?: string
  error?: { text: string }
  value: RawField
  options?: { value: string; text: string; hint?: { text: string }; checked: boolean }[]
  maxLength?: number
  suffix?: string
}

function fieldView(
  question: FieldQuestion,
  name: string,
  raw: RawField,
  mandatory: boolean,
  errors: FormErrors | undefined,
): FieldView {
  const chosen = Array.isArray(raw) ? raw : [raw]
  return {
    type: question.type,
    name,
    label: question.label,
    hint: question.hint,
    mandatory,
    error: errors?.fields[name],
    value: raw,
    options:
      question.type === 'singleChoice' || question.type === 'multipleChoice'
        ? question.options.map((o) => ({
            value: o.value,
            text: o.text,
            hint: o.hint ? { text: o.hint } : undefined,
            checked: chosen.includes(o.value),
          }))
        : question.type === 'yesNo'
          ? [
              { value: 'yes', text: 'Yes', checked: raw === 'yes' },
              { value: 'no', text: 'No', checked: raw === 'no' },
            ]
          : undefined,
    maxLength:
      question.type === 'text' || question.type === 'longText'
        ? (question.maxLength ?? DEFAULT_MAX_LENGTH[question.type])
        : undefined,
    suffix: question.type === 'number' ? question.suffix : undefined,
  }
}

export interface QuestionView extends FieldView {
  group?: {
    itemName: string
    /** The value of its "Save and add another" button. */
    addAnother: string
    items: {
      heading: string
      idName: string
      id: string
      removeName: string
      fields: FieldView[]
      blank: boolean
      /** An extra item the person may leave blank: "Add another target (optional)". */
      optional: boolean
    }[]
  }
}

/**
 * The questions of a page as the form shows them, filled from `input` (stored answers or what
 * was just posted). Each repeating group ends with one blank item to add another.
 */
export function questionViews(
  page: Page,
  input: PageInput,
  errors: FormErrors | undefined,
  context: ConditionContext,
  overrides: MandatoryOverrides,
  newId: () => string,
): QuestionView[] {
  const views: QuestionView[] = []
  for (const question of page.questions) {
    const { show, note } = shown(question, page, context)
    if (!show) continue
    const prompt =
      question.prompt && holds(question.prompt.when, context) ? question.prompt.text : undefined
    const mandatory = isMandatory(question, overrides)
    if (question.type !== 'repeating') {
      views.push({
        ...fieldView(question, question.id, input.fields[question.id] ?? '', mandatory, errors),
        note,
        prompt,
      })
      continue
    }
    const items = input.groups[question.id] ?? []
    const rows = [...items, { id: newId(), fields: {} as Record<string, RawField> }]
    const capital = question.itemName.charAt(0).toUpperCase() + question.itemName.slice(1)
    views.push({
      type: 'text',
      name: question.id,
      label: question.label,
      hint: question.hint,
      mandatory,
      note,
      prompt,
      error: errors?.fields[question.id],
      value: '',
      group: {
        itemName: question.itemName,
        addAnother: `add-another:${question.id}`,
        items: rows.map((item, index) => {
          const blank = index === items.length
          // The first item of a group is its first, not an optional extra: "Target 1" under
          // "Targets (required)", and "Add another target (optional)" only once one is there.
          const optional = blank && items.length > 0
          return {
            heading: optional ? `Add another ${question.itemName}` : `${capital} ${index + 1}`,
            optional,
            idName: itemIdName(question.id, index),
            id: item.id,
            removeName: `${question.id}--${index}--remove`,
            blank,
            fields: question.fields
              .filter((field) => shown(field, page, context).show)
              .map((field) =>
                fieldView(
                  field,
                  fieldName(question.id, { index, fieldId: field.id }),
                  item.fields[field.id] ??
                    (field.type === 'date'
                      ? { day: '', month: '', year: '' }
                      : field.type === 'multipleChoice'
                        ? []
                        : ''),
                  isMandatory(field, overrides, fieldKey(question.id, field.id)),
                  errors,
                ),
              ),
          }
        }),
      },
    })
  }
  return views
}

/**
 * The whole PEP to read (and print, and put in the PDF): every applicable page with its answers,
 * as far as the reader may read them.
 */
export function readModel(
  pep: Pick<PepInContext, 'template' | 'status'>,
  reader: PepReader,
  pages: ReadonlyMap<string, PageRow>,
  sections: ReadonlyMap<string, SectionRow>,
  context: ConditionContext,
) {
  return visibleSections(pep, reader).map((section) => {
    const completed = sections.get(section.id)
    return {
      id: section.id,
      title: section.title,
      completed: completed?.completedAt
        ? `Marked complete by ${completed.completedByName ?? 'someone'}, ${formatDateTime(completed.completedAt)}`
        : 'Not yet marked complete',
      pages: readablePages(section, context, reader).map((page) => {
        const saved = pages.get(page.id)
        return {
          id: page.id,
          title: page.title,
          saved: saved
            ? `Last saved by ${saved.savedByName ?? 'someone'}, ${formatDateTime(saved.savedAt)}`
            : 'Not started',
          answers: readableQuestions(reader, section, page)
            .filter((q) => holds(q.condition, context))
            .map((q) => ({ label: q.label, answer: displayAnswer(q, saved?.answers[q.id]) })),
        }
      }),
    }
  })
}

/**
 * The contents as a colleague given part of the school's pages reads them (issue 15): only those
 * pages, and no section to mark complete. Everyone else reads the contents whole.
 */
export function onlyPartPages<
  Section extends { items: { id?: string; href: string }[]; canComplete?: unknown },
>(sections: Section[], partPages: readonly string[] | null): Section[] {
  if (partPages === null) return sections
  return sections
    .map((section) => ({
      ...section,
      canComplete: false,
      items: section.items.filter((item) =>
        partPages.some((pageId) => item.href.endsWith(`/pages/${encodeURIComponent(pageId)}`)),
      ),
    }))
    .filter((section) => section.items.length > 0)
}
