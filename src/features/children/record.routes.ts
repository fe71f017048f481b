import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { listAccessCandidates, listPlacesOfChild } from './access-list.repository.ts'
import { readAuthoritySettings } from '../../domain/authority-settings.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { presentChildRecord, presentEndedAccess } from './child-record.presenter.ts'
import { childRecordOf, loadChildRecord } from './record-context.ts'
import { listPepsOfChild } from '../peps/peps.service.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import { paths } from '../../paths.ts'
import { formatDate } from '../../views/format.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { latestAttendance } from '../attendance/attendance.service.ts'
import { presentLatestAttendance } from '../attendance/attendance.presenter.ts'
import { subjectsNotMakingProgressOf } from '../attendance/attainment.service.ts'
import { presentProgressOnRecord } from '../attendance/attainment.presenter.ts'
import { termOf } from '../../domain/terms.ts'
import {
  initialPepClockOnRecord,
  reviewGapOnRecord,
} from '../attendance/statutory-clock.service.ts'
import {
  presentInitialPepClock,
  presentReviewGap,
} from '../attendance/statutory-clock.presenter.ts'
import { listCircumstances } from './circumstances.repository.ts'
import { currentCircumstances } from './circumstances.presenter.ts'

/** How many of the latest PEPs the record shows; the PEPs tab has them all. */
const RECENT_PEPS = 3

/**
 * The child's record page, its record loaded by loadChildRecord; also re-shown with errors when
 * adding someone to the list fails.
 */
export async function renderChildRecord(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Database,
  clock: Clock,
  options: { status?: number; errors?: FormErrors } = {},
) {
  const child = request.child!
  const page = childPageModel(request, 'record')
  const today = londonDate(clock.now())
  const readsEducation = mayReadPart(request.actingRole, 'education')
  const readsProgress = mayReadPart(request.actingRole, 'pep-progress')
  // The child's row (loadChildRecord's) brings the last review and the authority's settings; the
  // list's places, now and ended, are one read; each read a prepared statement (issue 16).
  const record = childRecordOf(request)
  const [places, candidates, peps, attendance, circumstances, behind] = await Promise.all([
    listPlacesOfChild(db, child.id),
    page.can.manageAccess && !page.childHeader.ceased
      ? listAccessCandidates(db, child.id, child.authorityId)
      : [],
    listPepsOfChild(db, child.id, RECENT_PEPS),
    readsEducation ? latestAttendance(db, child.id) : undefined,
    readsEducation ? listCircumstances(db, child.id) : null,
    readsEducation ? subjectsNotMakingProgressOf(db, child.id, termOf(today)) : null,
  ])
  const access =
    mayReadPart(request.actingRole, 'access-list') ||
    mayReadPart(request.actingRole, 'professionals')
      ? places.current
      : []
  const settings = readAuthoritySettings(record.storedSettings)
  const initialPep = readsProgress
    ? await initialPepClockOnRecord(db, record, today, settings)
    : null
  const reviewGap = readsProgress ? reviewGapOnRecord(record, settings, today) : null
  return reply.code(options.status ?? 200).render('children/views/show.njk', {
    ...page,
    ...presentChildRecord(record, access, candidates, today, request.actingRole),
    recentPeps: peps.map((pep) => ({
      title: pepTitle(pep),
      href: paths.peps.contents(child.id, pep.id),
      meeting: pep.meetingOn ? formatDate(pep.meetingOn) : 'Not set',
    })),
    pepsHref: paths.peps.list(child.id),
    endedAccess: presentEndedAccess(places.ended),
    attendance: readsEducation ? presentLatestAttendance(child.id, attendance) : null,
    progress: behind ? presentProgressOnRecord(child.id, behind) : null,
    initialPep: initialPep && presentInitialPepClock(initialPep),
    reviewGap: reviewGap && presentReviewGap(reviewGap),
    circumstances: circumstances
      ? {
          current: currentCircumstances(circumstances, today),
          href: paths.children.circumstances(child.id),
        }
      : null,
    errors: options.errors,
  })
}

/** The child's record page. */
export const recordRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get<{ Params: { childId: string } }>(
    paths.children.show(':childId'),
    {
      config: { access: { action: 'child.view', child: true }, audit: 'child.view' },
      preHandler: loadChildRecord(db, clock),
    },
    async (request, reply) => renderChildRecord(request, reply, db, clock),
  )
}
