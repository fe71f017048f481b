import { sql } from 'kysely'
import type { Database, Queryable } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import {
  checkPaidOn,
  readCorrection,
  type CorrectionRefusal,
  type PaidOnRefusal,
} from '../../domain/funding.ts'
import { audit, type Actor, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import type { RequestRow } from './funding.repository.ts'
import { discardOpenRun, insertCorrection, insertRun, markRunPaid } from './payments.repository.ts'

/* Payment runs, marking them paid, and corrections: each one transaction with its audit event. */

class NothingToPay extends Error {}

/** Why a run can no longer be paid or discarded: someone paid or discarded it meanwhile. */
export type RunClosed = 'funding.run-already-paid' | 'funding.run-discarded'

async function whyClosed(trx: Queryable, runId: string): Promise<RunClosed> {
  const run = await trx
    .selectFrom('payment_run')
    .select('status')
    .where('id', '=', runId)
    .executeTakeFirst()
  return run?.status === 'discarded' ? 'funding.run-discarded' : 'funding.run-already-paid'
}

/**
 * Makes a run for a period: every approved amount decided in it that no run has taken, and the
 * corrections waiting. Refused, leaving nothing behind, when there is nothing to pay.
 */
export async function makeRun(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  period: { from: string; to: string },
): Promise<Result<{ runId: string; lines: number }, 'funding.run-empty'>> {
  try {
    return await db.transaction().execute(async (trx) => {
      const run = await insertRun(trx, {
        authorityId,
        ...period,
        by: actor.userId,
        at: actor.now,
      })
      if (run.lines === 0) throw new NothingToPay()
      await audit(trx, actor, {
        action: 'funding.run.create',
        authorityId,
        details: { runId: run.id, lines: run.lines, from: period.from, to: period.to },
      })
      return ok({ runId: run.id, lines: run.lines })
    })
  } catch (error) {
    if (error instanceof NothingToPay) return refuse('funding.run-empty')
    throw error
  }
}

/**
 * Marks an open run paid, with the date and the finance team's reference, all in one change.
 * The date is refused if it is still to come or before the run was made (`checkPaidOn`).
 */
export async function payRun(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  runId: string,
  paid: { on: string; reference: string },
): Promise<Result<void, RunClosed | PaidOnRefusal>> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('payment_run')
      .select(['status', 'created_at'])
      .where('id', '=', runId)
      .forUpdate()
      .executeTakeFirst()
    if (!run || run.status !== 'open') return refuse(await whyClosed(trx, runId))
    const date = checkPaidOn(paid.on, { today: actor.today, madeOn: londonDate(run.created_at) })
    if (!date.ok) return date
    if (!(await markRunPaid(trx, runId, { ...paid, by: actor.userId, at: actor.now })))
      return refuse(await whyClosed(trx, runId))
    await audit(trx, actor, {
      action: 'funding.run.paid',
      authorityId,
      details: { runId, paidOn: paid.on },
    })
    return ok(undefined)
  })
}

/** Takes back part of what was paid for a request: a negative line that joins the next run. */
export async function correct(
  db: Database,
  actor: PersonActor,
  request: RequestRow,
  form: { amount: unknown; reason: string },
): Promise<Result<void, CorrectionRefusal>> {
  return db.transaction().execute(async (trx) => {
    await sql`select id from funding_request where id = ${request.id} for update`.execute(trx)
    const pending = await trx
      .selectFrom('payment_line')
      .select(sql<number>`coalesce(sum(amount_pence), 0)::bigint`.as('total'))
      .where('request_id', '=', request.id)
      .where('kind', '=', 'correction')
      .where('run_id', 'is', null)
      .executeTakeFirstOrThrow()
    const correction = readCorrection(
      form.amount,
      form.reason,
      request.paidPence + Number(pending.total),
    )
    if (!correction.ok) return correction
    const lineId = await insertCorrection(trx, {
      authorityId: request.authorityId,
      requestId: request.id,
      schoolId: request.schoolId,
      amountPence: correction.value.amountPence,
      reason: correction.value.reason,
      by: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'funding.correction',
      childId: request.childId,
      authorityId: request.authorityId,
      details: { requestId: request.id, lineId, amountPence: correction.value.amountPence },
    })
    return ok(undefined)
  })
}

/**
 * Discards a run not yet paid (made for the wrong period, say), keeping it read-only as
 * "discarded" with who, when and the reason if one was given: every amount in it is unpaid again
 * and can join another run, its corrections wait for the next one, and the audit event says what
 * it held. A paid or discarded run is never discarded: refused here, and by the trigger.
 */
export async function discardRun(
  db: Database,
  actor: Actor,
  authorityId: string,
  runId: string,
  reason: string,
): Promise<Result<{ lines: number }, RunClosed>> {
  return db.transaction().execute(async (trx) => {
    const held = await discardOpenRun(trx, authorityId, runId, {
      by: actor.userId,
      at: actor.now,
      reason: reason.trim() === '' ? null : reason.trim(),
    })
    if (!held) return refuse(await whyClosed(trx, runId))
    await audit(trx, actor, {
      action: 'funding.run.discard',
      authorityId,
      details: { runId, ...held, reasonGiven: reason.trim() !== '' },
    })
    return ok({ lines: held.lines })
  })
}
