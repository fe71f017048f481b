import type { Database, Queryable } from '../../db/connection.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { type YearGroup } from '../../domain/year-group.ts'
import {
  applicablePages,
  findSection,
  mergeAnswers,
  blockersToCompleting,
  findPage,
  pagesForVirtualSchool,
  type MissingAnswer,
} from '../../forms/completion.ts'
import { raiseTask } from '../../shared/tasks.ts'
import type { Role } from '../../domain/roles.ts'
import type { ConditionContext } from '../../forms/conditions.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import type { Answers, FormTemplate } from '../../forms/types.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { holdsPage, sectionOpen } from '../../domain/pep-workflow.ts'
import { liveDelegation } from './workflow.repository.ts'
import {
  lockPep,
  pagesOf,
  sectionsOf,
  markSectionComplete,
  writeNotChosen,
  writePage,
  type PageRow,
} from './peps.repository.ts'
import { mandatoryOverrides } from '../../shared/settings.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'

/* The PEP's transactions: save a page, mark a section complete (starting one is start.service.ts). */

export type SaveResult =
  | { kind: 'saved' | 'unchanged' }
  | { kind: 'conflict'; theirs: PageRow }
  | { kind: 'section-complete' }

/**
 * Saves a page's answers if nobody else has saved it since `fromVersion` (what the user's form
 * was filled from). If someone has, and their answers differ from these, nothing is written and
 * the caller shows both versions. The save and its audit event commit together.
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
  },
): Promise<SaveResult> {
  return db.transaction().execute(async (trx) => {
    await lockPep(trx, save.pepId)
    // Checked again under the lock: the PEP may have moved on since the page was opened.
    const [sections, pep, delegation] = await Promise.all([
      sectionsOf(trx, save.pepId),
      trx
        .selectFrom('pep')
        .select(['status', 'form_type', 'template_version'])
        .where('id', '=', save.pepId)
        .executeTakeFirstOrThrow(),
      save.delegatedTo ? liveDelegation(trx, save.pepId) : undefined,
    ])
    if (sections.get(save.sectionId)?.completedAt || !sectionOpen(pep.status, save.sectionId))
      return { kind: 'section-complete' } as const
    if (save.delegatedTo && !holdsPage(delegation, save.delegatedTo, save.sectionId, save.pageId))
      return { kind: 'section-complete' } as const
    const current = (await pagesOf(trx, save.pepId)).get(save.pageId)
    const currentVersion = current?.version ?? 0
    if (sameAnswers(current?.answers ?? {}, save.answers)) return { kind: 'unchanged' } as const
    if (current && currentVersion !== save.fromVersion)
      return { kind: 'conflict', theirs: current } as const
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
    return { kind: 'saved' } as const
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
  keep: { pepId: string; childId: string; pageId: string; theirVersion: number; answers: Answers },
): Promise<Result<{ recorded: boolean }, 'page.moved-on'>> {
  return db.transaction().execute(async (trx) => {
    await lockPep(trx, keep.pepId)
    const current = (await pagesOf(trx, keep.pepId)).get(keep.pageId)
    if ((current?.version ?? 0) !== keep.theirVersion) return refuse('page.moved-on')
    if (sameAnswers(current?.answers ?? {}, keep.answers)) return ok({ recorded: false })
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
    return ok({ recorded: true })
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

export type CompleteResult =
  | { kind: 'completed' }
  | { kind: 'already-complete' }
  | { kind: 'closed' }
  | {
      kind: 'missing'
      missing: MissingAnswer[]
      /** Pages the Virtual School has been asked to complete (a task in its group tray). */
      askedVirtualSchool: string[]
    }

/** Marks a section complete, unless a mandatory answer is missing (each is listed). */
export async function completeSection(
  db: Database,
  actor: PersonActor,
  request: {
    pepId: string
    authorityId: string
    template: FormTemplate
    yearGroup: YearGroup | null
    sectionId: string
    childId: string
    /** The role the person completing it acts in. */
    role: Role | null
  },
): Promise<CompleteResult> {
  const section = findSection(request.template, request.sectionId)
  if (!section) throw new Error(`No section ${request.sectionId}`)
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
    if (sections.get(section.id)?.completedAt) return { kind: 'already-complete' } as const
    if (!sectionOpen(pep.status, section.id)) return { kind: 'closed' } as const
    const pages = await pagesOf(trx, request.pepId)
    const context = contextOf(request.yearGroup, pages)
    const [overrides, settings] = await Promise.all([
      mandatoryOverrides(trx, request.authorityId, request.template.formType),
      loadAuthoritySettings(trx, request.authorityId),
    ])
    const missing = blockersToCompleting(request.template, section, context, overrides, {
      attendanceTargetBelowPercent: settings.attendanceTargetBelowPercent,
    })
    if (missing.length > 0) {
      const forVs = pagesForVirtualSchool(section, missing, request.role)
      for (const page of forVs) await askVirtualSchool(trx, actor, request, page.title)
      return { kind: 'missing', missing, askedVirtualSchool: forVs.map((p) => p.title) } as const
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
    return { kind: 'completed' } as const
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
  sectionsOf,
  type PageRow,
  type PepRow,
} from './peps.repository.ts'

/* Who the PEP's news goes to (the social worker and the school's designated teacher), for the
 * features that send it (the young person's and the carer's views, issue 20). */
export { schoolContact, socialWorkerOf } from './workflow.repository.ts'
