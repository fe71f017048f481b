import type { OversightWorld } from './oversight-world.ts'

/*
 * My work's list of the children a person works with (issue 17), read as the tests read it:
 * the Oakfixture children listed, by first name, in order.
 */

/** The first names of the Oakfixture children listed on My work, in order. */
export function listedOnMyWork(html: string): string[] {
  const table = html.split(
    '<caption class="govuk-table__caption govuk-visually-hidden">The children you work with',
  )[1]
  if (!table) return []
  return [...table.split('</table>')[0]!.matchAll(/>(\w+) Oakfixture<\/a>/g)].map((m) => m[1]!)
}

/** My work (`/`) with a query string, as the person signed in. */
export async function myWorkAs(w: OversightWorld, email: string, query = '') {
  const agent = await w.agent(email)
  return agent.get(`/${query}`)
}
