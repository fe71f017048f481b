import type { Queryable } from '../../db/connection.ts'

/* The carer's views for a PEP (issue 20): one row per carer and PEP, every save kept. */

export interface CarerViews {
  id: string
  carerId: string
  carerName: string | null
  goingWell: string
  worries: string
  wouldHelp: string
  version: number
  savedAt: Date
  sentAt: Date | null
}

export type CarerViewsText = Pick<CarerViews, 'goingWell' | 'worries' | 'wouldHelp'>

function selectViews(db: Queryable) {
  return db
    .selectFrom('pep_carer_views as v')
    .leftJoin('app_user as u', 'u.id', 'v.carer_id')
    .select([
      'v.id',
      'v.carer_id as carerId',
      'u.display_name as carerName',
      'v.going_well as goingWell',
      'v.worries',
      'v.would_help as wouldHelp',
      'v.version',
      'v.saved_at as savedAt',
      'v.sent_at as sentAt',
    ])
}

/** This carer's views for this PEP, if they have saved any. */
export async function findCarerViews(
  db: Queryable,
  pepId: string,
  carerId: string,
  options: { forUpdate?: boolean } = {},
): Promise<CarerViews | undefined> {
  let query = selectViews(db).where('v.pep_id', '=', pepId).where('v.carer_id', '=', carerId)
  if (options.forUpdate) query = query.forUpdate('v')
  return query.executeTakeFirst()
}

/** The views carers have sent for a PEP, as staff read them. */
export async function listSentCarerViews(db: Queryable, pepId: string): Promise<CarerViews[]> {
  return selectViews(db)
    .where('v.pep_id', '=', pepId)
    .where('v.sent_at', 'is not', null)
    .orderBy('v.sent_at')
    .orderBy('v.id')
    .execute()
}

/** Writes a new version of the views, and keeps it beside the earlier ones. */
export async function writeCarerViews(
  db: Queryable,
  input: {
    pepId: string
    carerId: string
    existing: CarerViews | undefined
    text: CarerViewsText
    at: Date
    send: boolean
  },
): Promise<{ id: string; version: number }> {
  const version = (input.existing?.version ?? 0) + 1
  const values = {
    going_well: input.text.goingWell,
    worries: input.text.worries,
    would_help: input.text.wouldHelp,
    version,
    saved_at: input.at,
    sent_at: input.send ? input.at : null,
  }
  const row = input.existing
    ? await db
        .updateTable('pep_carer_views')
        .set(values)
        .where('id', '=', input.existing.id)
        .returning('id')
        .executeTakeFirstOrThrow()
    : await db
        .insertInto('pep_carer_views')
        .values({ ...values, pep_id: input.pepId, carer_id: input.carerId })
        .returning('id')
        .executeTakeFirstOrThrow()
  await db
    .insertInto('pep_carer_views_revision')
    .values({
      views_id: row.id,
      version,
      going_well: input.text.goingWell,
      worries: input.text.worries,
      would_help: input.text.wouldHelp,
      saved_at: input.at,
    })
    .execute()
  return { id: row.id, version }
}
