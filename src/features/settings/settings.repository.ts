import type { Queryable } from '../../db/connection.ts'

/** Installation-wide settings, with their defaults when never set. */
export const SETTING_DEFAULTS = {
  /** Staff roles must use TOTP two-step verification. The demo seed turns this off. */
  mfaRequiredForStaff: true,
} as const

export type SettingKey = keyof typeof SETTING_DEFAULTS
type SettingValue<K extends SettingKey> = (typeof SETTING_DEFAULTS)[K] extends boolean
  ? boolean
  : (typeof SETTING_DEFAULTS)[K]

export async function getSetting<K extends SettingKey>(
  db: Queryable,
  key: K,
): Promise<SettingValue<K>> {
  const row = await db
    .selectFrom('app_setting')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst()
  return (row ? row.value : SETTING_DEFAULTS[key]) as SettingValue<K>
}

export async function setSetting<K extends SettingKey>(
  db: Queryable,
  key: K,
  value: SettingValue<K>,
  at: Date,
): Promise<void> {
  const json = JSON.stringify(value)
  await db
    .insertInto('app_setting')
    .values({ key, value: json, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
    .execute()
}
