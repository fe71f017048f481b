import type { Database } from '../../db/connection.ts'
import type { FormType } from '../../domain/year-group.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { replaceMandatoryChanges } from './form-settings.repository.ts'

/**
 * Saves which questions of a form type an authority makes mandatory or optional (each a change
 * from the form's own choice), in one transaction with its audit event (ADR 7).
 */
export async function saveMandatoryQuestions(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; formType: FormType; changes: ReadonlyMap<string, boolean> },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await replaceMandatoryChanges(trx, {
      authorityId: input.authorityId,
      formType: input.formType,
      changes: input.changes,
      by: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'forms.settings.update',
      authorityId: input.authorityId,
      details: { formType: input.formType, changes: Object.fromEntries(input.changes) },
    })
  })
}
