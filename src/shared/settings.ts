import type { Queryable } from '../db/connection.ts'
import { executePrepared } from '../db/prepared.ts'
import { readAuthoritySettings, type AuthoritySettings } from '../domain/authority-settings.ts'
import type { CalendarDate } from '../domain/calendar-date.ts'

/*
 * The settings lookups every feature makes: the installation's settings, an authority's settings
 * and closure days, and which questions it has made mandatory. Changing them is the settings
 * features' work (settings, authority-settings, form-settings); reading them is everyone's.
 */

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

// ---- An authority's settings ----

/** An authority's settings: what it has set, and the defaults for the rest. */
export async function loadAuthoritySettings(
  db: Queryable,
  authorityId: string,
): Promise<AuthoritySettings> {
  // Prepared (db/prepared.ts): asked on many pages, cheaper to run than to plan.
  const rows = await executePrepared(
    db,
    db
      .selectFrom('authority_setting')
      .select(['key', 'value'])
      .where('authority_id', '=', authorityId),
  )
  return readAuthoritySettings(Object.fromEntries(rows.map((row) => [row.key, row.value])))
}

/**
 * The authority's closure days as a set of dates, for working-day arithmetic
 * (src/domain/working-days.ts), optionally only those between two dates.
 */
export async function closureDaySet(
  db: Queryable,
  authorityId: string,
  between?: { from: CalendarDate; to: CalendarDate },
): Promise<ReadonlySet<CalendarDate>> {
  let query = db
    .selectFrom('authority_closure_day')
    .select('on_date')
    .where('authority_id', '=', authorityId)
  if (between) query = query.where('on_date', '>=', between.from).where('on_date', '<=', between.to)
  return new Set((await query.execute()).map((day) => day.on_date))
}

/** The authority's changes to which questions of a form type are mandatory. */
export async function mandatoryOverrides(
  db: Queryable,
  authorityId: string,
  formType: string,
): Promise<Map<string, boolean>> {
  const rows = await executePrepared(
    db,
    db
      .selectFrom('mandatory_question')
      .select(['question_key', 'mandatory'])
      .where('authority_id', '=', authorityId)
      .where('form_type', '=', formType),
  )
  return new Map(rows.map((r) => [r.question_key, r.mandatory]))
}
