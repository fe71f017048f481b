import type { Queryable } from '../../db/connection.ts'

/** Replaces an authority's mandatory-question changes for a form type with `changes`. */
export async function replaceMandatoryChanges(
  db: Queryable,
  change: {
    authorityId: string
    formType: string
    changes: ReadonlyMap<string, boolean>
    by: string
    at: Date
  },
): Promise<void> {
  await db
    .deleteFrom('mandatory_question')
    .where('authority_id', '=', change.authorityId)
    .where('form_type', '=', change.formType)
    .execute()
  if (change.changes.size === 0) return
  await db
    .insertInto('mandatory_question')
    .values(
      [...change.changes].map(([key, mandatory]) => ({
        authority_id: change.authorityId,
        form_type: change.formType,
        question_key: key,
        mandatory,
        updated_by: change.by,
        updated_at: change.at,
      })),
    )
    .execute()
}
