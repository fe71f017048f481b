import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { scaleFor, SCALE_NAMES, type AttainmentScale } from '../../domain/attainment.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { termOf } from '../../domain/terms.ts'
import { keyStageOf, yearGroupOn, isYearGroup } from '../../domain/year-group.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel } from '../../shared/child-header.ts'
import {
  emptyAttainment,
  levelItems,
  offeredTerms,
  readAttainmentForm,
  subjectItems,
  termItems,
  type TypedAttainmentForm,
} from './attainment.form.ts'
import { presentAttainment } from './attainment.presenter.ts'
import { attendanceTitles } from './attendance.presenter.ts'
import { childForScale, listAttainment } from './attainment.repository.ts'
import { recordAttainment } from './attainment.service.ts'
import { listStatutoryResults } from './statutory.repository.ts'
import { presentStatutory } from './statutory.form.ts'
import { formatDateTime } from '../../views/format.ts'

type Params = { childId: string }

/*
 * The child's attainment over time (issue 19), a tab of the record for staff; recorded by those
 * who record the child's education. The scale is the one of the child's key stage today.
 */
export const attainmentRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  async function scaleOf(childId: string): Promise<AttainmentScale> {
    const child = await childForScale(db, childId)
    const override = isYearGroup(child.override) ? child.override : null
    const year = yearGroupOn(child.dateOfBirth, londonDate(clock.now()), override)
    if (year.kind === 'too-young') return 'early-years'
    if (year.kind === 'beyond-year-13') return 'post-16'
    return scaleFor(keyStageOf(year.yearGroup))
  }

  app.get<{ Params: Params }>(
    paths.children.attainment(':childId'),
    {
      config: {
        access: { action: 'child.view', child: true, reads: 'education' },
        audit: 'child.attainment.view',
      },
    },
    async (request, reply) => {
      const page = childPageModel(request, 'attainment')
      const child = request.child!
      const canRecord = page.can.recordEducation && !page.childHeader.ceased
      return reply.render('attendance/views/attainment.njk', {
        ...page,
        pageTitle: attendanceTitles.attainment(child),
        ...presentAttainment(await listAttainment(db, child.id), termOf(londonDate(clock.now()))),
        addHref: canRecord ? paths.children.addAttainment(child.id) : '',
        statutory: presentStatutory(
          await listStatutoryResults(db, child.id),
          (r) => `${r.recordedBy ?? 'OpenPEP'}, ${formatDateTime(r.recordedAt)}`,
        ),
        statutoryLinks: canRecord
          ? [
              {
                href: paths.children.addStatutoryResult(child.id, 'phonics'),
                text: 'Record a phonics screening check result',
              },
              {
                href: paths.children.addStatutoryResult(child.id, 'ks2'),
                text: 'Record a key stage 2 result',
              },
              {
                href: paths.children.addStatutoryResult(child.id, 'gcse'),
                text: 'Record a GCSE grade',
              },
            ]
          : [],
      })
    },
  )

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { typed?: TypedAttainmentForm; errors?: FormErrors; status?: number },
  ) {
    const child = request.child!
    const scale = await scaleOf(child.id)
    const terms = offeredTerms(termOf(londonDate(clock.now())))
    const typed = form.typed ?? emptyAttainment(terms[0]!)
    return reply.code(form.status ?? 200).render('attendance/views/attainment-form.njk', {
      ...childPageModel(request, 'attainment'),
      pageTitle: attendanceTitles.recordAttainment(child),
      scaleName: SCALE_NAMES[scale],
      values: typed,
      subjects: subjectItems(typed.subject),
      terms: termItems(terms, typed.term),
      workingAt: levelItems(scale, typed.workingAt, 'Select a level'),
      expected: levelItems(scale, typed.expected, 'Select a level'),
      target: levelItems(scale, typed.target, 'No target'),
      errors: form.errors,
      backHref: paths.children.attainment(child.id),
    })
  }

  const formAccess = { action: 'child.education.record', child: true, reads: 'education' } as const

  app.get<{ Params: Params }>(
    paths.children.addAttainment(':childId'),
    { config: { access: formAccess, audit: 'child.attainment.form.view' } },
    async (request, reply) => renderForm(request, reply, {}),
  )

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    paths.children.addAttainment(':childId'),
    { config: { access: formAccess, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const child = request.child!
      const scale = await scaleOf(child.id)
      const terms = offeredTerms(termOf(londonDate(clock.now())))
      const form = readAttainmentForm(request.body, scale, terms)
      if (!form.ok)
        return renderForm(request, reply, { typed: form.typed, errors: form.errors, status: 400 })
      await recordAttainment(db, actorFrom(request, clock), {
        childId: child.id,
        entry: form.value,
      })
      request.flash('success', 'Attainment recorded')
      return reply.redirect(paths.children.attainment(child.id), 303)
    },
  )
}
