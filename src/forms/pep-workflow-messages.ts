import { PEP_STATE_NAMES, type DecisionCode, type PepState } from '../domain/pep-workflow.ts'
import type { StepCheck, StepRefusal } from '../domain/pep-steps.ts'
import type { Refusal } from '../shared/result.ts'

/*
 * The words for a refused step of a PEP's life (ADR 7: the state machine and the steps answer
 * with codes and parameters; the words a person reads are written once, here). The step's page
 * says them, and the refusal's audit event keeps the code.
 */

export type TransitionCode = DecisionCode | StepRefusal | StepCheck

const RATING_NAMES: Record<string, string> = {
  inadequate: 'Inadequate',
  requires_improvement: 'Requires improvement',
}

function sectionList(sections: readonly string[]): string {
  const names = sections.map((s) => `Section ${s}`)
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** What a step still waits for, said as what to do first. */
function needText(params: Refusal['params'] = {}): string {
  switch (params['need']) {
    case 'complete-sections':
      return `Mark ${sectionList(String(params['sections'] ?? '').split(','))} complete first`
    case 'school-contribution':
      return 'The school has not sent its contribution yet'
    case 'next-meeting':
      return 'Set the next meeting date and time first'
    case 'confirm-meeting':
      return 'Confirm that the meeting took place first'
    default:
      return 'Complete the quality assurance (Section D) first'
  }
}

/** The sentence for a refused step. */
export function transitionRefusalText({ code, params = {} }: Refusal<TransitionCode>): string {
  switch (code) {
    case 'pep.role-cannot':
      return 'Your role cannot do this'
    case 'pep.wrong-state':
      return `This cannot be done while the PEP is ${PEP_STATE_NAMES[params['state'] as PepState].toLowerCase()}`
    case 'pep.already-delegated':
      return "The school's sections are already delegated"
    case 'pep.no-school-staff':
      return "The child's school has no staff in OpenPEP to give its pages to"
    case 'pep.no-delegation':
      return 'There is no delegation to retract'
    case 'pep.not-delegated-to-you':
      return "The school's sections are not delegated to you"
    case 'pep.contribution-not-sent':
      return 'The school has not sent its contribution yet'
    case 'pep.meeting-confirmed':
      return 'The meeting is already confirmed'
    case 'pep.meeting-date-needed':
      return 'Set the meeting date first'
    case 'pep.meeting-not-yet':
      return 'The meeting has not happened yet: confirm it on or after the meeting day'
    case 'pep.meeting-taken-place':
      return 'The meeting has taken place: set the next meeting on the meeting page'
    case 'pep.still-needed':
      return needText(params)
    case 'pep.head-signs-off':
      return `This PEP is rated ${RATING_NAMES[String(params['rating'])]}: return it for improvement, or ask a Virtual School head to sign it off with a reason`
    case 'step.sign-off-reason':
      return 'Give your reason for signing off this PEP'
    case 'step.late-school-part-reason':
      return 'Say why the school’s part is due after the PEP’s target date'
    case 'step.no-open-pages':
      return 'Choose pages of the school’s sections that are still open'
    case 'step.delegate-gone':
      return 'The person chosen is no longer on the staff of the child’s school'
    case 'step.no-colleague':
      return 'Select a colleague on the staff of the child’s school'
    case 'step.page-taken':
      return `‘${params['page']}’ is already with ${params['holder']}: take it back first, or choose other pages`
    case 'step.no-pages-chosen':
      return 'Select the pages your colleague completes'
  }
}

/** A decision's refusal in words, or undefined when the step is allowed. */
export const decisionRefusalText = (
  decision: { allowed: true } | { allowed: false; refusal: Refusal<DecisionCode> },
): string | undefined => (decision.allowed ? undefined : transitionRefusalText(decision.refusal))
