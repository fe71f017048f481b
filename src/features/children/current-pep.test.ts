import { describe, expect, it } from 'vitest'
import { OAK_HEAD, useOversightWorld } from '../../testing/oversight-world.ts'

/*
 * The children list's PEP columns on Oakvale (src/testing/oversight-world.ts), today Monday
 * 23 November 2026, the autumn term 2026.
 */

const w = useOversightWorld()

/** The PEP cells (stage, target date; the overall rating after them) of a child's row, tidied. */
function pepCells(html: string, firstName: string): string[] {
  const start = html.indexOf(`>Oakfixture, ${firstName}</a>`)
  if (start < 0) throw new Error(`No row for ${firstName}`)
  const row = html.slice(start, html.indexOf('</tr>', start))
  const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  )
  return cells.slice(-3, -1)
}

describe('the children list’s PEP columns', () => {
  it('shows each child this term’s PEP stage and target date, flagging one past its date', async () => {
    const head = await w.agent(OAK_HEAD)
    const response = await head.get('/children?q=Oakfixture')
    expect(response.statusCode).toBe(200)
    const html = response.body
    expect(html).toContain('>This term’s PEP</th>')
    expect(html).toContain('>PEP target date</th>')
    // Tomorrow and today are due, not overdue; yesterday is overdue.
    expect(pepCells(html, 'Ada')).toEqual(['In progress', '24 November 2026'])
    expect(pepCells(html, 'Cat')).toEqual(['In progress', '23 November 2026'])
    expect(pepCells(html, 'Ben')).toEqual([
      'In progress',
      '22 November 2026 Overdue Past the target date',
    ])
    expect(pepCells(html, 'Dan')).toEqual(['No PEP yet', ''])
    expect(pepCells(html, 'Eve')).toEqual(['Signed off', '19 November 2026'])
    // With the school, its part due yesterday.
    expect(pepCells(html, 'Fay')[0]).toBe('With the school')
    expect(pepCells(html, 'Fay')[1]).toContain('Overdue School’s part overdue')
    expect(pepCells(html, 'Gus')[0]).toBe('Waiting for quality assurance')
    expect(pepCells(html, 'Hal')[0]).toBe('Returned for improvement')
    // Ceased to be in care: no PEP is due.
    expect(pepCells(html, 'Ivy')).toEqual(['', ''])
  })
})
