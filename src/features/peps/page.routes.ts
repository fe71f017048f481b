import { reachesRecord } from '../../shared/child-header.ts'
import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { checkNextMeetingDate } from '../../domain/timescales.ts'
import { inputFromAnswers, readPage, type PageInput } from '../../forms/answers.ts'
import { NEXT_MEETING_QUESTIONS } from '../../forms/completion.ts'
import type { Answers } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { answersFromRecord, fillsFromRecord } from './education-from-record.presenter.ts'
import { loadPepPage, pepPageOf, readOnlyRefused, type PepPageInContext } from './page-context.ts'
import {
  attendanceAnswersFromRecord,
  recordLinksFor,
} from '../attendance/pep-attendance.presenter.ts'
import {
  changedForm,
  mergeErrors,
  readPepAttainment,
  type TypedPepAttainment,
} from '../attendance/pep-attainment.form.ts'
import { conflictLevels, pepAttainmentView } from '../attendance/pep-attainment.presenter.ts'
import {
  addAnotherGroup,
  hasRemoval,
  nextPage,
  versionOf,
  withoutRemoved,
  type Body,
} from './page.form.ts'
import {
  MOVED_ON_REASON,
  RELOAD_ERRORS,
  RESTORED_NOTICE,
  conflictModel,
  editPageModel,
  keptTheirsMessage,
  nextMeetingProblemText,
  pageTitleOf,
  readPageModel,
  savedMessage,
  shareModel,
} from './page.presenter.ts'
import { pepPageModel, pepReader, pepRoute } from './pep-context.ts'
import { schoolOnRecord, type PageRow } from './peps.repository.ts'
import { keepOtherAnswers, pagesOf, refusePageChange, savePage } from './peps.service.ts'
import { isSchoolSection, schoolRole } from './workflow.service.ts'

const [NEXT_MEETING_DATE] = NEXT_MEETING_QUESTIONS

type PageParams = { childId: string; pepId: string; pageId: string }

/** Each page of a PEP's form: open it, and save it (or meet a conflict); its history in page-history.routes.ts. */
export const pageRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  async function renderPage(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: PepPageInContext,
    form: {
      input: PageInput
      version: number
      errors?: FormErrors
      status?: number
      /** Answers that could not be saved, shown so they are not lost. */
      unsaved?: Answers
      /** The form is what was sent after the session ended, shown again to check and save. */
      restored?: boolean
      /** Some answers shown come from the child's record, not yet saved. */
      fromRecord?: boolean
      /** The attainment page: the termly attainment as sent, and whether it met a newer save. */
      attainment?: { typed: TypedPepAttainment[]; refreshSeen?: boolean }
    },
  ) {
    const { pep, section, page } = loaded
    const status = form.status ?? (form.errors ? 400 : 200)
    const base = {
      ...pepPageModel(request),
      pageTitle: pageTitleOf(loaded),
      section: { id: section.id, title: section.title },
      page: { id: page.id, title: page.title, intro: page.intro },
      historyHref: paths.peps.history(pep.childId, pep.id, page.id),
      share: shareModel(loaded, request.actingRole, pepReader(request).sharedPages, request.child!),
      errors: form.errors,
      restoredNotice: form.restored ? RESTORED_NOTICE : undefined,
      fromRecord: form.fromRecord ?? false,
      ownWords: loaded.ownWords,
      // The record's attendance and exclusions forms, opened from this PEP and back (issue 19).
      recordLinks: reachesRecord(request) ? recordLinksFor(page, pep, request.actingRole) : null,
      attainment: await pepAttainmentView(
        db,
        { page, pep, role: request.actingRole, editable: loaded.editable },
        { ...form.attainment, errors: form.errors },
      ),
    }
    if (!loaded.editable) {
      const { unsaved, ...read } = readPageModel(loaded, form.unsaved)
      return reply.code(status).render('peps/views/page-read.njk', { unsaved, ...base, ...read })
    }
    return reply.code(status).render('peps/views/page.njk', {
      ...base,
      ...editPageModel(loaded, form),
    })
  }

  const renderConflict = async (
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: PepPageInContext,
    body: Body,
    mine: Answers,
    theirs: PageRow,
  ) =>
    reply.code(409).render('peps/views/conflict.njk', {
      ...pepPageModel(request),
      ...conflictModel(loaded, body, mine, theirs, request.user!.id),
      // The attainment page: the levels typed beside those on the record now (issue 19).
      levels: await conflictLevels(db, loaded, request.actingRole, body),
    })

  app.get<{ Params: PageParams }>(
    paths.peps.page(':childId', ':pepId', ':pageId'),
    {
      config: { access: pepRoute('pep.view'), audit: 'pep.page.view' },
      preHandler: loadPepPage(db),
    },
    async (request, reply) => {
      const loaded = pepPageOf(request)
      // Answers sent after the session ended come back once, filled in, never saved unseen.
      const kept = await reply.takeUnsavedForm()
      if (kept) {
        const read = readPage(loaded.page, withoutRemoved(kept), randomUUID)
        return renderPage(request, reply, loaded, {
          input: read.input,
          version: versionOf(kept) ?? 0,
          errors: read.ok ? undefined : read.errors,
          status: 200,
          restored: true,
          ...(loaded.editable ? {} : { unsaved: read.ok ? read.answers : undefined }),
        })
      }
      // Education information: what the record knows fills what the page has not been told.
      const saved = loaded.saved?.answers ?? {}
      const fromRecord = !loaded.editable
        ? {}
        : fillsFromRecord(loaded.page)
          ? answersFromRecord(loaded.page, await schoolOnRecord(db, loaded.pep.childId))
          : // Attendance: the latest period on the child's record (issue 19).
            await attendanceAnswersFromRecord(db, loaded.pep.childId, loaded.page)
      const filled = Object.keys(fromRecord).filter((id) => saved[id] === undefined)
      return renderPage(request, reply, loaded, {
        input: inputFromAnswers(loaded.page, { ...fromRecord, ...saved }),
        version: loaded.saved?.version ?? 0,
        fromRecord: filled.length > 0,
      })
    },
  )

  app.post<{ Params: PageParams; Body: Body | undefined }>(
    paths.peps.page(':childId', ':pepId', ':pageId'),
    {
      config: { access: pepRoute('pep.edit'), audit: RECORDED_IN_TRANSACTION },
      preHandler: [readOnlyRefused, loadPepPage(db)],
    },
    async (request, reply) => {
      const loaded = pepPageOf(request)
      const { pep, page, section } = loaded
      const body = request.body ?? {}
      if (!loaded.editable) {
        await refusePageChange(db, actorFrom(request, clock), {
          pepId: pep.id,
          childId: pep.childId,
          pageId: page.id,
          reason: loaded.reason,
        })
        // Whatever they typed is shown back, so it is not lost with the refusal.
        const typed = readPage(page, withoutRemoved(body), randomUUID)
        return renderPage(request, reply, loaded, {
          input: inputFromAnswers(page, {}),
          version: 0,
          status: 403,
          unsaved: typed.answers,
        })
      }
      const read = readPage(page, withoutRemoved(body), randomUUID)
      const fromVersion = versionOf(body)
      const history = readPepAttainment(page, pep, request.actingRole, body)
      if (!read.ok || fromVersion === undefined || history?.ok === false)
        return renderPage(request, reply, loaded, {
          input: read.input,
          version: fromVersion ?? 0,
          errors: mergeErrors(
            history?.ok === false ? history.errors : undefined,
            fromVersion === undefined ? RELOAD_ERRORS : read.ok ? undefined : read.errors,
          ),
          attainment: history ? { typed: history.typed } : undefined,
        })
      if (body['action'] === 'keep-theirs') {
        // A conflict resolved by keeping the other save: what this person sent is kept in the
        // page's history as not chosen, and the page is opened again with the kept answers.
        const kept = await keepOtherAnswers(db, actorFrom(request, clock), {
          pepId: pep.id,
          childId: pep.childId,
          pageId: page.id,
          theirVersion: fromVersion,
          answers: read.answers,
          attainment: history?.ok ? history.value : undefined,
        })
        if (!kept.ok) {
          const current = loaded.saved
          if (current) return renderConflict(request, reply, loaded, body, read.answers, current)
        } else request.flash('success', keptTheirsMessage(page.title, kept.value))
        return reply.redirect(paths.peps.page(pep.childId, pep.id, page.id), 303)
      }
      const nextMeeting = read.answers[NEXT_MEETING_DATE]
      if (typeof nextMeeting === 'string') {
        const settings = await loadAuthoritySettings(db, pep.authorityId)
        const problem = checkNextMeetingDate(
          nextMeeting,
          pep.meetingOn,
          actorFrom(request, clock).today,
          settings,
        )
        if (problem) {
          const problems = new FormProblems()
          problems.add(
            NEXT_MEETING_DATE,
            nextMeetingProblemText(problem, pep.meetingOn !== null),
            `${NEXT_MEETING_DATE}-day`,
          )
          return renderPage(request, reply, loaded, {
            input: read.input,
            version: fromVersion,
            errors: problems.errors,
          })
        }
      }
      const result = await savePage(db, actorFrom(request, clock), {
        pepId: pep.id,
        childId: pep.childId,
        sectionId: section.id,
        pageId: page.id,
        fromVersion,
        answers: read.answers,
        delegatedTo:
          schoolRole(request.actingRole) && isSchoolSection(section.id)
            ? request.user!.id
            : undefined,
        attainment: history?.ok ? history.value : undefined,
      })
      if (!result.ok && result.error.code === 'attainment.changed' && history)
        return renderPage(request, reply, loaded, {
          input: read.input,
          version: fromVersion,
          ...changedForm(history.typed, result.error.params),
        })
      if (!result.ok && result.error.code === 'page.conflict') {
        // Whoever saved first: their answers as the page now has them, beside these.
        const theirs = (await pagesOf(db, pep.id)).get(page.id)
        if (theirs) return renderConflict(request, reply, loaded, body, read.answers, theirs)
      }
      if (!result.ok)
        return renderPage(
          request,
          reply,
          { ...loaded, editable: false, reason: MOVED_ON_REASON },
          { input: read.input, version: fromVersion, status: 409, unsaved: read.answers },
        )
      if (hasRemoval(body))
        return reply.redirect(paths.peps.page(pep.childId, pep.id, page.id), 303)
      // "Save and add another": back to this page, at the group, with a new blank item.
      const addAnother = addAnotherGroup(page, body['action'])
      if (addAnother) {
        request.flash('success', savedMessage(page.title, true))
        return reply.redirect(`${paths.peps.page(pep.childId, pep.id, page.id)}#${addAnother}`, 303)
      }
      const next =
        body['action'] === 'later'
          ? undefined
          : nextPage(loaded, request.actingRole, request.partPages)
      request.flash('success', savedMessage(page.title, result.value.changed))
      return reply.redirect(
        next
          ? paths.peps.page(pep.childId, pep.id, next.id)
          : paths.peps.contents(pep.childId, pep.id),
        303,
      )
    },
  )
}
