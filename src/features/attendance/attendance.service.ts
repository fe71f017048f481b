import type { Database } from '../../db/connection.ts'
import { belowThreshold, type AttendancePeriod } from '../../domain/attendance.ts'
import type { Queryable } from '../../db/connection.ts'
import { claimNotice, claimNotices } from '../../jobs/job-context.ts'
import { queueWebhookEvent, queueWebhookEvents } from '../../shared/webhooks.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { socialWorkerOf, socialWorkersOf } from '../peps/workflow.service.ts'
import { formatDate } from '../../views/format.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { randomUUID } from 'node:crypto'
import { anyOf, columnsOf, unnestRows } from '../../db/unnest.ts'
import {
  attendanceValues,
  findCurrentSamePeriod,
  insertAttendance,
  lockChildrenForAttendance,
  releaseBelowLineNotices,
  schoolOn,
  supersede,
} from './attendance.repository.ts'
import {
  closeChildTasks,
  raiseAlert,
  raiseMany,
  raiseTask,
  type TaskKind,
  type TaskOrAlert,
} from '../../shared/tasks.ts'

export type AttendanceRefusal =
  /** The child already has figures for that school and period: correct them instead. */
  | 'attendance.period-exists'
  /** Someone corrected the period since the form was opened. */
  | 'attendance.changed'
  | 'attendance.not-found'

/**
 * Adds a child's attendance for a period, given on the record or the PEP: the school is the one
 * the child was at on the period's last day (from the school history), so a child who changed
 * school mid-period has each school's part as its own row. Refused when that school's figures
 * for the same period are there already (they are corrected, never added twice).
 */
export async function addAttendance(
  db: Database,
  actor: PersonActor,
  input: { childId: string; period: AttendancePeriod; pepId?: string },
): Promise<Result<{ id: string }, AttendanceRefusal>> {
  return db.transaction().execute(async (trx) => {
    await lockChildrenForAttendance(trx, [input.childId])
    const schoolId = await schoolOn(trx, input.childId, input.period.endsOn)
    const key = { childId: input.childId, schoolId, ...input.period }
    const existing = await findCurrentSamePeriod(trx, key)
    if (existing) return refuse('attendance.period-exists')
    const id = await insertAttendance(trx, {
      ...key,
      source: input.pepId ? 'pep' : 'record',
      pepId: input.pepId ?? null,
      recordedBy: actor.userId,
      recordedAt: actor.now,
    })
    await alertIfBelowLine(trx, actor.now, { childId: input.childId, period: input.period })
    await audit(trx, actor, {
      action: 'child.attendance.add',
      childId: input.childId,
      details: { periodId: id, ...figures(input.period) },
    })
    return ok({ id })
  })
}

/**
 * Corrects a period: the corrected figures are a new row, and the one corrected is kept,
 * superseded by it, so the history shows both. Refused when the row was corrected meanwhile
 * (the form was stale) or when the new dates are another current period's of the same school.
 */
export async function correctAttendance(
  db: Database,
  actor: PersonActor,
  input: { childId: string; periodId: string; period: AttendancePeriod; pepId?: string },
): Promise<Result<{ id: string }, AttendanceRefusal>> {
  return db.transaction().execute(async (trx) => {
    await lockChildrenForAttendance(trx, [input.childId])
    const old = await trx
      .selectFrom('attendance_period')
      .select(['id', 'school_id', 'superseded_at', 'ends_on'])
      .where('id', '=', input.periodId)
      .where('child_id', '=', input.childId)
      .forUpdate()
      .executeTakeFirst()
    if (!old) return refuse('attendance.not-found')
    if (old.superseded_at !== null) return refuse('attendance.changed')
    const key = { childId: input.childId, schoolId: old.school_id, ...input.period }
    const clash = await findCurrentSamePeriod(trx, key)
    if (clash && clash.id !== old.id) return refuse('attendance.period-exists')
    // The old row leaves the current set first (one current row a period), then points at the new.
    await supersede(trx, old.id, { at: actor.now })
    const id = await insertAttendance(trx, {
      ...key,
      source: input.pepId ? 'pep' : 'record',
      pepId: input.pepId ?? null,
      recordedBy: actor.userId,
      recordedAt: actor.now,
    })
    await supersede(trx, old.id, { at: actor.now, by: id })
    await alertIfBelowLine(trx, actor.now, { childId: input.childId, period: input.period })
    await closeIfAboveLine(trx, actor, {
      childId: input.childId,
      period: input.period,
      endsOn: [old.ends_on, input.period.endsOn],
    })
    await audit(trx, actor, {
      action: 'child.attendance.correct',
      childId: input.childId,
      details: { periodId: id, corrects: old.id, ...figures(input.period) },
    })
    return ok({ id })
  })
}

const figures = (p: AttendancePeriod) => ({
  startsOn: p.startsOn,
  endsOn: p.endsOn,
  possible: p.possible,
  attended: p.attended,
  authorised: p.authorised,
  unauthorised: p.unauthorised,
})

/**
 * A period corrected to at or above the authority's line: the Virtual School's task about it
 * (raised when it was below) closes itself, as done by the correction. The social worker's alert
 * stays until they dismiss it. The period's notice is released, so a later correction that takes
 * it below the line again is a new fall and alarms once more (once per fall, never per import).
 */
async function closeIfAboveLine(
  trx: Queryable,
  actor: PersonActor,
  input: { childId: string; period: AttendancePeriod; endsOn: readonly string[] },
): Promise<void> {
  const { authority_id: authorityId } = await trx
    .selectFrom('child')
    .select('authority_id')
    .where('id', '=', input.childId)
    .executeTakeFirstOrThrow()
  const line = (await loadAuthoritySettings(trx, authorityId)).attendanceTargetBelowPercent
  if (belowThreshold(input.period, line)) return
  const endsOn = [...new Set(input.endsOn)]
  await closeChildTasks(trx, {
    kind: 'attendance-below',
    about: endsOn.map((aboutDate) => ({ childId: input.childId, aboutDate })),
    by: actor.userId,
    at: actor.now,
  })
  await releaseBelowLineNotices(trx, {
    about: endsOn.map((e) => ({ childId: input.childId, endsOn: e })),
    line,
  })
}

const belowLineTitle = (line: number, endsOn: string) =>
  `Attendance was below ${line}% in the period to ${formatDate(endsOn)}`

/**
 * When a period's attendance is below the authority's line (attendanceTargetBelowPercent, 90% by
 * default, compared in sessions), the child's social worker gets an alert and the Virtual School
 * consultants' tray a task: once per child and period (by its last day) and fall below the line,
 * however often the same figures are added, corrected or imported, and in however many processes
 * at once (`scheduled_notice` is unique on kind, child and date). A correction to at or above the
 * line releases the notice (closeIfAboveLine), so falling below again alarms again. Returns
 * whether it alerted.
 */
export async function alertIfBelowLine(
  trx: Queryable,
  now: Date,
  input: { childId: string; period: AttendancePeriod; authorityId?: string; line?: number },
): Promise<boolean> {
  const authorityId =
    input.authorityId ??
    (
      await trx
        .selectFrom('child')
        .select('authority_id')
        .where('id', '=', input.childId)
        .executeTakeFirstOrThrow()
    ).authority_id
  const line =
    input.line ?? (await loadAuthoritySettings(trx, authorityId)).attendanceTargetBelowPercent
  if (!belowThreshold(input.period, line)) return false
  const fresh = await claimNotice(trx, {
    kind: 'attendance-below',
    subjectId: input.childId,
    forDate: input.period.endsOn,
    authorityId,
    at: now,
    details: { startsOn: input.period.startsOn, line },
  })
  if (!fresh) return false
  const title = belowLineTitle(line, input.period.endsOn)
  const about = {
    authorityId,
    childId: input.childId,
    pepId: null,
    at: now,
    aboutDate: input.period.endsOn,
  }
  const socialWorker = await socialWorkerOf(trx, input.childId)
  if (socialWorker)
    await raiseAlert(trx, { ...about, kind: 'attendance-below', userId: socialWorker.id, title })
  await raiseTask(trx, {
    ...about,
    kind: 'attendance-below',
    assignee: { group: 'vs_consultant' },
    title,
  })
  await queueWebhookEvent(trx, {
    authorityId,
    type: 'child.attendance-below-threshold',
    childId: input.childId,
    at: now,
  })
  return true
}

/**
 * `alertIfBelowLine` for many periods of one authority at once (an import), with the same
 * outcome, in a few statements a thousand periods rather than four a period: the notices claimed
 * together, the children's social workers read together, the alerts and tasks inserted
 * together. A child and period given twice alarm once, by the first. Returns how many alerted.
 */
async function alertAllBelowLine(
  trx: Queryable,
  now: Date,
  input: {
    authorityId: string
    line: number
    periods: readonly { childId: string; period: AttendancePeriod }[]
  },
): Promise<number> {
  const { authorityId, line } = input
  const below = new Map<string, { childId: string; period: AttendancePeriod }>()
  for (const p of input.periods) {
    const key = `${p.childId}|${p.period.endsOn}`
    if (belowThreshold(p.period, line) && !below.has(key)) below.set(key, p)
  }
  const fresh = await claimNotices(
    trx,
    [...below.values()].map(({ childId, period }) => ({
      kind: 'attendance-below',
      subjectId: childId,
      forDate: period.endsOn,
      authorityId,
      at: now,
      details: { startsOn: period.startsOn, line },
    })),
  )
  const alarms = [...below].filter(([key]) => fresh.has(key)).map(([, p]) => p)
  const socialWorkers = await socialWorkersOf(trx, [...new Set(alarms.map((a) => a.childId))])
  await raiseMany(
    trx,
    alarms.flatMap(({ childId, period }): TaskOrAlert[] => {
      const title = belowLineTitle(line, period.endsOn)
      const about = { authorityId, childId, pepId: null, at: now, title, aboutDate: period.endsOn }
      const kind: TaskKind = 'attendance-below'
      const socialWorker = socialWorkers.get(childId)
      return [
        ...(socialWorker ? [{ ...about, kind, alertTo: socialWorker }] : []),
        { ...about, kind, assignee: { group: 'vs_consultant' } },
      ]
    }),
  )
  await queueWebhookEvents(
    trx,
    alarms.map(({ childId }) => ({
      authorityId,
      type: 'child.attendance-below-threshold' as const,
      childId,
      at: now,
    })),
  )
  return alarms.length
}

/** The columns an imported period is inserted with, and their types. */
const IMPORTED_PERIOD = {
  id: 'uuid',
  child_id: 'uuid',
  school_id: 'uuid',
  starts_on: 'date',
  ends_on: 'date',
  sessions_possible: 'int',
  sessions_attended: 'int',
  authorised_absence: 'int',
  unauthorised_absence: 'int',
  source: 'text',
  pep_id: 'uuid',
  recorded_by: 'uuid',
  recorded_at: 'timestamptz',
} as const

export interface AttendanceImportCounts {
  added: number
  corrected: number
  unchanged: number
  alerted: number
}

/**
 * Saves an attendance file's rows in one transaction (the pipeline has checked every row): a
 * period new to the child and school is added; one already there with other figures is
 * corrected (the old row kept, superseded); one with the same figures is left as it is, so a
 * file imported twice changes nothing the second time. Rows below the authority's line raise
 * the alarm, once per child and period. One audit event with the counts.
 *
 * Set-based, whatever the file's size: the current periods read in one statement, the corrected
 * ones superseded in one, the new rows inserted in one (`unnest`, ids made here so no order of
 * returned rows is relied on), the corrected ones pointed at their successors in one.
 */
export async function importAttendance(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  rows: readonly (AttendancePeriod & { childId: string; schoolId: string })[],
): Promise<AttendanceImportCounts> {
  return db.transaction().execute(async (trx) => {
    const key = (r: {
      childId: string
      schoolId: string | null
      startsOn: string
      endsOn: string
    }) => `${r.childId}|${r.schoolId}|${r.startsOn}|${r.endsOn}`
    const current = new Map<string, { id: string } & AttendancePeriod>()
    const childIds = [...new Set(rows.map((r) => r.childId))]
    // Two imports (or an import and the form) at once, in two processes, take turns (issue 19).
    await lockChildrenForAttendance(trx, childIds)
    if (childIds.length > 0) {
      const found = await trx
        .selectFrom('attendance_period')
        .select([
          'id',
          'child_id as childId',
          'school_id as schoolId',
          'starts_on as startsOn',
          'ends_on as endsOn',
          'sessions_possible as possible',
          'sessions_attended as attended',
          'authorised_absence as authorised',
          'unauthorised_absence as unauthorised',
        ])
        .where('child_id', '=', anyOf(childIds))
        .where('superseded_at', 'is', null)
        .forUpdate()
        .execute()
      for (const f of found) current.set(key(f), f)
    }
    const same = (a: AttendancePeriod, b: AttendancePeriod) =>
      a.possible === b.possible &&
      a.attended === b.attended &&
      a.authorised === b.authorised &&
      a.unauthorised === b.unauthorised
    const toInsert: (AttendancePeriod & { id: string; childId: string; schoolId: string })[] = []
    const links: { oldId: string; newId: string }[] = []
    let unchanged = 0
    for (const row of rows) {
      const old = current.get(key(row))
      if (old && same(old, row)) unchanged++
      else {
        const id = randomUUID()
        toInsert.push({ ...row, id })
        if (old) links.push({ oldId: old.id, newId: id })
      }
    }
    // The old rows leave the current set first (one current row a period), then point at the new.
    if (links.length > 0)
      await trx
        .updateTable('attendance_period')
        .set({ superseded_at: actor.now })
        .where('id', '=', anyOf(links.map((l) => l.oldId)))
        .execute()
    if (toInsert.length > 0)
      await trx
        .insertInto('attendance_period')
        .columns(columnsOf(IMPORTED_PERIOD))
        .expression(
          unnestRows(
            IMPORTED_PERIOD,
            toInsert.map((r) => ({
              ...attendanceValues({
                ...r,
                source: 'import',
                recordedBy: actor.userId,
                recordedAt: actor.now,
              }),
              id: r.id,
            })),
          ),
        )
        .execute()
    if (links.length > 0)
      await trx
        .updateTable('attendance_period as a')
        .from(
          unnestRows(
            { old_id: 'uuid', new_id: 'uuid' },
            links.map((l) => ({ old_id: l.oldId, new_id: l.newId })),
          ).as('v'),
        )
        .set((eb) => ({ superseded_by: eb.ref('v.new_id') }))
        .whereRef('a.id', '=', 'v.old_id')
        .execute()
    const replaced = new Set(links.map((l) => l.newId))
    const line = (await loadAuthoritySettings(trx, authorityId)).attendanceTargetBelowPercent
    const alerted = await alertAllBelowLine(trx, actor.now, {
      authorityId,
      line,
      periods: toInsert.map((row) => ({ childId: row.childId, period: row })),
    })
    // A period corrected to at or above the line closes the task its old figures raised, and
    // releases its notice: a later fall below the line is a new one and alarms again.
    const risen = toInsert.filter((row) => replaced.has(row.id) && !belowThreshold(row, line))
    await closeChildTasks(trx, {
      kind: 'attendance-below',
      about: risen.map((row) => ({ childId: row.childId, aboutDate: row.endsOn })),
      by: actor.userId,
      at: actor.now,
    })
    await releaseBelowLineNotices(trx, { about: risen, line })
    const counts = {
      added: toInsert.length - links.length,
      corrected: links.length,
      unchanged,
      alerted,
    }
    await audit(trx, actor, {
      action: 'attendance.import',
      authorityId,
      details: { rows: rows.length, ...counts },
    })
    return counts
  })
}

/*
 * What other features read of a child's attendance (the line on the child's record): the service
 * is the attendance feature's face to them; its repository stays its own (ADR 7).
 */
export { latestAttendance } from './attendance.repository.ts'
