import type { Queryable } from '../../db/connection.ts'
import { attendanceFigures } from '../../domain/attendance.ts'
import type { Answers, AnswerValue, Page } from '../../forms/types.ts'
import { latestAttendance } from './attendance.repository.ts'
import { canAct } from '../../domain/permissions.ts'
import type { Role } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'

/*
 * The PEP's attendance page reads the child's attendance history (issue 19), as Education
 * information reads the school (peps/education-from-record.presenter.ts): what the page has not been told
 * yet is filled in from the latest period on the record, for the person to check and save. The
 * sessions themselves are entered once, on the record's form opened from the PEP page, which
 * keeps which PEP they came from and returns to it.
 */

/** Whether a page is the PEP's attendance page, which the record's attendance fills. */
export const fillsAttendanceFromRecord = (page: Page) =>
  page.id === 'attendance' && page.questions.some((q) => q.id === 'attendance-percentage')

/** The answers the latest period gives: its dates and percentage (none without possible sessions). */
export async function attendanceAnswersFromRecord(
  db: Queryable,
  childId: string,
  page: Page,
): Promise<Answers> {
  if (!fillsAttendanceFromRecord(page)) return {}
  const latest = await latestAttendance(db, childId)
  if (!latest) return {}
  const { percentage } = attendanceFigures(latest)
  if (percentage === null) return {}
  const answers: Record<string, AnswerValue> = {
    'attendance-percentage': percentage,
  }
  if (page.questions.some((q) => q.id === 'attendance-from'))
    answers['attendance-from'] = latest.startsOn
  if (page.questions.some((q) => q.id === 'attendance-to')) answers['attendance-to'] = latest.endsOn
  return answers
}

/**
 * The links a PEP page shows to the record's forms, opened from the PEP and back to it: its
 * attendance page to add a period, its exclusions page to record an exclusion; for those who
 * record the child's education.
 */
export function recordLinksFor(
  page: Page,
  pep: { id: string; childId: string },
  role: Role | null,
) {
  if (!role || !canAct([role], 'child.education.record')) return null
  const attendance = paths.children.attendance(pep.childId)
  if (fillsAttendanceFromRecord(page))
    return {
      addAttendance: `${paths.children.addAttendance(pep.childId)}?pep=${pep.id}`,
      attendance,
    }
  if (page.id === 'exclusions')
    return { addExclusion: `${paths.children.addExclusion(pep.childId)}?pep=${pep.id}`, attendance }
  return null
}
