import type { Database } from '../../db/connection.ts'
import { findPage } from '../../forms/completion.ts'
import { mayShareWithYoungPerson } from '../../forms/reading.ts'
import type { FormTemplate } from '../../forms/types.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { setPageShared } from './peps.repository.ts'

export type ShareCode = 'share.no-such-page' | 'share.not-shareable'

/**
 * Shares a page of a PEP with the young person, or stops sharing it (ADR 10). Only a page the
 * reading rules leave to staff and the carer can be shared: what is restricted stays with staff,
 * and what is the young person's own (their views, targets, meetings) is theirs already.
 * Answers whether anything changed.
 */
export async function sharePage(
  db: Database,
  actor: PersonActor,
  input: {
    pepId: string
    childId: string
    template: FormTemplate
    pageId: string
    shared: boolean
  },
): Promise<Result<{ changed: boolean }, ShareCode>> {
  const found = findPage(input.template, input.pageId)
  if (!found) return refuse('share.no-such-page')
  if (!mayShareWithYoungPerson(found.section, found.page)) return refuse('share.not-shareable')
  return db.transaction().execute(async (trx) => {
    const changed = await setPageShared(trx, {
      pepId: input.pepId,
      pageId: input.pageId,
      shared: input.shared,
      by: actor.userId,
      at: actor.now,
    })
    if (changed)
      await audit(trx, actor, {
        action: 'pep.page.share',
        childId: input.childId,
        details: { pepId: input.pepId, pageId: input.pageId, shared: input.shared },
      })
    return ok({ changed })
  })
}
