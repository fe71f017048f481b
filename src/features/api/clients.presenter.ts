import { API_SCOPES, isApiScope, type ApiScope } from '../../domain/api-scopes.ts'
import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import type { ApiClientRow } from './clients.service.ts'

/* The words and rows of the API clients' pages. */

export const CLIENTS_TITLE = 'API clients'
export const NEW_CLIENT_TITLE = 'Add an API client'
export const CLIENT_CREATED_TITLE = 'API client added'

export const forAuthority = (path: string, authority: { id: string }) =>
  `${path}?authority=${encodeURIComponent(authority.id)}`

export const scopeNames = (scopes: string[]) => scopes.filter(isApiScope).map((s) => API_SCOPES[s])

export function scopeItems(checked: string[]) {
  return (Object.keys(API_SCOPES) as ApiScope[]).map((scope) => ({
    value: scope,
    text: API_SCOPES[scope],
    hint: { text: scope },
    checked: checked.includes(scope),
  }))
}

export function clientRows(clients: ApiClientRow[], authority: { id: string }) {
  return clients.map((c) => ({
    id: c.id,
    name: c.name,
    scopes: scopeNames(c.scopes),
    secretHint: `…${c.secretHint}`,
    created: `${formatDateTime(c.createdAt)}${c.createdByName ? ` by ${c.createdByName}` : ''}`,
    lastUsed: c.lastUsedAt ? formatDateTime(c.lastUsedAt) : 'Never',
    status: c.revokedAt ? `Revoked ${formatDateTime(c.revokedAt)}` : 'Active',
    webhooksHref: forAuthority(paths.apiClients.webhooks(c.id), authority),
    revokeHref: c.revokedAt ? undefined : forAuthority(paths.apiClients.revoke(c.id), authority),
  }))
}

export const revokeTitle = (name: string) => `Are you sure you want to revoke ${name}?`

export const revokedMessage = (name: string) => `${name} is revoked: its secret no longer works`
