/*
 * The titles of the design-system error pages (src/views/pages), written once (ADR 7: titles
 * come from the presenter). Every error page is shown through the reply's errorPage, notFound or
 * forbidden (plugins/views.ts), which give the page its title.
 */

export const ERROR_PAGE_TITLES = {
  '400': 'Sorry, there was a problem with your request',
  '401': 'You need to sign in',
  '403': 'You do not have permission to do this',
  '404': 'Page not found',
  '500': 'Sorry, there is a problem with the service',
  '503': 'Sorry, the service is unavailable',
  'session-expired': 'Your page has expired',
} as const

/** An error page: its template is `pages/<page>.njk`. */
export type ErrorPage = keyof typeof ERROR_PAGE_TITLES

/** The template and view model of an error page. */
export function presentErrorPage(page: ErrorPage, model: Record<string, unknown> = {}) {
  return {
    template: `pages/${page}.njk`,
    model: { ...model, pageTitle: ERROR_PAGE_TITLES[page] },
  }
}
