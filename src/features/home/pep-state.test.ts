import { describe, expect, it } from 'vitest'
import {
  OAK_HEAD,
  OAK_SOCIAL_WORKER,
  OAK_TEACHER,
  useOversightWorld,
} from '../../testing/oversight-world.ts'

/*
 * Each child's PEP state where people already work (issue 17): My work, the child's PEPs tab and
 * the children list, on Oakvale (src/testing/oversight-world.ts): Ben past his target date
 * (yesterday), Cat due today (not overdue), Eve signed off and rated good, Fay's school part
 * overdue, Dan with no PEP, Ivy no longer in care (no PEP state shown).
 */

const w = useOversightWorld()

/** The cell of the row whose name link holds `name`, under the column with this data-label. */
function cell(html: string, name: string, label: string): string {
  const row = html.split('<tr class="govuk-table__row">').find((r) => r.includes(`${name}</a>`))
  if (!row) throw new Error(`No row for ${name}`)
  const match = new RegExp(`data-label="${label}">([\\s\\S]*?)</td>`).exec(row)
  return (match?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

describe('My work', () => {
  it('shows the social worker each child’s PEP state, dates, rating and how it is overdue', async () => {
    const sw = await w.agent(OAK_SOCIAL_WORKER)
    const page = await sw.get('/')
    expect(page.statusCode).toBe(200)
    const pep = (name: string) =>
      cell(page.body, `Oakfixture`.replace('Oakfixture', name), 'This term’s PEP')
    expect(pep('Ben Oakfixture')).toBe(
      'In progress Target date 22 November 2026 Overdue Past the target date',
    )
    expect(pep('Cat Oakfixture')).toBe('In progress Target date 23 November 2026')
    expect(pep('Eve Oakfixture')).toBe('Signed off, rated good Target date 19 November 2026')
    expect(pep('Fay Oakfixture')).toBe(
      'With the school School’s part due 22 November 2026 Overdue School’s part overdue',
    )
    expect(pep('Dan Oakfixture')).toBe('No PEP yet')
    expect(pep('Ivy Oakfixture')).toBe('Not shown')
  })
})

describe('the child’s PEPs tab', () => {
  it('shows each PEP’s state, target date, rating and overdue flag', async () => {
    const teacher = await w.agent(OAK_TEACHER)
    const ben = await teacher.get(`/children/${w.childIds['Ben']}/peps`)
    expect(ben.statusCode).toBe(200)
    expect(ben.body).toContain('In progress')
    expect(ben.body).toContain('Past the target date')
    expect(ben.body).toContain('Requires improvement')
    const eve = await teacher.get(`/children/${w.childIds['Eve']}/peps`)
    expect(eve.body).toContain('Signed off')
    expect(eve.body).toContain('Good')
    expect(eve.body).not.toContain('Overdue')
  })

  it('keeps a PEP’s progress (state, dates, rating, overdue) from the carer, staff’s to read', async () => {
    const charlie = await w.db
      .selectFrom('child')
      .select('id')
      .where('first_name', '=', 'Charlie')
      .where('last_name', '=', 'Young')
      .executeTakeFirstOrThrow()
    const head = await w.agent('vs.head@example.org')
    const staff = await head.get(`/children/${charlie.id}/peps`)
    expect(staff.statusCode).toBe(200)
    expect(staff.body).toContain('data-label="State"')
    const carer = await w.agent('carer@example.org')
    const page = await carer.get(`/children/${charlie.id}/peps`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('data-label="Started"')
    for (const staffOnly of ['State', 'Target date', 'Overall rating', 'Overdue'])
      expect(page.body, staffOnly).not.toContain(`>${staffOnly}<`)
  })

  it('gives Virtual School staff of another authority nothing of the child', async () => {
    const other = await w.agent('vs.head@example.org')
    const response = await other.get(`/children/${w.childIds['Ben']}/peps`)
    expect(response.statusCode).toBe(404)
    expect(response.body).not.toContain('Oakfixture')
  })
})

describe('the children list', () => {
  it('shows the overall rating of this term’s signed-off PEP', async () => {
    const head = await w.agent(OAK_HEAD)
    const page = await head.get('/children?q=Oakfixture')
    expect(page.statusCode).toBe(200)
    expect(cell(page.body, 'Oakfixture, Eve', 'Overall rating')).toBe('Good')
    expect(cell(page.body, 'Oakfixture, Ben', 'Overall rating')).toBe('')
  })
})
