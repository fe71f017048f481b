import { API_SCOPES, isApiScope, type ApiScope } from '../../domain/api-scopes.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { NewClientInput } from './clients.service.ts'

/* The form that registers an API client: a name and at least one scope. */

export const CLIENT_NAME_MAX = 100

export interface TypedClient {
  name: string
  scopes: string[]
}

export function readClientForm(
  body: Record<string, unknown> | undefined,
): { ok: true; value: NewClientInput } | { ok: false; typed: TypedClient; errors: FormErrors } {
  const name = typeof body?.name === 'string' ? body.name.trim() : ''
  const given = body?.scopes
  const scopes = (Array.isArray(given) ? given : [given]).filter(
    (s): s is string => typeof s === 'string',
  )
  const problems = new FormProblems()
  if (!name) problems.add('name', 'Enter a name for the system, like Mosaic (live)')
  else if ([...name].length > CLIENT_NAME_MAX)
    problems.add('name', `The name must be ${CLIENT_NAME_MAX} characters or fewer`)
  const chosen = scopes.filter(isApiScope)
  if (chosen.length === 0 || chosen.length !== scopes.length)
    problems.add('scopes', 'Select what the system may do', `scopes`)
  if (problems.any) return { ok: false, typed: { name, scopes }, errors: problems.errors }
  const ordered = (Object.keys(API_SCOPES) as ApiScope[]).filter((s) => chosen.includes(s))
  return { ok: true, value: { name, scopes: ordered } }
}
