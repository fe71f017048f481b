import { describe, expect, it } from 'vitest'
import {
  OAK_CONSULTANT,
  OAK_HEAD,
  OAK_SOCIAL_WORKER,
  OAK_TEACHER,
  useOversightWorld,
} from '../../testing/oversight-world.ts'

/*
 * Reminders sent from the overdue list, on Oakvale (src/testing/oversight-world.ts): Ben's PEP is
 * past its target date, Fay's school part is overdue with Otto Teacher; Ada's is due tomorrow.
 */

const w = useOversightWorld()

const listUrl = () => `/oversight/children?authority=${w.oakId}&term=2026-autumn&overdue=any`
const form = (children: string[]) => ({
  authority: w.oakId,
  term: '2026-autumn',
  overdue: 'any',
  children,
})

async function alertsOf(email: string) {
  return w.db
    .selectFrom('task')
    .select(['child_id', 'title', 'kind'])
    .where('assigned_to', '=', w.userIds[email]!)
    .where('kind', '=', 'overdue-reminder')
    .orderBy('title')
    .execute()
}

async function emailsTo(email: string) {
  return w.db
    .selectFrom('outbox_email')
    .select(['subject', 'text_body'])
    .where('to_address', '=', email)
    .where('subject', 'like', 'The Virtual School%')
    .execute()
}

describe('reminders from the overdue list', () => {
  it('offers them to a consultant on an overdue list, without JavaScript (a form and checkboxes)', async () => {
    const consultant = await w.agent(OAK_CONSULTANT)
    const page = await consultant.get(listUrl())
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<form id="remind-form" method="post"')
    expect(page.body).toContain(`value="${w.childIds['Ben']}" form="remind-form"`)
    // Not on a list that is not about overdue PEPs.
    const all = await consultant.get(`/oversight/children?authority=${w.oakId}`)
    expect(all.body).not.toContain('remind-form')
  })

  it('refuses when no child is selected, with a GOV.UK error on the list', async () => {
    const consultant = await w.agent(OAK_CONSULTANT)
    await consultant.get(listUrl())
    const response = await consultant.post('/oversight/children/remind', form([]))
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('href="#children">Select the children whose PEPs')
    expect(response.body).toContain('Oakfixture, Ben')
  })

  it('refuses the whole when a selected child is not overdue (due tomorrow), sending nothing', async () => {
    const consultant = await w.agent(OAK_CONSULTANT)
    await consultant.get(listUrl())
    const response = await consultant.post(
      '/oversight/children/remind',
      form([w.childIds['Ben']!, w.childIds['Ada']!]),
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('no longer overdue: nothing was sent')
    expect(await alertsOf(OAK_SOCIAL_WORKER)).toEqual([])
    expect(await emailsTo('oak.social.worker@example.org')).toEqual([])
  })

  it('sends the social worker an alert for each child and one email, and the school’s holder theirs', async () => {
    const consultant = await w.agent(OAK_CONSULTANT)
    await consultant.get(listUrl())
    const response = await consultant.post(
      '/oversight/children/remind',
      form([w.childIds['Ben']!, w.childIds['Fay']!]),
    )
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(listUrl())
    const after = await consultant.get(response.headers.location!)
    expect(after.body).toContain('Reminders sent to 2 people about 2 children.')

    expect(await alertsOf(OAK_SOCIAL_WORKER)).toEqual([
      {
        child_id: w.childIds['Ben'],
        kind: 'overdue-reminder',
        title: 'The Virtual School asks you to complete this PEP: it is past its target date',
      },
      {
        child_id: w.childIds['Fay'],
        kind: 'overdue-reminder',
        title:
          'The Virtual School asks you to follow up the school’s part of this PEP: it is overdue',
      },
    ])
    expect(await alertsOf(OAK_TEACHER)).toEqual([
      {
        child_id: w.childIds['Fay'],
        kind: 'overdue-reminder',
        title: 'The Virtual School asks you to send the school’s part of this PEP: it is overdue',
      },
    ])
    const swEmails = await emailsTo(OAK_SOCIAL_WORKER)
    expect(swEmails.map((e) => e.subject)).toEqual([
      'The Virtual School: 2 Personal Education Plans are overdue',
    ])
    expect(swEmails[0]!.text_body).not.toContain('Oakfixture')
    expect((await emailsTo(OAK_TEACHER)).map((e) => e.subject)).toEqual([
      'The Virtual School: a Personal Education Plan is overdue',
    ])
    const audited = await w.db
      .selectFrom('audit_event')
      .select(['child_id', 'acting_role', 'authority_id'])
      .where('action', '=', 'oversight.remind')
      .orderBy('child_id')
      .execute()
    expect(audited).toHaveLength(2)
    expect(
      audited.every((a) => a.acting_role === 'vs_consultant' && a.authority_id === w.oakId),
    ).toBe(true)
  })

  it('is refused to an auditor and a social worker, and to Harrowfield’s head for Oakvale', async () => {
    const sw = await w.agent(OAK_SOCIAL_WORKER)
    await sw.get('/tray')
    const refused = await sw.post('/oversight/children/remind', form([w.childIds['Ben']!]))
    expect(refused.statusCode).toBe(403)
    const auditor = await w.agent('auditor@example.org')
    await auditor.get('/oversight')
    expect(
      (await auditor.post('/oversight/children/remind', form([w.childIds['Ben']!]))).statusCode,
    ).toBe(403)
    const otherHead = await w.agent('vs.head@example.org')
    await otherHead.get('/oversight')
    const response = await otherHead.post('/oversight/children/remind', form([w.childIds['Ben']!]))
    expect(response.statusCode).toBe(403)
    expect(response.body).not.toContain('Oakfixture')
    const head = await w.agent(OAK_HEAD)
    await head.get('/oversight')
    expect(await alertsOf(OAK_SOCIAL_WORKER)).toHaveLength(2)
  })
})
