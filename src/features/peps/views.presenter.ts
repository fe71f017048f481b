import { formatDateTime } from '../../views/format.ts'
import type { CarerViews } from '../carer/carer-views.service.ts'

/* What staff read of the carers' views on a PEP's contents page (issue 20). */

const QUESTIONS = [
  ['goingWell', 'What is going well at school?'],
  ['worries', 'Worries about their education'],
  ['wouldHelp', 'What would help'],
] as const

export function carerViewsRows(views: readonly CarerViews[]) {
  return views.map((v) => ({
    heading: `${v.carerName ?? 'The carer'} (carer) sent their views on ${formatDateTime(v.sentAt)}`,
    rows: QUESTIONS.map(([key, label]) => ({ label, text: v[key] || 'Not answered' })),
  }))
}
