import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Database, Queryable } from '../../db/connection.ts'
import { columnsOf, unnestRows } from '../../db/unnest.ts'
import {
  checkEndsOn,
  type Circumstance,
  type CircumstanceCode,
} from '../../domain/education-circumstance.ts'
import { circumstanceSummary } from '../../forms/circumstance-messages.ts'
import { audit, type Actor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { formatDate } from '../../views/format.ts'
import { insertEvent } from './history.repository.ts'
import {
  findCircumstance,
  findOverlapping,
  insertCircumstance,
  insertCircumstances,
  setEndsOn,
} from './circumstances.repository.ts'

/*
 * A child's education circumstances over time (issue 17). Each save is one transaction: the
 * period, the event on the record and the audit event. Alternative provision may overlap
 * another (a child can attend two providers); a part-time timetable or NEET may not overlap
 * another of its kind.
 */

export type CircumstanceRefusal =
  | 'circumstance.overlaps'
  | 'circumstance.not-found'
  | 'circumstance.already-ended'
  | CircumstanceCode

export async function addCircumstance(
  db: Database,
  actor: Actor,
  input: { childId: string; circumstance: Circumstance },
): Promise<Result<{ id: string }, CircumstanceRefusal>> {
  const c = input.circumstance
  return db.transaction().execute(async (trx) => {
    if (c.kind !== 'alternative_provision') {
      const clash = await findOverlapping(trx, input.childId, c.kind, c)
      if (clash)
        return refuse('circumstance.overlaps', {
          startsOn: clash.startsOn,
          endsOn: clash.endsOn ?? '',
        })
    }
    const id = await insertCircumstance(trx, {
      ...c,
      childId: input.childId,
      recordedBy: actor.userId,
      at: actor.now,
    })
    await insertEvent(trx, {
      childId: input.childId,
      kind: `circumstance_${c.kind}`,
      occurredOn: c.startsOn,
      summary: circumstanceSummary(
        c,
        formatDate(c.startsOn),
        c.endsOn ? formatDate(c.endsOn) : null,
      ),
      details: { circumstanceId: id },
      recordedBy: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.circumstances.add',
      childId: input.childId,
      details: { circumstanceId: id, kind: c.kind, startsOn: c.startsOn, endsOn: c.endsOn },
    })
    return ok({ id })
  })
}

/** Records the last day of an open period (once: a period already ended is refused). */
export async function endCircumstance(
  db: Database,
  actor: Actor,
  input: { childId: string; circumstanceId: string; endsOn: string },
): Promise<Result<{ id: string }, CircumstanceRefusal>> {
  return db.transaction().execute(async (trx) => {
    const period = await findCircumstance(trx, input.childId, input.circumstanceId)
    if (!period) return refuse('circumstance.not-found')
    if (period.endsOn !== null) return refuse('circumstance.already-ended')
    const code = checkEndsOn(period.kind, period.startsOn, input.endsOn, actor.today)
    if (code) return refuse(code)
    if (period.kind !== 'alternative_provision') {
      const clash = await findOverlapping(
        trx,
        input.childId,
        period.kind,
        { startsOn: period.startsOn, endsOn: input.endsOn },
        period.id,
      )
      if (clash) return refuse('circumstance.overlaps')
    }
    if (
      !(await setEndsOn(trx, {
        id: period.id,
        endsOn: input.endsOn,
        by: actor.userId,
        at: actor.now,
      }))
    )
      return refuse('circumstance.already-ended')
    await insertEvent(trx, {
      childId: input.childId,
      kind: `circumstance_${period.kind}_ended`,
      occurredOn: input.endsOn,
      summary: `${circumstanceSummary(period, formatDate(period.startsOn), formatDate(input.endsOn))}: last day recorded`,
      details: { circumstanceId: period.id },
      recordedBy: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.circumstances.end',
      childId: input.childId,
      details: { circumstanceId: period.id, kind: period.kind, endsOn: input.endsOn },
    })
    return ok({ id: period.id })
  })
}

const EVENT = {
  child_id: 'uuid',
  kind: 'text',
  occurred_on: 'date',
  summary: 'text',
  details: 'jsonb',
  recorded_by: 'uuid',
  recorded_at: 'timestamptz',
} as const

/**
 * The circumstances given with new children in an imported file (the child import's own
 * transaction, `trx`): the periods, an event on each record and an audit event each, as a
 * period added on the tab, set-based (one statement each, whatever the number of rows). The
 * file's rows were checked by the tab's rule; a child is new, so nothing can overlap.
 */
export async function recordImportedCircumstances(
  trx: Queryable,
  actor: Actor,
  authorityId: string,
  items: readonly { childId: string; circumstance: Circumstance }[],
): Promise<void> {
  if (items.length === 0) return
  const rows = items.map((item) => ({
    ...item.circumstance,
    id: randomUUID(),
    childId: item.childId,
  }))
  await insertCircumstances(trx, rows, actor.userId, actor.now)
  await trx
    .insertInto('child_event')
    .columns(columnsOf(EVENT))
    .expression(
      unnestRows(
        EVENT,
        rows.map((r) => ({
          child_id: r.childId,
          kind: `circumstance_${r.kind}`,
          occurred_on: r.startsOn,
          summary: circumstanceSummary(
            r,
            formatDate(r.startsOn),
            r.endsOn ? formatDate(r.endsOn) : null,
          ),
          details: JSON.stringify({ circumstanceId: r.id, via: 'import' }),
          recorded_by: actor.userId,
          recorded_at: actor.now,
        })),
      ),
    )
    .execute()
  const origin = actor.origin
  await sql`
    insert into audit_event (occurred_at, user_id, api_client_id, acting_role, authority_id,
      action, outcome, child_id, method, path, ip, user_agent, request_id, details)
    select ${actor.now}::timestamptz, ${actor.userId}::uuid, ${actor.clientId ?? null}::uuid,
      ${actor.role}, ${authorityId}::uuid, 'child.circumstances.add', 'success', u.child_id,
      ${origin?.method ?? null}, ${origin?.path ?? null}, ${origin?.ip ?? null},
      ${origin?.userAgent?.slice(0, 500) ?? null}, ${origin?.requestId ?? null}, u.details
    from ${unnestRows(
      { child_id: 'uuid', details: 'jsonb' },
      rows.map((r) => ({
        child_id: r.childId,
        details: JSON.stringify({
          circumstanceId: r.id,
          kind: r.kind,
          startsOn: r.startsOn,
          endsOn: r.endsOn,
          via: 'import',
        }),
      })),
    )} as u`.execute(trx)
}
