import { API_SCOPES } from '../../domain/api-scopes.ts'

/* The words of the API's readable description. */

export const API_DOCS_TITLE = 'OpenPEP API'

/** Each scope a client may be given, with what it lets the client do. */
export const scopeRows = () =>
  Object.entries(API_SCOPES).map(([scope, words]) => ({ scope, words }))
