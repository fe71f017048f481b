import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { giveRole } from '../../testing/factories.ts'
import { closeTasks, raiseAlert, raiseTask, type Assignee } from '../../shared/tasks.ts'
import { sql, type KyselyPlugin } from 'kysely'
import { randomUUID } from 'node:crypto'
import { buildApp } from '../../app.ts'
import { asPrepared } from '../../db/prepared.ts'
import { paths } from '../../paths.ts'
import { countMyTray, myTrayCountQuery } from './trays.repository.ts'

let t: TestContext
let hfd: string
const users = new Map<string, string>()
const agents = new Map<string, TestAgent>()

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  hfd = (
    await t.database.db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
  ).id
  for (const u of await t.database.db.selectFrom('app_user').select(['id', 'email']).execute())
    users.set(u.email, u.id)
})
afterAll(() => t.close())

async function agentFor(email: string): Promise<TestAgent> {
  let agent = agents.get(email)
  if (!agent) {
    agent = new TestAgent(t.app)
    await agent.signIn(email, DEMO_PASSWORD)
    agents.set(email, agent)
  }
  return agent
}

/** A child on this user's access list (the n-th), and one of its PEPs when it has one. */
async function childOf(
  email: string,
  options: { skip?: number; withPep?: boolean; undelegated?: boolean } = {},
) {
  let query = t.database.db
    .selectFrom('child_access as ca')
    .innerJoin('child as c', 'c.id', 'ca.child_id')
    .select(['c.id', 'c.first_name', 'c.last_name'])
    .where('ca.user_id', '=', users.get(email)!)
    .where('ca.removed_at', 'is', null)
  if (options.withPep)
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('pep').select('pep.id').whereRef('pep.child_id', '=', 'c.id')),
    )
  // A live delegation of one of the child's PEPs to them gives access of its own (issue 15).
  if (options.undelegated)
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('pep_delegation as d')
            .innerJoin('pep', 'pep.id', 'd.pep_id')
            .select('d.id')
            .whereRef('pep.child_id', '=', 'c.id')
            .where('d.delegated_to', '=', users.get(email)!)
            .where('d.status', 'in', ['delegated', 'submitted']),
        ),
      ),
    )
  const child = await query
    .orderBy('c.id')
    .offset(options.skip ?? 0)
    .limit(1)
    .executeTakeFirstOrThrow()
  const pep = await t.database.db
    .selectFrom('pep')
    .select('id')
    .where('child_id', '=', child.id)
    .executeTakeFirst()
  return { id: child.id, name: `${child.first_name} ${child.last_name}`, pepId: pep?.id ?? null }
}

/** Text as the pages escape it (names such as O'Neill). */
const html = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

async function anyHfdChild() {
  const child = await t.database.db
    .selectFrom('child')
    .select(['id', 'first_name', 'last_name'])
    .where('authority_id', '=', hfd)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  return { id: child.id, name: `${child.first_name} ${child.last_name}` }
}

async function task(
  title: string,
  assignee: Assignee,
  child: { id: string; pepId?: string | null },
  dueOn: string | null = null,
) {
  return raiseTask(t.database.db, {
    kind: 'bso-check',
    authorityId: hfd,
    childId: child.id,
    pepId: child.pepId ?? null,
    at: t.clock.now(),
    assignee,
    title,
    dueOn,
  })
}

async function taskRow(id: string) {
  return t.database.db.selectFrom('task').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function notesOf(taskId: string) {
  return t.database.db
    .selectFrom('task_note')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('at')
    .execute()
}

async function auditOf(action: string, taskId: string) {
  const rows = await t.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action)
    .execute()
  return rows.filter((r) => (r.details as { taskId?: string }).taskId === taskId)
}

async function nameOf(email: string) {
  const row = await t.database.db
    .selectFrom('app_user')
    .select('display_name')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.display_name
}

/** The count in the header's "Tray" item: 0 when it shows none. */
function headerCount(body: string): number {
  const match =
    /Tray <span aria-hidden="true">\((\d+)\)<\/span><span class="govuk-visually-hidden">, (\d+) items?<\/span>/.exec(
      body,
    )
  if (!match) return 0
  expect(match[1]).toBe(match[2])
  return Number(match[1])
}

describe('my tray', () => {
  it('lists my tasks and alerts with child, PEP, due date and overdue tag, and counts them on the header', async () => {
    const sw = await agentFor('social.worker@example.org')
    const child = await childOf('social.worker@example.org', { withPep: true })
    const before = headerCount((await sw.get('/')).body)
    const late = await task(
      'Complete my section (late)',
      { userId: users.get('social.worker@example.org')! },
      child,
      '2026-11-20',
    )
    await task(
      'Complete my section (later)',
      { userId: users.get('social.worker@example.org')! },
      child,
      '2026-12-01',
    )
    await raiseAlert(t.database.db, {
      kind: 'contribution-returned',
      authorityId: hfd,
      childId: child.id,
      pepId: child.pepId,
      at: t.clock.now(),
      userId: users.get('social.worker@example.org')!,
      title: 'The school sent its contribution',
    })
    const page = await sw.get('/tray')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Complete my section (late)')
    expect(page.body).toContain('Complete my section (later)')
    expect(page.body).toContain('The school sent its contribution')
    expect(page.body).toContain(html(child.name))
    expect(page.body).toContain('20 November 2026')
    expect(page.body).toContain('Overdue')
    expect(page.body.match(/>\s*Overdue\s*</g)?.length).toBe(1)
    const href = child.pepId ? `/children/${child.id}/peps/${child.pepId}` : `/children/${child.id}`
    expect(page.body).toContain(`href="${href}"`)
    expect(headerCount(page.body)).toBe(before + 3)
    expect(headerCount((await sw.get('/')).body)).toBe(before + 3)

    // The work is done: the workflow closes the PEP's tasks, and they leave the tray.
    await closeTasks(t.database.db, {
      pepId: child.pepId!,
      kinds: ['bso-check'],
      by: users.get('social.worker@example.org')!,
      at: t.clock.now(),
    })
    expect((await taskRow(late)).status).toBe('done')
    const after = await sw.get('/tray')
    expect(after.body).not.toContain('Complete my section (late)')
    expect(after.body).not.toContain('Complete my section (later)')
    expect(headerCount(after.body)).toBe(before + 1)
    expect(after.body).toContain('The school sent its contribution')
  })

  it('dismisses an alert, which closes it and writes the audit event with it', async () => {
    const sw = await agentFor('social.worker@example.org')
    const child = await childOf('social.worker@example.org', { skip: 1 })
    await raiseAlert(t.database.db, {
      kind: 'signed-off',
      authorityId: hfd,
      childId: child.id,
      pepId: child.pepId,
      at: t.clock.now(),
      userId: users.get('social.worker@example.org')!,
      title: 'A PEP was signed off (dismiss me)',
    })
    const alert = await t.database.db
      .selectFrom('task')
      .select('id')
      .where('title', '=', 'A PEP was signed off (dismiss me)')
      .executeTakeFirstOrThrow()
    const page = await sw.get('/tray')
    const count = headerCount(page.body)
    expect(page.body).toContain(`action="/tray/alerts/${alert.id}/dismiss"`)
    const response = await sw.post(`/tray/alerts/${alert.id}/dismiss`)
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/tray')
    const after = await sw.get('/tray')
    expect(after.body).toContain('Alert dismissed')
    expect(after.body).not.toContain('A PEP was signed off (dismiss me)')
    expect(headerCount(after.body)).toBe(count - 1)
    const row = await taskRow(alert.id)
    expect(row.status).toBe('done')
    expect(row.closed_by).toBe(users.get('social.worker@example.org'))
    const [event] = await auditOf('tray.alert.dismiss', alert.id)
    expect(event?.child_id).toBe(child.id)

    // Again, or someone else's alert: nothing changes.
    const again = await sw.post(`/tray/alerts/${alert.id}/dismiss`)
    expect(again.statusCode).toBe(303)
    expect((await sw.get('/tray')).body).toContain('That alert had already been dismissed')
    expect(await auditOf('tray.alert.dismiss', alert.id)).toHaveLength(1)
  })

  it("hides a task about a child the user can no longer see, child's name and all", async () => {
    const dt = await agentFor('designated.teacher@example.org')
    const child = await childOf('designated.teacher@example.org', { undelegated: true })
    const dtId = users.get('designated.teacher@example.org')!
    await task('Complete the school sections (lost access)', { userId: dtId }, child)
    const before = await dt.get('/tray')
    expect(before.body).toContain('Complete the school sections (lost access)')
    expect(before.body).toContain(html(child.name))
    const count = headerCount(before.body)

    await t.database.db
      .updateTable('child_access')
      .set({ removed_at: t.clock.now(), removed_by: users.get('vs.admin@example.org')! })
      .where('child_id', '=', child.id)
      .where('user_id', '=', dtId)
      .execute()
    // Every open item of theirs about that child goes (the demo may have raised some too).
    const aboutChild = (
      await t.database.db
        .selectFrom('task')
        .select('id')
        .where('assigned_to', '=', dtId)
        .where('child_id', '=', child.id)
        .where('status', '=', 'open')
        .execute()
    ).length
    const after = await dt.get('/tray')
    expect(after.body).not.toContain('Complete the school sections (lost access)')
    expect(after.body).not.toContain(html(child.name))
    expect(after.body).toContain(
      `${aboutChild} other ${aboutChild === 1 ? 'item is' : 'items are'} about children whose records you can no longer see`,
    )
    expect(headerCount(after.body)).toBe(count - aboutChild)
  })
})

describe('group trays', () => {
  it('lets business support pick a task up and release it with a comment, with notes and audit', async () => {
    const bso = await agentFor('business.support@example.org')
    const bsoId = users.get('business.support@example.org')!
    const child = await anyHfdChild()
    const id = await task(
      'Check the PEP (pick up)',
      { group: 'business_support' },
      child,
      '2026-11-30',
    )
    const tray = await bso.get('/tray/group/business-support')
    expect(tray.statusCode).toBe(200)
    expect(tray.body).toContain('Check the PEP (pick up)')
    expect(tray.body).toContain(html(child.name))
    expect(tray.body).toContain(`action="/tray/tasks/${id}/pick-up"`)
    expect((await bso.get('/tray')).body).toMatch(
      /Business support tray<\/a>: [1-9]\d* tasks? waiting/,
    )

    const picked = await bso.post(`/tray/tasks/${id}/pick-up`)
    expect(picked.statusCode).toBe(303)
    // Straight to the task picked up, not back to the emptied group tray.
    expect(picked.headers.location).toBe(`/tray/tasks/${id}`)
    expect((await taskRow(id)).assigned_to).toBe(bsoId)
    const back = await bso.get('/tray/group/business-support')
    expect(back.body).toContain('You picked up “Check the PEP (pick up)”. It is in your tray.')
    expect(back.body).not.toContain(`/tray/tasks/${id}/pick-up`)
    const mine = await bso.get('/tray')
    expect(mine.body).toContain('Check the PEP (pick up)')
    expect(mine.body).toContain(`href="/tray/tasks/${id}"`)
    expect(headerCount(mine.body)).toBeGreaterThan(0)

    const taskPage = await bso.get(`/tray/tasks/${id}`)
    expect(taskPage.body).toContain('You have picked up this task.')
    // Business support opens the child's record: the name links to it.
    expect(taskPage.body).toContain(`<a class="govuk-link" href="/children/${child.id}">`)
    const released = await bso.post(`/tray/tasks/${id}/release`, {
      comment: 'Off sick tomorrow – please pick up',
    })
    expect(released.statusCode).toBe(303)
    expect(released.headers.location).toBe('/tray')
    expect((await taskRow(id)).assigned_to).toBeNull()
    expect((await bso.get('/tray')).body).toContain(
      '“Check the PEP (pick up)” is back in the Business support tray.',
    )
    const notes = await notesOf(id)
    expect(notes.map((n) => [n.kind, n.by_user, n.comment])).toEqual([
      ['picked_up', bsoId, null],
      ['released', bsoId, 'Off sick tomorrow – please pick up'],
    ])
    const [pickEvent] = await auditOf('tray.task.pick-up', id)
    expect(pickEvent).toMatchObject({ child_id: child.id, authority_id: hfd, user_id: bsoId })
    expect(await auditOf('tray.task.release', id)).toHaveLength(1)
    const history = await bso.get(`/tray/tasks/${id}`)
    expect(history.body).toContain('Released to the group tray')
    expect(history.body).toContain('Off sick tomorrow – please pick up')
  })

  it('lets exactly one of two people picking up at once have it; the other is told, and nothing changes', async () => {
    const consultant = await agentFor('vs.consultant@example.org')
    const head = await agentFor('vs.head@example.org')
    const child = await anyHfdChild()
    const id = await task('Quality assure (race)', { group: 'vs_consultant' }, child)
    await consultant.get('/tray/group/vs-consultants')
    await head.get('/tray/group/vs-consultants')
    const [a, b] = await Promise.all([
      consultant.post(`/tray/tasks/${id}/pick-up`),
      head.post(`/tray/tasks/${id}/pick-up`),
    ])
    expect([a.statusCode, b.statusCode]).toEqual([303, 303])
    const row = await taskRow(id)
    const headWon = row.assigned_to === users.get('vs.head@example.org')
    if (!headWon) expect(row.assigned_to).toBe(users.get('vs.consultant@example.org'))
    const [winner, loser, lost] = headWon
      ? ['Morgan Head', consultant, a]
      : [await nameOf('vs.consultant@example.org'), head, b]
    expect(lost.headers.location).toBe(`/tray/tasks/${id}`)
    const told = await loser.get(`/tray/tasks/${id}`)
    expect(told.body).toContain(
      `${html(winner)} has already picked up this task. Nothing was changed.`,
    )
    expect(await notesOf(id)).toHaveLength(1)
    expect(await auditOf('tray.task.pick-up', id)).toHaveLength(1)
    // Picking up again, later, changes nothing either.
    await loser.post(`/tray/tasks/${id}/pick-up`)
    expect((await taskRow(id)).assigned_to).toBe(row.assigned_to)
  })

  it('reassigns a task to a colleague of the group with a comment, and names each missing field', async () => {
    const consultant = await agentFor('vs.consultant@example.org')
    const headId = users.get('vs.head@example.org')!
    const child = await anyHfdChild()
    const id = await task('Quality assure (reassign)', { group: 'vs_consultant' }, child)
    const page = await consultant.get(`/tray/tasks/${id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`<option value="${headId}">Morgan Head</option>`)
    // Business support are not of this group.
    expect(page.body).not.toContain(users.get('business.support@example.org'))

    const empty = await consultant.post(`/tray/tasks/${id}/reassign`, {})
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('<a href="#person">Select the person to reassign the task to</a>')
    expect(empty.body).toContain(
      '<a href="#reassign-comment">Enter a comment for the person you reassign it to</a>',
    )
    const noPerson = await consultant.post(`/tray/tasks/${id}/reassign`, {
      comment: 'Kept on error',
    })
    expect(noPerson.statusCode).toBe(400)
    expect(noPerson.body).toContain('Kept on error')
    expect(noPerson.body).not.toContain('href="#reassign-comment"')
    const noComment = await consultant.post(`/tray/tasks/${id}/reassign`, { person: headId })
    expect(noComment.statusCode).toBe(400)
    expect(noComment.body).toContain(`<option value="${headId}" selected>Morgan Head</option>`)
    const outsider = await consultant.post(`/tray/tasks/${id}/reassign`, {
      person: users.get('business.support@example.org')!,
      comment: 'Wrong group',
    })
    expect(outsider.statusCode).toBe(400)
    expect((await taskRow(id)).assigned_to).toBeNull()

    const done = await consultant.post(`/tray/tasks/${id}/reassign`, {
      person: headId,
      comment: 'You know this school best',
    })
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe('/tray/group/vs-consultants')
    expect((await taskRow(id)).assigned_to).toBe(headId)
    const notes = await notesOf(id)
    expect(notes.map((n) => [n.kind, n.by_user, n.to_user, n.comment])).toEqual([
      ['reassigned', users.get('vs.consultant@example.org'), headId, 'You know this school best'],
    ])
    const [event] = await auditOf('tray.task.reassign', id)
    expect(event).toMatchObject({ subject_user_id: headId, child_id: child.id })
    const head = await agentFor('vs.head@example.org')
    expect((await head.get('/tray')).body).toContain('Quality assure (reassign)')
    // Now it is the head's, the consultant can no longer hand it on.
    const late = await consultant.post(`/tray/tasks/${id}/reassign`, {
      person: headId,
      comment: 'Too late',
    })
    expect(late.statusCode).toBe(303)
    expect((await consultant.get(`/tray/tasks/${id}`)).body).toContain(
      'Morgan Head has already picked up this task. Nothing was changed.',
    )
    expect(await notesOf(id)).toHaveLength(1)
  })

  it("shows another authority's staff none of Harrowfield's group tasks, and refuses their changes", async () => {
    const eastmere = (
      await t.database.db
        .selectFrom('authority')
        .select('id')
        .where('code', '=', 'EMR')
        .executeTakeFirstOrThrow()
    ).id
    // Give Eastmere's administrator business support work in Eastmere too.
    await giveRole(t.database.db, {
      userId: users.get('eastmere.admin@example.org')!,
      authorityId: eastmere,
      role: 'business_support',
    })
    const child = await anyHfdChild()
    const id = await task('Check the PEP (Harrowfield only)', { group: 'business_support' }, child)
    const emr = await agentFor('eastmere.admin@example.org')
    const tray = await emr.get('/tray/group/business-support')
    expect(tray.statusCode).toBe(200)
    expect(tray.body).not.toContain('Check the PEP (Harrowfield only)')
    expect(tray.body).not.toContain(html(child.name))
    expect((await emr.get(`/tray/tasks/${id}`)).statusCode).toBe(404)
    const pick = await emr.post(`/tray/tasks/${id}/pick-up`)
    expect(pick.statusCode).toBe(404)
    expect(pick.body).not.toContain(html(child.name))
    expect((await taskRow(id)).assigned_to).toBeNull()
    const denied = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'access.denied')
      .where('user_id', '=', users.get('eastmere.admin@example.org')!)
      .execute()
    expect(denied.some((d) => (d.details as { taskId?: string }).taskId === id)).toBe(true)
    // Nor may Harrowfield's business support see the consultants' tray.
    const bso = await agentFor('business.support@example.org')
    expect((await bso.get('/tray/group/vs-consultants')).statusCode).toBe(404)
    // And a social worker has no group tray at all.
    const sw = await agentFor('social.worker@example.org')
    expect((await sw.get('/tray/group/business-support')).statusCode).toBe(403)
  })
})

describe("the header's tray count", () => {
  it('is counted for a page that shows it, and not for an answer without a page (a redirect)', async () => {
    const db = t.database.db
    const sw = users.get('social.worker@example.org')!
    await task('Counted for pages only', { userId: sw }, await childOf('social.worker@example.org'))
    // The same app over the same database, every statement it sends written down.
    const sent: string[] = []
    const writing: KyselyPlugin = {
      transformQuery: (args) => {
        sent.push(db.getExecutor().compileQuery(args.node, args.queryId).sql)
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    const app = await buildApp({ config: t.config, db: db.withPlugin(writing), clock: t.clock })
    try {
      const agent = new TestAgent(app)
      await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
      const counts = () =>
        sent.filter((q) => q.startsWith(`execute ${asPrepared(myTrayCountQuery(db, sw, [])).name}`))
          .length

      sent.length = 0
      const page = await agent.get(paths.trays.mine())
      expect(page.statusCode).toBe(200)
      expect(headerCount(page.body)).toBeGreaterThan(0)
      expect(page.body).not.toContain('openpep:tray-count')
      expect(counts()).toBe(1)

      sent.length = 0
      const redirect = await agent.post(paths.trays.dismissAlert(randomUUID()))
      expect(redirect.statusCode).toBe(303)
      expect(sent.length).toBeGreaterThan(0)
      expect(counts()).toBe(0)
    } finally {
      await app.close()
    }
  })

  it('runs on its generic plan from the first call, so it is never planned again', async () => {
    const sw = users.get('social.worker@example.org')!
    await task('Counted on the header', { userId: sw }, await childOf('social.worker@example.org'))
    // One connection throughout: prepared statements and their plans are a connection's own.
    await t.database.db.connection().execute(async (db) => {
      const counts: number[] = []
      for (let i = 0; i < 7; i++) counts.push(await countMyTray(db, sw, []))
      const plain = await myTrayCountQuery(db, sw, []).executeTakeFirstOrThrow()
      expect(counts).toEqual(Array(7).fill(Number(plain.n)))
      expect(counts[0]).toBeGreaterThan(0)
      // PostgreSQL plans the first five runs for their values unless told otherwise.
      const { rows } = await sql<{ generic: number; custom: number }>`
        select generic_plans as generic, custom_plans as custom from pg_prepared_statements
        where name = ${asPrepared(myTrayCountQuery(db, sw, [])).name}`.execute(db)
      expect(rows).toHaveLength(1)
      expect(rows[0]!.custom).toBe(0)
      expect(rows[0]!.generic).toBeGreaterThanOrEqual(7)
    })
  })
})
