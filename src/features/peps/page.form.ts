import { applicablePages, mayEditPage } from '../../forms/completion.ts'
import type { Page } from '../../forms/types.ts'
import type { Role } from '../../domain/roles.ts'
import type { PepPageInContext } from './page-context.ts'

/*
 * Reading a PEP page's form beyond its answers (forms/answers.ts reads those): which button was
 * pressed, the items ticked for removal, and where to go after saving.
 */

export type Body = Record<string, unknown>

/** The version of the page the form was opened on, or undefined when it is not one. */
export function versionOf(body: Body): number | undefined {
  const version = Number(body['version'])
  return Number.isInteger(version) && version >= 0 ? version : undefined
}

/** The repeating group whose "Save and add another" button was pressed, if one was. */
export function addAnotherGroup(page: Page, action: unknown): string | undefined {
  if (typeof action !== 'string' || !action.startsWith('add-another:')) return undefined
  const id = action.slice('add-another:'.length)
  return page.questions.some((q) => q.id === id && q.type === 'repeating') ? id : undefined
}

/** Items whose "remove" box is ticked are left out of what is read, so the save drops them. */
export function withoutRemoved(body: Body): Body {
  const removed = Object.keys(body)
    .filter((name) => name.endsWith('--remove') && body[name] === 'yes')
    .map((name) => name.slice(0, -'remove'.length))
  if (removed.length === 0) return body
  return Object.fromEntries(
    Object.entries(body).filter(([name]) => !removed.some((prefix) => name.startsWith(prefix))),
  )
}

export function hasRemoval(body: Body): boolean {
  return Object.keys(body).some((name) => name.endsWith('--remove') && body[name] === 'yes')
}

/** The next page of the section this user may change, after the one just saved. */
export function nextPage(
  loaded: PepPageInContext,
  role: Role | null,
  /** Only these pages (a colleague's part of the school's pages, issue 15), when given. */
  only: readonly string[] | null = null,
): Page | undefined {
  const pages = applicablePages(loaded.section, loaded.context)
  const after = pages.slice(pages.findIndex((p) => p.id === loaded.page.id) + 1)
  return after.find((p) => mayEditPage(loaded.section, p, role) && (!only || only.includes(p.id)))
}
