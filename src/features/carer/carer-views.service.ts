import type { Database, Queryable } from '../../db/connection.ts'
import type { PepStatus } from '../../db/schema.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { alertViewsSent } from '../young-person/voice.service.ts'
import {
  findCarerViews,
  listSentCarerViews,
  writeCarerViews,
  type CarerViews,
  type CarerViewsText,
} from './carer-views.repository.ts'

/*
 * The carer's views for a PEP (issue 20): saved as they go (every save kept), changeable until
 * sent, then sent to the people at the meeting with an alert to the social worker and the
 * designated teacher. A signed-off PEP takes no more views.
 */

export type CarerViewsRefusal = 'carer-views.sent' | 'carer-views.closed' | 'carer-views.changed'

export type { CarerViews, CarerViewsText }
export { findCarerViews }

/** Whether a carer may still change their views on a PEP, and if not, why not. */
export function carerViewsOpen(
  status: PepStatus,
  views: Pick<CarerViews, 'sentAt'> | undefined,
): Result<true, CarerViewsRefusal> {
  if (views?.sentAt) return refuse('carer-views.sent')
  if (status === 'signed_off') return refuse('carer-views.closed')
  return ok(true)
}

export async function saveCarerViews(
  db: Database,
  actor: PersonActor,
  input: {
    pep: { id: string; childId: string; authorityId: string; status: PepStatus }
    /** The version the form was read at (0: none saved yet): a stale form is refused. */
    fromVersion: number
    text: CarerViewsText
    send: boolean
    /** Where the alert's email links to (the tray). */
    baseUrl: string
  },
): Promise<Result<{ version: number }, CarerViewsRefusal>> {
  const { pep } = input
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('pep').select('id').where('id', '=', pep.id).forUpdate().execute()
    const existing = await findCarerViews(trx, pep.id, actor.userId, { forUpdate: true })
    const open = carerViewsOpen(pep.status, existing)
    if (!open.ok) return open
    if ((existing?.version ?? 0) !== input.fromVersion) return refuse('carer-views.changed')
    const written = await writeCarerViews(trx, {
      pepId: pep.id,
      carerId: actor.userId,
      existing,
      text: input.text,
      at: actor.now,
      send: input.send,
    })
    await audit(trx, actor, {
      action: input.send ? 'carer.views.send' : 'carer.views.save',
      childId: pep.childId,
      details: { pepId: pep.id, version: written.version },
    })
    if (input.send)
      await alertViewsSent(trx, {
        authorityId: pep.authorityId,
        childId: pep.childId,
        pepId: pep.id,
        giver: 'carer',
        sentBy: actor.userId,
        at: actor.now,
        baseUrl: input.baseUrl,
      })
    return ok({ version: written.version })
  })
}

/** What staff read of the carers' views on a PEP (the PEP's contents page). */
export const sentCarerViewsOf = (db: Queryable, pepId: string) => listSentCarerViews(db, pepId)
