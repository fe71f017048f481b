import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { TestAgent } from './agent.ts'
import { demoWorld, type DemoWorld } from './demo-world.ts'
import type { TestAppOptions } from './app.ts'
import { makePepPage } from './factories.ts'

/*
 * For the Pupil Premium Plus tests: the demo world, and children whose PEP has SMART targets
 * with requests made and decided through HTTP, as the school and the Virtual School would.
 */

export const versionOn = (html: string) => /name="version" value="([^"]*)"/.exec(html)?.[1] ?? ''

export interface FundingWorld extends DemoWorld {
  /** A child at Kingsmead with a PEP (at the Virtual School) and these targets; ids by name. */
  childWithTargets(
    caseReference: string,
    targets: readonly string[],
  ): Promise<{ childId: string; pepId: string; targetIds: string[] }>
  /** The designated teacher requests an amount for a target; the request's id. */
  request(
    childId: string,
    pepId: string,
    targetId: string,
    amount: string,
    category?: string,
  ): Promise<string>
  decide(
    agent: TestAgent,
    childId: string,
    requestId: string,
    form: Record<string, string>,
  ): Promise<number>
  setBudget(year: number, allocationPence: number, grantPence?: number): Promise<void>
}

/** The demo with Pupil Premium Plus set up; `options` as `createTestApp`'s (the browser tests' routes). */
export async function fundingWorld(options: TestAppOptions = {}): Promise<FundingWorld> {
  const world = await demoWorld(options)
  const db = world.t.database.db

  async function childWithTargets(caseReference: string, targets: readonly string[]) {
    const childId = await world.newChild({
      firstName: 'Sky',
      lastName: `Funded ${caseReference}`,
      caseReference,
      access: [
        ['social.worker@example.org', 'social_worker'],
        ['designated.teacher@example.org', 'designated_teacher'],
      ],
    })
    const pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
    const targetIds = targets.map(() => randomUUID())
    const answers = {
      targets: targets.map((text, i) => ({ id: targetIds[i], area: 'mathematics', target: text })),
    }
    await makePepPage(db, {
      pepId,
      pageId: 'smart-targets',
      answers,
      savedBy: null,
      at: world.t.clock.now(),
    })
    await db.updateTable('pep').set({ status: 'awaiting_qa' }).where('id', '=', pepId).execute()
    return { childId, pepId, targetIds }
  }

  async function request(
    childId: string,
    pepId: string,
    targetId: string,
    amount: string,
    category = 'Tuition',
  ) {
    const dt = await world.agent('designated.teacher@example.org')
    const url = `/children/${childId}/peps/${pepId}/funding/targets/${targetId}`
    await dt.get(url)
    const sent = await dt.post(url, {
      amount,
      purpose: 'Tutoring',
      category,
      expectedImpact: 'Progress',
    })
    expect(sent.statusCode).toBe(303)
    const row = await db
      .selectFrom('funding_request')
      .select('id')
      .where('pep_id', '=', pepId)
      .where('target_id', '=', targetId)
      .executeTakeFirstOrThrow()
    return row.id
  }

  async function decide(
    agent: TestAgent,
    childId: string,
    requestId: string,
    form: Record<string, string>,
  ) {
    const url = `/children/${childId}/funding/requests/${requestId}`
    const page = await agent.get(url)
    const sent = await agent.post(`${url}/decision`, { version: versionOn(page.body), ...form })
    return sent.statusCode
  }

  async function setBudget(year: number, allocationPence: number, grantPence = 0) {
    const values = {
      allocation_per_child_pence: allocationPence,
      devolved_per_term_pence: 0,
      central_pence: 0,
      grant_received_pence: grantPence,
      updated_by: null,
      updated_at: world.t.clock.now(),
    }
    await db
      .insertInto('funding_budget')
      .values({ authority_id: world.authorityId, financial_year: year, ...values })
      .onConflict((oc) => oc.columns(['authority_id', 'financial_year']).doUpdateSet(values))
      .execute()
  }

  return { ...world, childWithTargets, request, decide, setBudget }
}
