import type { CalendarDate } from '../../domain/calendar-date.ts'
import { TRANSITIONS, type Transition } from '../../domain/pep-workflow.ts'
import type { TransitionResult } from './workflow.service.ts'
import { isRole, ROLE_NAMES } from '../../domain/roles.ts'
import { decisionRefusalText, transitionRefusalText } from '../../forms/pep-workflow-messages.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { RESTORED_FORM_NOTICE } from '../../shared/restored-form.ts'
import { COMMENTS_MAX, dueHint, type StepSpec } from './actions.form.ts'
import type { PepInContext } from './pep-context.ts'
import { pepTitle } from './pep.presenter.ts'

/** What a step's page was given to show: what was typed, its problems, or why it is refused. */
export interface StepForm {
  values: Record<string, unknown>
  errors?: FormErrors
  status?: number
  refusal?: string
  restored?: boolean
}

/**
 * A step's form as the rule decided it: why it cannot be taken (409), or nothing to say (200).
 * Every page that shows the step with the rule's decision says it so.
 */
export const decidedStepForm = (
  decision: Parameters<typeof decisionRefusalText>[0],
  values: Record<string, unknown>,
): StepForm => ({
  values,
  refusal: decisionRefusalText(decision),
  status: decision.allowed ? 200 : 409,
})

/**
 * A step refused when it was taken (409), shown again with what was typed: at the field the
 * refusal is about (a page already with a colleague), or above the form.
 */
export function refusedStepForm(
  refused: Extract<TransitionResult, { kind: 'refused' }>,
  values: Record<string, unknown>,
): StepForm {
  const text = transitionRefusalText(refused.refusal)
  if (!refused.field) return { values, refusal: text, status: 409 }
  const problems = new FormProblems()
  problems.add(refused.field, text, refused.field)
  return { values, errors: problems.errors, status: 409 }
}

/** Nobody to pass the sections to: the page says so rather than offer an empty choice. */
export const NOBODY_TO_PASS_ON = 'There is no one else on the staff of your school in OpenPEP'

/**
 * The page of one step of a PEP's life: its title and heading, the choices it offers (sections
 * to reopen, the school's staff, the pages that can go) and the status to answer with.
 */
export function stepPageModel(
  pep: PepInContext,
  transition: Transition,
  spec: StepSpec,
  form: StepForm,
  loaded: {
    staff: readonly { id: string; name: string; capacity: string; onList: boolean }[]
    offered: readonly { pageId: string; pageTitle: string; sectionTitle: string }[]
    /** The colleagues holding parts of the school's pages now (issue 15), for passing on. */
    parts?: readonly { id: string; delegatedToName: string; pageTitles: readonly string[] }[]
    actorName: string
    today: CalendarDate
  },
) {
  const { staff, offered } = loaded
  const chosenPages = [form.values['pages']].flat().filter((v) => typeof v === 'string')
  const refusal =
    form.refusal ?? (transition === 'pass-on' && staff.length === 0 ? NOBODY_TO_PASS_ON : undefined)
  return {
    status: refusal && !form.refusal ? 409 : (form.status ?? 200),
    model: {
      pageTitle: `${TRANSITIONS[transition].describe} – ${pepTitle(pep)}`,
      heading: TRANSITIONS[transition].describe,
      spec,
      refusal,
      action: paths.peps.action(pep.childId, pep.id, transition),
      sections: pep.template.sections
        .filter((s) => s.id !== 'D')
        .map((s) => ({
          value: s.id,
          text: s.title,
          checked: [form.values['reopen']].flat().includes(s.id),
        })),
      actorName: loaded.actorName,
      pages: offered.map((o) => ({
        value: o.pageId,
        text: o.pageTitle,
        hint: { text: o.sectionTitle },
        // Delegating: every page, until the person says otherwise. Passing on: those chosen.
        checked:
          (form.values['pages'] === undefined && transition !== 'pass-on') ||
          chosenPages.includes(o.pageId),
      })),
      staff: spec.delegateTo
        ? staff.map((person, index) => ({
            value: person.id,
            text: person.name,
            hint: {
              text: `${isRole(person.capacity) ? ROLE_NAMES[person.capacity] : ''}${person.onList ? ', on this child’s list' : ''}`,
            },
            checked: form.values['delegateTo']
              ? form.values['delegateTo'] === person.id
              : index === 0,
          }))
        : [],
      passingOn: transition === 'pass-on',
      parts: (loaded.parts ?? []).map((part) => ({
        name: part.delegatedToName,
        pages: part.pageTitles,
        endAction: paths.peps.endPart(pep.childId, pep.id, part.id),
      })),
      dueHint: dueHint(pep.targetOn, loaded.today),
      commentsMax: COMMENTS_MAX,
      values: form.values,
      errors: form.errors,
      formRestored: form.restored ? RESTORED_FORM_NOTICE : undefined,
    },
  }
}
