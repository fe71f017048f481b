import type { Database, Queryable } from '../../db/connection.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { type YearGroup } from '../../domain/year-group.ts'
import {
  applicablePages,
  findSection,
  mergeAnswers,
  blockersToCompleting,
  findPage,
  mayCompleteSection,
  pagesForVirtualSchool,
  type MissingAnswer,
} from '../../forms/completion.ts'
import { raiseTask } from '../../shared/tasks.ts'
import type { Role } from '../../domain/roles.ts'
import type { ConditionContext } from '../../forms/conditions.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import type { Answers, FormTemplate } from '../../forms/types.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { holdsPage, holdsSection, sectionOpen } from '../../domain/pep-workflow.ts'
import { liveDelegation } from './workflow.repository.ts'
import {
  lockPep,
  lockPepForSave,
  pageOf,
  pagesOf,
  sectionsOf,
  markSectionComplete,
  writeNotChosen,
  writePage,
  type PageRow,
} from './peps.repository.ts'
import { mandatoryOverrides } from '../../shared/settings.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import type { Term } from '../../domain/terms.ts'
import {
  keepAttainmentNotChosen,
  recordAttainmentFromPep,
  type PepAttainmentRefusal,
  type PepAttainmentRow,
} from '../attendance/attainment.service.ts'

/* The PEP's transactions: save a page, mark a section complete (starting one is start.service.ts). */

/** Why a page was not saved: its section is closed to this person, or someone saved first. */
export type SaveRefusal = 'page.closed' | 'page.conflict' | PepAttainmentRefusal

/**
 * A change to a page the person may not make now (the PEP locked, the section closed or not
 * theirs, the reason from the page's loading): nothing is written but the refusal, audited.
 */
export async function refusePageChange(
  db: Database,
  actor: PersonActor,
  refusal: { pepId: string; childId: string; pageId: string; reason: string | undefined },
): Promise<void> {
  await audit(db, actor, {
    action: 'pep.page.refused',
    outcome: 'denied',
    childId: refusal.childId,
    details: { pepId: refusal.pepId, pageId: refusal.pageId, reason: refusal.reason },
  })
}

/**
 * Saves a page's answers if nobody else has saved it since `fromVersion` (what the user's form
 * was filled from); `changed` is false when the answers were already the page's. If someone
 * has, and their answers differ from these, nothing is written: the refusal `page.conflict`
 * (with `theirVersion`) is audited and the caller shows both versions. The save and its audit
 * event commit together.
 */
export async function savePage(
  db: Database,
  actor: PersonActor,
  save: {
    pepId: string
    childId: string
    sectionId: string
    pageId: string
    fromVersion: number
    answers: Answers
    /** For the school's roles: the save needs the section delegated to this user. */
    delegatedTo?: string
    /** The attainment page: the term's attainment it writes to the child's history (issue 19). */
    attainment?: { term: Term; rows: readonly PepAttainmentRow[] }
  },
): Promise<Result<{ changed: boolean }, SaveRefusal>> {
  return db.transaction().execute(async (trx) => {
    const pep = await lockPepForSave(trx, save.pepId)
    // Checked again under the lock: the PEP may have moved on since the page was opened.
    const [sections, delegation] = await Promise.all([
      sectionsOf(trx, save.pepId),
      save.delegatedTo ? liveDelegation(trx, save.pepId) : undefined,
    ])
    if (sections.get(save.sectionId)?.completedAt || !sectionOpen(pep.status, save.sectionId))
      return refuse('page.closed')
    if (save.delegatedTo && !holdsPage(delegation, save.delegatedTo, save.sectionId, save.pageId))
      return refuse('page.closed')
    // This page alone, as saved now (not every page's answers).
    const current = await pageOf(trx, save.pepId, save.pageId)
    const currentVersion = current?.version ?? 0
    const sameAsSaved = sameAnswers(current?.answers ?? {}, save.answers)
    if (!sameAsSaved && current && currentVersion !== save.fromVersion) {
      await audit(trx, actor, {
        action: 'pep.page.conflict',
        outcome: 'failure',
        childId: save.childId,
        details: {
          pepId: save.pepId,
          pageId: save.pageId,
          fromVersion: save.fromVersion,
          theirVersion: currentVersion,
        },
      })
      return refuse('page.conflict', { theirVersion: currentVersion })
    }
    // The child's attainment history, written with the page or not at all (issue 19).
    const history = save.attainment
      ? await recordAttainmentFromPep(trx, actor, {
          childId: save.childId,
          pepId: save.pepId,
          ...save.attainment,
        })
      : ok({ recorded: 0 })
    if (!history.ok) return history
    if (sameAsSaved) return ok({ changed: history.value.recorded > 0 })
    const written = await writePage(trx, {
      pepId: save.pepId,
      pageId: save.pageId,
      answers: save.answers,
      version: currentVersion + 1,
      savedBy: actor.userId,
      at: actor.now,
      kind: 'saved',
    })
    if (!written) throw new Error('pep_page changed under a lock')
    // A page the Virtual School was asked to complete: its task is done once it is saved.
    const template = findTemplate(pep.form_type, pep.template_version)
    const page = template && findPage(template, save.pageId)
    if (page)
      await trx
        .updateTable('task')
        .set({ status: 'done', closed_at: actor.now, closed_by: actor.userId })
        .where('pep_id', '=', save.pepId)
        .where('kind', '=', 'virtual-school-page')
        .where('title', '=', virtualSchoolPageTask(page.page.title))
        .where('status', '=', 'open')
        .execute()
    await audit(trx, actor, {
      action: 'pep.page.save',
      childId: save.childId,
      details: {
        pepId: save.pepId,
        pageId: save.pageId,
        version: currentVersion + 1,
        questions: Object.keys(save.answers),
      },
    })
    return ok({ changed: true })
  })
}

/**
 * In a conflict, the person keeps the other save's answers: theirs stay the page's, and the
 * answers this person sent are kept in the page's history as not chosen, so neither is lost.
 * Refused if the page has moved on again since the conflict was shown (they choose again).
 */
export async function keepOtherAnswers(
  db: Database,
  actor: PersonActor,
  keep: {
    pepId: string
    childId: string
    pageId: string
    theirVersion: number
    answers: Answers
    /** The attainment page: the levels typed, kept in the child's history as not chosen. */
    attainment?: { term: Term; rows: readonly PepAttainmentRow[] }
  },
): Promise<Result<{ recorded: boolean; levelsKept: number }, 'page.moved-on'>> {
  return db.transaction().execute(async (trx) => {
    await lockPep(trx, keep.pepId)
    const current = await pageOf(trx, keep.pepId, keep.pageId)
    if ((current?.version ?? 0) !== keep.theirVersion) return refuse('page.moved-on')
    // Nothing typed is lost (issue 19): the levels too, though the page's answers are the same.
    const levelsKept = keep.attainment
      ? await keepAttainmentNotChosen(trx, actor, {
          childId: keep.childId,
          pepId: keep.pepId,
          ...keep.attainment,
        })
      : 0
    if (sameAnswers(current?.answers ?? {}, keep.answers))
      return ok({ recorded: false, levelsKept })
    await writeNotChosen(trx, {
      pepId: keep.pepId,
      pageId: keep.pageId,
      version: keep.theirVersion,
      answers: keep.answers,
      savedBy: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'pep.page.not-chosen',
      childId: keep.childId,
      details: {
        pepId: keep.pepId,
        pageId: keep.pageId,
        version: keep.theirVersion,
        questions: Object.keys(keep.answers),
      },
    })
    return ok({ recorded: true, levelsKept })
  })
}

export function sameAnswers(a: Answers, b: Answers): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    )
  return value
}

/**
 * Why a section was not marked complete: not this role's, not delegated to this person, not
 * open now, or answers missing.
 */
export type CompleteRefusal =
  'section.not-yours' | 'section.not-delegated' | 'section.closed' | 'section.incomplete'

/** A section of a PEP to mark complete, by a person acting in `role`. */
export interface SectionOfPep {
  pepId: string
  authorityId: string
  template: FormTemplate
  yearGroup: YearGroup | null
  sectionId: string
  childId: string
  /** The role the person completing it acts in. */
  role: Role | null
  /** For the school's roles: completing it needs every page of it delegated to this user. */
  delegatedTo?: string
}

/**
 * What stops a section being marked complete: each mandatory answer missing, and the pages of
 * those the Virtual School completes (asked by a task in its group tray) rather than this role.
 */
export async function missingToComplete(
  db: Queryable,
  request: SectionOfPep,
): Promise<{ missing: MissingAnswer[]; askedVirtualSchool: string[]; context: ConditionContext }> {
  const section = findSection(request.template, request.sectionId)
  if (!section) throw new Error(`No section ${request.sectionId}`)
  const pages = await pagesOf(db, request.pepId)
  const context = contextOf(request.yearGroup, pages)
  const [overrides, settings] = await Promise.all([
    mandatoryOverrides(db, request.authorityId, request.template.formType),
    loadAuthoritySettings(db, request.authorityId),
  ])
  const missing = blockersToCompleting(request.template, section, context, overrides, {
    attendanceTargetBelowPercent: settings.attendanceTargetBelowPercent,
  })
  const forVs = missing.length > 0 ? pagesForVirtualSchool(section, missing, request.role) : []
  return { missing, askedVirtualSchool: forVs.map((p) => p.title), context }
}

/** What stops a section being marked complete, as `missingToComplete` finds it. */
export type Blockers = Awaited<ReturnType<typeof missingToComplete>>

/**
 * Marks a section complete (`already` if it was), unless it is not the role's to complete, not
 * delegated to the school's person completing it, not open now, or a mandatory answer is missing
 * (`section.incomplete`, with the count, and `blockers`: each answer missing, found once, for the
 * page to list). Each refusal is audited.
 */
export async function completeSection(
  db: Database,
  actor: PersonActor,
  request: SectionOfPep,
): Promise<Result<{ already: boolean }, CompleteRefusal> & { blockers?: Blockers }> {
  const section = findSection(request.template, request.sectionId)
  if (!section) throw new Error(`No section ${request.sectionId}`)
  const refused = { action: 'pep.section.incomplete', childId: request.childId } as const
  if (!mayCompleteSection(section, request.role)) {
    await db.transaction().execute((trx) =>
      audit(trx, actor, {
        ...refused,
        outcome: 'denied',
        details: { pepId: request.pepId, sectionId: section.id, reason: 'role' },
      }),
    )
    return refuse('section.not-yours')
  }
  return db.transaction().execute(async (trx) => {
    await lockPep(trx, request.pepId)
    const [sections, pep] = await Promise.all([
      sectionsOf(trx, request.pepId),
      trx
        .selectFrom('pep')
        .select('status')
        .where('id', '=', request.pepId)
        .executeTakeFirstOrThrow(),
    ])
    if (request.delegatedTo) {
      // Marking complete locks its pages: only one who holds every page of it that applies.
      const [delegation, pages] = await Promise.all([
        liveDelegation(trx, request.pepId),
        pagesOf(trx, request.pepId),
      ])
      const applicable = applicablePages(section, contextOf(request.yearGroup, pages))
      const ids = applicable.map((p) => p.id)
      if (!holdsSection(delegation, request.delegatedTo, section.id, ids))
        return refuse('section.not-delegated')
    }
    if (sections.get(section.id)?.completedAt) return ok({ already: true })
    if (!sectionOpen(pep.status, section.id)) return refuse('section.closed')
    const { missing, askedVirtualSchool, context } = await missingToComplete(trx, request)
    if (missing.length > 0) {
      for (const title of askedVirtualSchool) await askVirtualSchool(trx, actor, request, title)
      await audit(trx, actor, {
        ...refused,
        outcome: 'failure',
        details: {
          pepId: request.pepId,
          sectionId: section.id,
          missing: missing.map((m) => m.fieldId),
        },
      })
      return {
        ...refuse('section.incomplete', { missing: missing.length }),
        blockers: { missing, askedVirtualSchool, context },
      }
    }
    await markSectionComplete(trx, {
      pepId: request.pepId,
      sectionId: section.id,
      by: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'pep.section.complete',
      childId: request.childId,
      details: {
        pepId: request.pepId,
        sectionId: section.id,
        pages: applicablePages(section, context).map((p) => p.id),
      },
    })
    return ok({ already: false })
  })
}

const virtualSchoolPageTask = (pageTitle: string) =>
  `Complete ‘${pageTitle}’: it stops a section of the PEP being completed`

/** A task in the Virtual School's group tray to complete a page, unless one is open already. */
async function askVirtualSchool(
  trx: Queryable,
  actor: PersonActor,
  pep: { pepId: string; authorityId: string; childId: string },
  pageTitle: string,
) {
  const title = virtualSchoolPageTask(pageTitle)
  const open = await trx
    .selectFrom('task')
    .select('id')
    .where('pep_id', '=', pep.pepId)
    .where('kind', '=', 'virtual-school-page')
    .where('title', '=', title)
    .where('status', '=', 'open')
    .executeTakeFirst()
  if (open) return
  await raiseTask(trx, {
    authorityId: pep.authorityId,
    childId: pep.childId,
    pepId: pep.pepId,
    at: actor.now,
    kind: 'virtual-school-page',
    assignee: { group: 'vs_consultant' },
    title,
  })
}

/** What conditions are judged against: the year group and every saved answer of the PEP. */
export function contextOf(
  yearGroup: YearGroup | null,
  pages: ReadonlyMap<string, Pick<PageRow, 'answers'>>,
): ConditionContext {
  return { yearGroup, answers: mergeAnswers(pages.values()) }
}

/*
 * What other features read of a child's PEPs (the child's record page, a funding request's PEP,
 * the young person's home): the service is the PEPs feature's face to them; its repository stays
 * its own (ADR 7).
 */
export {
  findPepOfChild,
  listPepsOfChild,
  pagesOf,
  revisionsOf,
  sectionsOf,
  type PageRow,
  type PepRow,
  type SectionRow,
} from './peps.repository.ts'

/* Who the PEP's news goes to (the social worker and the school's designated teacher), for the
 * features that send it (the young person's and the carer's views, issue 20). */
export { schoolContact, socialWorkerOf } from './workflow.repository.ts'

/* A PEP's timeline, read by the jobs that add to it (the move to the next term). */
export { eventsOf } from './workflow.repository.ts'
