import type { Database } from '../../db/connection.ts'
import type { FormErrors } from '../../forms/validation.ts'
import {
  listAuthorities,
  listSchoolsOfAuthorities,
  schoolBelongsTo,
} from './admin-users.repository.ts'
import { presentRoleFields, type RoleFormValues } from './admin.presenter.ts'
import { withFieldError } from './admin.schemas.ts'

/*
 * The administrator's forms about a user: what was typed, kept to show again, and the checks zod
 * cannot make (admin.schemas.ts reads the fields).
 */

const str = (value: unknown) => (typeof value === 'string' ? value : '')

export type Body = Record<string, unknown> | undefined

/** What was typed in the add-a-user and add-a-role forms. */
export function roleFormValues(body: Body): RoleFormValues {
  return {
    email: str(body?.email).slice(0, 500),
    displayName: str(body?.displayName).slice(0, 500),
    authorityId: str(body?.authorityId),
    role: str(body?.role),
    schoolId: str(body?.schoolId),
  }
}

/** What was typed in the form giving a user a child to see. */
export const childAccessValues = (body: Body) => ({
  caseReference: str(body?.caseReference).slice(0, 200),
  capacity: str(body?.capacity),
})

/** The authority chosen in "Remove from authority". */
export const chosenAuthority = (body: Body) => str(body?.authorityId)

/** The search box of the users list. */
export const searchText = (q: unknown) => str(q).trim().slice(0, 200)

/** The role form's fields: the administrator's authorities, and the schools in them. */
export async function roleFields(db: Database, authorityIds: string[], values: RoleFormValues) {
  const [authorities, schools] = await Promise.all([
    listAuthorities(db, authorityIds),
    listSchoolsOfAuthorities(db, authorityIds),
  ])
  return presentRoleFields(values, authorities, schools)
}

/** Checks what zod cannot: the authority is one the admin runs, the school is in it. */
export async function checkRoleTargets(
  db: Database,
  authorityIds: string[],
  value: { authorityId: string; role: string; schoolId: string | null },
  errors?: FormErrors,
): Promise<FormErrors | undefined> {
  let out = errors
  if (!authorityIds.includes(value.authorityId))
    out = withFieldError(out, 'authorityId', 'Select an authority')
  else if (value.schoolId && !(await schoolBelongsTo(db, value.schoolId, value.authorityId)))
    out = withFieldError(out, 'schoolId', 'Select a school in the authority you chose')
  return out
}
