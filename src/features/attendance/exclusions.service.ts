import type { Database, Queryable } from '../../db/connection.ts'
import {
  exclusionTaskChange,
  type Exclusion,
  type ExclusionStatus,
} from '../../domain/exclusion.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { closeChildTasks, moveChildTasks, raiseTask } from '../../shared/tasks.ts'
import { schoolOn } from './attendance.repository.ts'
import {
  appendExclusionRevision,
  findExclusion,
  insertExclusion,
  otherInForceOn,
  updateExclusion,
} from './exclusions.repository.ts'

/* Recording and correcting a child's suspensions and permanent exclusions (issue 19). */

/**
 * Records a suspension or permanent exclusion, at the school the child was at on its first day,
 * and puts a task in the Virtual School consultants' tray the same moment (one per exclusion,
 * in the same transaction), so the Virtual School knows the day it is recorded.
 */
export async function recordExclusion(
  db: Database,
  actor: PersonActor,
  input: { childId: string; authorityId: string; exclusion: Exclusion },
): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => {
    const schoolId = await schoolOn(trx, input.childId, input.exclusion.startsOn)
    const id = await insertExclusion(trx, {
      ...input.exclusion,
      childId: input.childId,
      schoolId,
      recordedBy: actor.userId,
      at: actor.now,
    })
    await appendExclusionRevision(trx, {
      exclusionId: id,
      childId: input.childId,
      version: 1,
      record: { ...input.exclusion, status: 'in-force', schoolId },
      recordedBy: actor.userId,
      at: actor.now,
    })
    await raiseExclusionTask(trx, actor, input)
    await audit(trx, actor, {
      action: 'child.exclusion.add',
      childId: input.childId,
      details: {
        exclusionId: id,
        kind: input.exclusion.kind,
        startsOn: input.exclusion.startsOn,
        endsOn: input.exclusion.endsOn,
        sessionsMissed: input.exclusion.sessionsMissed,
        reason: input.exclusion.reason,
      },
    })
    return { id }
  })
}

async function raiseExclusionTask(
  trx: Queryable,
  actor: PersonActor,
  input: { childId: string; authorityId: string; exclusion: Exclusion },
): Promise<void> {
  await raiseTask(trx, {
    kind: 'exclusion-recorded',
    authorityId: input.authorityId,
    childId: input.childId,
    pepId: null,
    at: actor.now,
    assignee: { group: 'vs_consultant' },
    title: exclusionTaskTitle(input.exclusion),
    aboutDate: input.exclusion.startsOn,
  })
}

export type ExclusionRefusal =
  /** Someone corrected the exclusion since the form was opened. */
  'exclusion.changed' | 'exclusion.not-found'

/**
 * Corrects an exclusion: the exclusion holds the corrected facts, one version on, and the
 * history keeps every version. Refused when the form was opened on an older version. The
 * Virtual School's task follows the rule `exclusionTaskChange`: withdrawn or recorded in error
 * closes it (done, by the correction); put back in force, or a suspension made permanent,
 * raises a new one; a corrected first day moves the open task with it.
 */
export async function correctExclusion(
  db: Database,
  actor: PersonActor,
  input: {
    childId: string
    authorityId: string
    exclusionId: string
    version: number
    exclusion: Exclusion
    status: ExclusionStatus
  },
): Promise<Result<{ id: string }, ExclusionRefusal>> {
  return db.transaction().execute(async (trx) => {
    const old = await findExclusion(trx, input.childId, input.exclusionId, true)
    if (!old) return refuse('exclusion.not-found')
    if (old.version !== input.version) return refuse('exclusion.changed')
    const version = old.version + 1
    await updateExclusion(trx, {
      ...input.exclusion,
      id: old.id,
      status: input.status,
      version,
      recordedBy: actor.userId,
      at: actor.now,
    })
    await appendExclusionRevision(trx, {
      exclusionId: old.id,
      childId: input.childId,
      version,
      record: { ...input.exclusion, status: input.status, schoolId: old.schoolId },
      recordedBy: actor.userId,
      at: actor.now,
    })
    const change = exclusionTaskChange(old, { kind: input.exclusion.kind, status: input.status })
    // Another exclusion in force from the same first day shares the day its task is found by.
    const shared = await otherInForceOn(trx, {
      childId: input.childId,
      startsOn: old.startsOn,
      exceptId: old.id,
    })
    if (!shared && change !== 'keep')
      await closeChildTasks(trx, {
        kind: 'exclusion-recorded',
        about: [{ childId: input.childId, aboutDate: old.startsOn }],
        by: actor.userId,
        at: actor.now,
      })
    else if (!shared)
      await moveChildTasks(trx, {
        kind: 'exclusion-recorded',
        childId: input.childId,
        from: old.startsOn,
        to: input.exclusion.startsOn,
      })
    if (change === 'raise') await raiseExclusionTask(trx, actor, input)
    await audit(trx, actor, {
      action: 'child.exclusion.correct',
      childId: input.childId,
      details: {
        exclusionId: old.id,
        version,
        status: input.status,
        kind: input.exclusion.kind,
        startsOn: input.exclusion.startsOn,
        endsOn: input.exclusion.endsOn,
        sessionsMissed: input.exclusion.sessionsMissed,
        reason: input.exclusion.reason,
        task: change,
      },
    })
    return ok({ id: old.id })
  })
}

const exclusionTaskTitle = (e: Exclusion) =>
  e.kind === 'permanent'
    ? 'A permanent exclusion was recorded: check the provision from the sixth day'
    : `A suspension of ${e.sessionsMissed ?? 0} sessions was recorded: check the provision`
