import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { inputFromAnswers, readPage, type PageInput } from '../../forms/answers.ts'
import {
  applicablePages,
  findPage,
  isMandatory,
  mayEditPage,
  NEXT_MEETING_QUESTIONS,
} from '../../forms/completion.ts'
import { holds } from '../../forms/conditions.ts'
import { answerAsText } from '../../forms/display.ts'
import type { Answers, Page } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, type FormErrors } from '../../plugins/validation.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { checkNextMeetingDate } from '../../domain/timescales.ts'
import { loadAuthoritySettings } from '../authority-settings/authority-settings.repository.ts'
import { refuseIfReadOnly } from '../children/child-page.ts'
import { historyModel } from './history.presenter.ts'
import { answersFromRecord, fillsFromRecord, schoolOnRecord } from './education-from-record.ts'
import { canAct } from '../../domain/permissions.ts'
import { mayReadPage, mayShareWithYoungPerson, readableQuestions } from '../../forms/reading.ts'
import { pepActor, pepOf, pepPageModel, pepReader, pepRoute } from './pep-context.ts'
import { pepTitle, questionViews, visibleSections } from './pep.presenter.ts'
import {
  mandatoryOverrides,
  pagesOf,
  revisionsOf,
  sectionsOf,
  type PageRow,
} from './peps.repository.ts'
import { contextOf, keepOtherAnswers, savePage } from './peps.service.ts'
import { liveDelegation } from './workflow.repository.ts'
import { sectionOpen } from '../../domain/pep-workflow.ts'
import { isSchoolSection, schoolRole } from './workflow.service.ts'

const [NEXT_MEETING_DATE] = NEXT_MEETING_QUESTIONS

type PageParams = { childId: string; pepId: string; pageId: string }
type Body = Record<string, unknown>

/** Each page of a PEP's form: open it, save it (or meet a conflict), and read its history. */
export const pageRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  /** The page the URL names, if it is in the PEP's template and applies to this child. */
  async function loadPage(request: FastifyRequest<{ Params: PageParams }>) {
    const pep = pepOf(request)
    const found = findPage(pep.template, request.params.pageId)
    if (!found) return undefined
    const [pages, sections, overrides, delegation] = await Promise.all([
      pagesOf(db, pep.id),
      sectionsOf(db, pep.id),
      mandatoryOverrides(db, pep.authorityId, pep.formType),
      liveDelegation(db, pep.id),
    ])
    const context = contextOf(pep.yearGroupValue, pages)
    if (!holds(found.page.condition, context)) return undefined
    const role = request.actingRole
    const reader = pepReader(request)
    if (!visibleSections(pep, reader).includes(found.section)) return undefined
    if (!mayReadPage(reader, found.section, found.page)) return undefined
    const complete = Boolean(sections.get(found.section.id)?.completedAt)
    const needsDelegation = schoolRole(role) && isSchoolSection(found.section.id)
    const delegatedToMe =
      delegation?.status === 'delegated' &&
      delegation.delegatedTo === request.user!.id &&
      delegation.sections.includes(found.section.id)
    const reason =
      request.child!.status === 'ceased'
        ? 'This child has ceased to be in care, so their PEPs are read-only.'
        : !sectionOpen(pep.status, found.section.id)
          ? pep.status === 'signed_off'
            ? 'This PEP has been signed off, so it can no longer be changed.'
            : found.section.id === 'D'
              ? 'Quality assurance is given once the PEP has been submitted to the Virtual School.'
              : 'This PEP is with the Virtual School, so it cannot be changed unless it is returned.'
          : complete
            ? `${found.section.title} has been marked complete, so its pages can no longer be changed.`
            : !mayEditPage(found.section, found.page, role)
              ? 'You can read this page but not change it: it is completed by someone in another role.'
              : needsDelegation && !delegatedToMe
                ? 'You can change this page once the social worker delegates the school’s sections to you.'
                : undefined
    return {
      ...found,
      pep,
      /** What this reader may read of the page (all of it, if they may change it). */
      questions: readableQuestions(reader, found.section, found.page),
      pages,
      context,
      overrides,
      complete,
      editable: reason === undefined,
      reason,
      saved: pages.get(found.page.id),
    }
  }

  type Loaded = NonNullable<Awaited<ReturnType<typeof loadPage>>>

  function renderPage(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: Loaded,
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
    },
  ) {
    const { pep, section, page } = loaded
    const status = form.status ?? (form.errors ? 400 : 200)
    const base = {
      ...pepPageModel(request),
      pageTitle: `${page.title} – ${pepTitle(pep)}`,
      section: { id: section.id, title: section.title },
      page: { id: page.id, title: page.title, intro: page.intro },
      historyHref: paths.peps.history(pep.childId, pep.id, page.id),
      share:
        canAct(request.actingRole ? [request.actingRole] : [], 'pep.share') &&
        mayShareWithYoungPerson(section, page)
          ? {
              action: paths.peps.share(pep.childId, pep.id, page.id),
              shared: pepReader(request).sharedPages.has(page.id),
              name: request.child!.firstName,
            }
          : undefined,
      errors: form.errors,
      restoredNotice: form.restored
        ? 'Your answers were not saved because you were signed out. Check them and save again.'
        : undefined,
      fromRecord: form.fromRecord ?? false,
    }
    if (!loaded.editable) {
      const answers = loaded.saved?.answers ?? {}
      const unsaved = form.unsaved
      return reply.code(status).render('peps/views/page-read.njk', {
        unsaved: unsaved
          ? loaded.questions
              .filter((q) => unsaved[q.id] !== undefined)
              .map((q) => ({ label: q.label, text: answerAsText(q, unsaved[q.id]) }))
          : undefined,
        ...base,
        reason: loaded.reason,
        answers: loaded.questions
          .filter((q) => holds(q.condition, loaded.context))
          .map((q) => ({ label: q.label, text: answerAsText(q, answers[q.id]) })),
      })
    }
    return reply.code(status).render('peps/views/page.njk', {
      ...base,
      action: paths.peps.page(pep.childId, pep.id, page.id),
      version: form.version,
      questions: questionViews(
        page,
        form.input,
        form.errors,
        loaded.context,
        loaded.overrides,
        randomUUID,
      ),
      anyMandatory: page.questions.some((q) => isMandatory(q, loaded.overrides)),
    })
  }

  app.get<{ Params: PageParams }>(
    paths.peps.page(':childId', ':pepId', ':pageId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.page.view' } },
    async (request, reply) => {
      const loaded = await loadPage(request)
      if (!loaded) return reply.code(404).render('pages/404.njk')
      // Answers sent after the session ended come back once, filled in, never saved unseen.
      const kept = await reply.takeUnsavedForm()
      if (kept) {
        const read = readPage(loaded.page, withoutRemoved(kept), randomUUID)
        const version = Number(kept['version'])
        return renderPage(request, reply, loaded, {
          input: read.input,
          version: Number.isInteger(version) && version >= 0 ? version : 0,
          errors: read.ok ? undefined : read.errors,
          status: 200,
          restored: true,
          ...(loaded.editable ? {} : { unsaved: read.ok ? read.answers : undefined }),
        })
      }
      // Education information: what the record knows fills what the page has not been told.
      const saved = loaded.saved?.answers ?? {}
      const fromRecord =
        loaded.editable && fillsFromRecord(loaded.page)
          ? answersFromRecord(loaded.page, await schoolOnRecord(db, loaded.pep.childId))
          : {}
      const filled = Object.keys(fromRecord).filter((id) => saved[id] === undefined)
      return renderPage(request, reply, loaded, {
        input: inputFromAnswers(loaded.page, { ...fromRecord, ...saved }),
        version: loaded.saved?.version ?? 0,
        fromRecord: filled.length > 0,
      })
    },
  )

  /** The next page of the section this user may change, after the one just saved. */
  function nextPage(loaded: Loaded, role: FastifyRequest['actingRole']): Page | undefined {
    const pages = applicablePages(loaded.section, loaded.context)
    const after = pages.slice(pages.findIndex((p) => p.id === loaded.page.id) + 1)
    return after.find((p) => mayEditPage(loaded.section, p, role))
  }

  app.post<{ Params: PageParams; Body: Body | undefined }>(
    paths.peps.page(':childId', ':pepId', ':pageId'),
    { config: { access: pepRoute('pep.edit'), audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const loaded = await loadPage(request)
      if (!loaded) return reply.code(404).render('pages/404.njk')
      const { pep, page, section } = loaded
      const body = request.body ?? {}
      const fromVersion = Number(body['version'])
      if (!loaded.editable) {
        await request.audit({
          action: 'pep.page.refused',
          outcome: 'denied',
          details: {
            pepId: pep.id,
            pageId: page.id,
            reason: loaded.reason,
          },
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
      if (!read.ok || !Number.isInteger(fromVersion) || fromVersion < 0)
        return renderPage(request, reply, loaded, {
          input: read.input,
          version: Number.isInteger(fromVersion) && fromVersion >= 0 ? fromVersion : 0,
          errors: read.ok
            ? {
                list: [{ text: 'Reload the page and try again', href: '#main-content' }],
                fields: {},
              }
            : read.errors,
        })
      if (body['action'] === 'keep-theirs') {
        // A conflict resolved by keeping the other save: what this person sent is kept in the
        // page's history as not chosen, and the page is opened again with the kept answers.
        const kept = await keepOtherAnswers(db, pepActor(request, clock), {
          pepId: pep.id,
          pageId: page.id,
          theirVersion: fromVersion,
          answers: read.answers,
        })
        if (!kept.ok) {
          const current = loaded.saved
          if (current) return renderConflict(request, reply, loaded, body, read.answers, current)
        } else
          request.flash(
            'success',
            kept.value.recorded
              ? `The saved answers on ‘${page.title}’ were kept. Yours are in the page’s history`
              : `Nothing had changed on ‘${page.title}’`,
          )
        return reply.redirect(paths.peps.page(pep.childId, pep.id, page.id), 303)
      }
      const nextMeeting = read.answers[NEXT_MEETING_DATE]
      if (typeof nextMeeting === 'string') {
        const settings = await loadAuthoritySettings(db, pep.authorityId)
        const problem = checkNextMeetingDate(
          nextMeeting,
          pep.meetingOn,
          pepActor(request, clock).today,
          settings,
        )
        if (problem) {
          const problems = new FormProblems()
          problems.add(
            NEXT_MEETING_DATE,
            problem.kind === 'not-after-meeting'
              ? `The date of the next meeting must be after ${pep.meetingOn ? 'this meeting' : 'today'}, ${formatDate(problem.meetingOn)}`
              : `The date of the next meeting must be on or before ${formatDate(problem.latest)}: reviews are never more than ${problem.months} months apart`,
            `${NEXT_MEETING_DATE}-day`,
          )
          return renderPage(request, reply, loaded, {
            input: read.input,
            version: fromVersion,
            errors: problems.errors,
          })
        }
      }
      const result = await savePage(db, pepActor(request, clock), {
        pepId: pep.id,
        sectionId: section.id,
        pageId: page.id,
        fromVersion,
        answers: read.answers,
        delegatedTo:
          schoolRole(request.actingRole) && isSchoolSection(section.id)
            ? request.user!.id
            : undefined,
      })
      if (result.kind === 'conflict') {
        await request.audit({
          action: 'pep.page.conflict',
          outcome: 'failure',
          details: {
            pepId: pep.id,
            pageId: page.id,
            fromVersion,
            theirVersion: result.theirs.version,
          },
        })
        return renderConflict(request, reply, loaded, body, read.answers, result.theirs)
      }
      if (result.kind === 'section-complete') {
        return renderPage(
          request,
          reply,
          {
            ...loaded,
            editable: false,
            reason:
              'Someone has moved this PEP on since you opened the page, so it can no longer be changed here. What you typed is below, so you can copy it or send it to whoever now has the PEP.',
          },
          { input: read.input, version: fromVersion, status: 409, unsaved: read.answers },
        )
      }
      if (hasRemoval(body))
        return reply.redirect(paths.peps.page(pep.childId, pep.id, page.id), 303)
      // "Save and add another": back to this page, at the group, with a new blank item.
      const addAnother = addAnotherGroup(page, body['action'])
      if (addAnother) {
        request.flash('success', `Your answers on ‘${page.title}’ have been saved`)
        return reply.redirect(`${paths.peps.page(pep.childId, pep.id, page.id)}#${addAnother}`, 303)
      }
      const next = body['action'] === 'later' ? undefined : nextPage(loaded, request.actingRole)
      request.flash(
        'success',
        result.kind === 'saved'
          ? `Your answers on ‘${page.title}’ have been saved`
          : `Nothing had changed on ‘${page.title}’`,
      )
      return reply.redirect(
        next
          ? paths.peps.page(pep.childId, pep.id, next.id)
          : paths.peps.contents(pep.childId, pep.id),
        303,
      )
    },
  )

  function renderConflict(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: Loaded,
    body: Body,
    mine: Answers,
    theirs: PageRow,
  ) {
    const { pep, page } = loaded
    const rows = page.questions
      .map((q) => ({
        label: q.label,
        theirs: answerAsText(q, theirs.answers[q.id]),
        mine: answerAsText(q, mine[q.id]),
      }))
      .filter((r) => r.theirs !== r.mine)
    const hidden = Object.entries(body)
      .filter(([name]) => name !== '_csrf' && name !== 'version' && name !== 'action')
      .flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value])
          .filter((v): v is string => typeof v === 'string')
          .map((v) => ({ name, value: v })),
      )
    // The other save may be this person's own, from another window or tab.
    const own = theirs.savedBy !== null && theirs.savedBy === request.user!.id
    const heading = own
      ? 'You saved this page in another window or tab'
      : 'Someone else has changed this page'
    return reply.code(409).render('peps/views/conflict.njk', {
      ...pepPageModel(request),
      pageTitle: `${heading} – ${page.title}`,
      heading,
      own,
      page: { title: page.title },
      savedBy: theirs.savedByName ?? 'Someone',
      savedAt: formatDateTime(theirs.savedAt),
      rows,
      hidden,
      version: theirs.version,
      action: paths.peps.page(pep.childId, pep.id, page.id),
      pageHref: paths.peps.page(pep.childId, pep.id, page.id),
    })
  }

  app.get<{ Params: PageParams; Querystring: { question?: string } }>(
    paths.peps.history(':childId', ':pepId', ':pageId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.history.view' } },
    async (request, reply) => {
      const pep = pepOf(request)
      const found = await loadPage(request)
      if (!found) return reply.code(404).render('pages/404.njk')
      const revisions = await revisionsOf(db, pep.id, found.page.id)
      const question = found.questions.find((q) => q.id === request.query.question)
      return reply.render('peps/views/history.njk', {
        ...pepPageModel(request),
        pageTitle: `History of ‘${found.page.title}’ – ${pepTitle(pep)}`,
        page: {
          title: found.page.title,
          href: paths.peps.page(pep.childId, pep.id, found.page.id),
        },
        action: paths.peps.history(pep.childId, pep.id, found.page.id),
        questionItems: [
          { value: '', text: 'Every question', selected: !question },
          ...found.questions.map((q) => ({
            value: q.id,
            text: q.label,
            selected: q === question,
          })),
        ],
        revisions: historyModel({ questions: found.questions }, revisions, question?.id),
      })
    },
  )
}

/** The repeating group whose "Save and add another" button was pressed, if one was. */
function addAnotherGroup(page: Page, action: unknown): string | undefined {
  if (typeof action !== 'string' || !action.startsWith('add-another:')) return undefined
  const id = action.slice('add-another:'.length)
  return page.questions.some((q) => q.id === id && q.type === 'repeating') ? id : undefined
}

/** Items whose "remove" box is ticked are left out of what is read, so the save drops them. */
function withoutRemoved(body: Body): Body {
  const removed = Object.keys(body)
    .filter((name) => name.endsWith('--remove') && body[name] === 'yes')
    .map((name) => name.slice(0, -'remove'.length))
  if (removed.length === 0) return body
  return Object.fromEntries(
    Object.entries(body).filter(([name]) => !removed.some((prefix) => name.startsWith(prefix))),
  )
}

function hasRemoval(body: Body): boolean {
  return Object.keys(body).some((name) => name.endsWith('--remove') && body[name] === 'yes')
}
