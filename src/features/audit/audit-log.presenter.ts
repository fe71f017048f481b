import { AUDIT_ACTIONS, describeAuditAction } from '../../domain/audit.ts'
import { ROLE_NAMES, isRole } from '../../domain/roles.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import { paginate } from '../../views/pagination.ts'
import type { AuditLogRow } from '../../shared/audit-log.ts'
import { filterQueryString, type AuditLogQuery } from './audit-log.schemas.ts'

export const AUDIT_PAGE_SIZE = 50

/** A child's access log's title. */
export const accessLogTitle = (childName: string) => `Access log: ${childName}`

const OUTCOMES: Record<string, { text: string; classes: string }> = {
  success: { text: 'Done', classes: 'govuk-tag--green' },
  failure: { text: 'Failed', classes: 'govuk-tag--orange' },
  denied: { text: 'Refused', classes: 'govuk-tag--red' },
}

export function roleName(role: string | null): string {
  if (!role) return 'None'
  return isRole(role) ? ROLE_NAMES[role] : role
}

/** Escapes text for the few table cells that need HTML (a tag, a link). */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )
}

function outcomeTag(outcome: string): string {
  const tag = OUTCOMES[outcome] ?? { text: outcome, classes: 'govuk-tag--grey' }
  return `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>`
}

/** The filter form's values and the action select, with "Any action" first. */
export function presentFilters(values: AuditLogQuery, errors: FormErrors | undefined) {
  const dateItems = (prefix: 'from' | 'to') =>
    (['day', 'month', 'year'] as const).map((part) => ({
      name: part,
      label: { day: 'Day', month: 'Month', year: 'Year' }[part],
      value: values[`${prefix}-${part}`] ?? '',
      classes: `govuk-input--width-${part === 'year' ? 4 : 2}${errors?.fields[prefix] ? ' govuk-input--error' : ''}`,
    }))
  return {
    values,
    errors,
    fromItems: dateItems('from'),
    toItems: dateItems('to'),
    actionItems: [
      { value: '', text: 'Any action', selected: !values.action },
      ...Object.entries(AUDIT_ACTIONS)
        .sort(([, a], [, b]) => a.localeCompare(b))
        .map(([value, text]) => ({ value, text, selected: values.action === value })),
    ],
  }
}

export function presentLogPagination(
  page: number,
  total: number,
  baseHref: string,
  values: AuditLogQuery,
) {
  return paginate(page, AUDIT_PAGE_SIZE, total, `${baseHref}${filterQueryString(values)}`)
}

/**
 * A user's activity as table rows. A child is named only when the viewer may see that child
 * (`canSeeChild`); otherwise the row says a child was involved, and no more.
 */
export function presentUserActivityRows(
  rows: AuditLogRow[],
  canSeeChild: (row: AuditLogRow) => boolean,
) {
  return rows.map((row) => [
    { text: formatDateTime(row.occurredAt) },
    { text: describeAuditAction(row.action) },
    { html: outcomeTag(row.outcome) },
    { text: roleName(row.actingRole) },
    !row.childId
      ? { text: '' }
      : row.childFirstName && canSeeChild(row)
        ? {
            html: `<a class="govuk-link" href="${paths.children.show(row.childId)}">${escapeHtml(`${row.childFirstName} ${row.childLastName}`)}</a>`,
          }
        : { text: 'A child in another authority' },
    { text: row.ip ?? '' },
  ])
}

/** Everything done to one child's record, with who did it. */
export function presentChildLogRows(rows: AuditLogRow[]) {
  return rows.map((row) => [
    { text: formatDateTime(row.occurredAt) },
    { text: row.userName ?? 'Nobody signed in' },
    { text: roleName(row.actingRole) },
    { text: describeAuditAction(row.action) },
    { html: outcomeTag(row.outcome) },
    { text: row.ip ?? '' },
  ])
}
