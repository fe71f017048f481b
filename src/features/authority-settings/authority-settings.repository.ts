import type { Queryable } from '../../db/connection.ts'
import {
  isValidSetting,
  type AuthoritySettingKey,
  type AuthoritySettings,
} from '../../domain/authority-settings.ts'

/** Stores the given settings for an authority; each must already be valid. */
export async function saveAuthoritySettings(
  db: Queryable,
  authorityId: string,
  changes: Partial<AuthoritySettings>,
  at: Date,
): Promise<void> {
  for (const [key, value] of Object.entries(changes) as [AuthoritySettingKey, unknown][]) {
    if (!isValidSetting(key, value)) throw new RangeError(`Invalid authority setting: ${key}`)
    const json = JSON.stringify(value)
    await db
      .insertInto('authority_setting')
      .values({ authority_id: authorityId, key, value: json, updated_at: at })
      .onConflict((oc) =>
        oc.columns(['authority_id', 'key']).doUpdateSet({ value: json, updated_at: at }),
      )
      .execute()
  }
}
