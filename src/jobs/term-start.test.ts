import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { createTestDatabase } from '../testing/database.ts'
import { addChild, addPep, groupTrayOf, makeWorld } from '../testing/job-fixtures.ts'
import { timelineModel } from '../features/peps/progress.presenter.ts'
import { historyModel } from '../features/peps/history.presenter.ts'
import { eventsOf, revisionsOf } from '../features/peps/peps.service.ts'
import { currentTemplate } from '../forms/templates/index.ts'
import { startOfTerm } from './term-start.ts'

let database: DatabaseHandle
const autumn2026 = { academicYear: 2026, name: 'autumn' } as const
const spring2027 = { academicYear: 2026, name: 'spring' } as const
const summer2027 = { academicYear: 2026, name: 'summer' } as const
/** 00:30 in London, the job's hour. */
const newYear = new Date('2027-01-01T00:30:00Z')
const newYearsEve = new Date('2026-12-31T00:30:00Z')
const run = (now: Date) => startOfTerm({ db: database.db, now })

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const pepRow = (id: string) =>
  database.db
    .selectFrom('pep')
    .select(['academic_year', 'term', 'status', 'meeting_on', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
const pagesOf = (id: string) =>
  database.db
    .selectFrom('pep_page')
    .select(['page_id', 'answers', 'version', 'saved_by'])
    .where('pep_id', '=', id)
    .orderBy('page_id')
    .execute()
const pepsOfChild = (childId: string) =>
  database.db
    .selectFrom('pep')
    .select(['id', 'academic_year', 'term', 'status', 'created_by'])
    .where('child_id', '=', childId)
    .orderBy('academic_year')
    .orderBy('created_at')
    .execute()

describe('moving unfinished PEPs into the new term', () => {
  it('moves an autumn PEP not signed off to spring on 1 January, keeping every answer and recording the move', async () => {
    const world = await makeWorld(database.db, 'MOV')
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, {
      term: autumn2026,
      meetingOn: '2026-11-20',
      pages: {
        'personal-information': { 'preferred-name': 'Sky', 'first-language': 'Welsh' },
        'care-information': { 'legal-status': 'section-31' },
      },
    })
    const signedOffChild = await addChild(database.db, world)
    const signedOff = await addPep(database.db, world, signedOffChild, {
      term: autumn2026,
      status: 'signed_off',
    })
    const before = await pagesOf(pepId)

    await run(newYearsEve)
    expect((await pepRow(pepId)).term).toBe('autumn')

    expect(await run(newYear)).toMatchObject({ moved: 1, blocked: 0 })
    expect(await run(newYear)).toMatchObject({ moved: 0, blocked: 0 })
    expect(await pepRow(pepId)).toMatchObject({
      academic_year: 2026,
      term: 'spring',
      status: 'in_progress',
      meeting_on: '2026-11-20',
    })
    expect(await pagesOf(pepId)).toEqual(before)
    expect((await pepRow(signedOff)).term).toBe('autumn')

    const events = await eventsOf(database.db, pepId)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      kind: 'moved-to-next-term',
      details: { pepId, from: '2026-autumn', to: '2026-spring' },
    })
    const [shown] = timelineModel(events)
    expect(shown?.label.text).toBe('Moved to the next term')
    expect(shown?.text).toBe(
      'Moved from Autumn term 2026 to Spring term 2027: it was not completed within its term. Nothing in it has changed.',
    )
    expect(shown?.byline.text).toBe('OpenPEP')
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['user_id', 'acting_role'])
      .where('action', '=', 'job.pep.move')
      .where('child_id', '=', childId)
      .execute()
    expect(audit).toEqual([{ user_id: null, acting_role: 'system' }])
    // Remembered once, for the Scheduled work page.
    const notices = await database.db
      .selectFrom('scheduled_notice')
      .select(['kind', 'for_date'])
      .where('subject_id', '=', pepId)
      .execute()
    expect(notices).toEqual([{ kind: 'pep-moved', for_date: '2027-01-01' }])
  })

  it('moves a summer PEP to the autumn of the next academic year at midnight on 1 September in London', async () => {
    const world = await makeWorld(database.db, 'SEP')
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, { term: summer2027 })
    // 23:30 UTC on 31 August is already 00:30 on 1 September in London (BST).
    await run(new Date('2027-08-30T23:30:00Z'))
    expect((await pepRow(pepId)).term).toBe('summer')
    await run(new Date('2027-08-31T23:30:00Z'))
    expect(await pepRow(pepId)).toMatchObject({ academic_year: 2027, term: 'autumn' })
  })

  it('leaves the PEP and asks the Virtual School, once, when the child already has this term’s PEP', async () => {
    const world = await makeWorld(database.db, 'BLK')
    const childId = await addChild(database.db, world)
    const old = await addPep(database.db, world, childId, { term: autumn2026 })
    await addPep(database.db, world, childId, { term: spring2027 })
    expect(await run(newYear)).toMatchObject({ moved: 0, blocked: 1 })
    expect(await run(newYear)).toMatchObject({ moved: 0, blocked: 0 })
    expect((await pepRow(old)).term).toBe('autumn')
    expect(await groupTrayOf(database.db, world.authorityId)).toEqual(['task pep-not-moved'])
  })

  it('leaves the PEP of a child who has ceased to be in care', async () => {
    const world = await makeWorld(database.db, 'CEA')
    const childId = await addChild(database.db, world, { status: 'ceased' })
    const pepId = await addPep(database.db, world, childId, { term: autumn2026 })
    await run(newYear)
    expect((await pepRow(pepId)).term).toBe('autumn')
  })
})

describe('starting the new term’s PEPs in bulk', () => {
  it('starts exactly one PEP per child in care, carrying forward, where the authority asks for it', async () => {
    const world = await makeWorld(database.db, 'BLK2', { bulkStartNextTerm: true })
    const other = await makeWorld(database.db, 'NOB')
    const carried = await addChild(database.db, world)
    const last = await addPep(database.db, world, carried, {
      term: autumn2026,
      status: 'signed_off',
      pages: {
        'personal-information': { 'preferred-name': 'Robin' },
        'attendance-dummy': { anything: 'not carried' },
      },
    })
    const fresh = await addChild(database.db, world)
    const moving = await addChild(database.db, world)
    const moved = await addPep(database.db, world, moving, { term: autumn2026 })
    const ceased = await addChild(database.db, world, { status: 'ceased' })
    const tooYoung = await addChild(database.db, world, { dateOfBirth: '2025-01-01' })
    const elsewhere = await addChild(database.db, other)

    // Not on the last day of the old term.
    expect(await run(newYearsEve)).toMatchObject({ started: 0 })
    expect(await run(newYear)).toMatchObject({ moved: 1, authorities: 1, started: 2 })
    expect(await run(newYear)).toMatchObject({ moved: 0, authorities: 0, started: 0 })

    const spring = (rows: Awaited<ReturnType<typeof pepsOfChild>>) =>
      rows.filter((p) => p.term === 'spring')
    expect(spring(await pepsOfChild(carried))).toHaveLength(1)
    expect(spring(await pepsOfChild(fresh))).toHaveLength(1)
    expect(spring(await pepsOfChild(moving)).map((p) => p.id)).toEqual([moved])
    expect(await pepsOfChild(ceased)).toEqual([])
    expect(await pepsOfChild(tooYoung)).toEqual([])
    expect(await pepsOfChild(elsewhere)).toEqual([])

    const [started] = spring(await pepsOfChild(carried))
    expect(started?.created_by).toBeNull()
    const row = await database.db
      .selectFrom('pep')
      .select(['carried_from_id', 'form_type', 'year_group', 'started_on'])
      .where('id', '=', started!.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({
      carried_from_id: last,
      form_type: 'secondary',
      year_group: 'Y9',
      started_on: '2027-01-01',
    })
    expect(await pagesOf(started!.id)).toEqual([
      {
        page_id: 'personal-information',
        answers: { 'preferred-name': 'Robin' },
        version: 1,
        saved_by: null,
      },
    ])
    const revisions = await database.db
      .selectFrom('pep_page_revision')
      .select(['kind'])
      .where('pep_id', '=', started!.id)
      .execute()
    expect(revisions).toEqual([{ kind: 'carried-forward' }])
    const page = currentTemplate('secondary')
      .sections.flatMap((section) => section.pages)
      .find((p) => p.id === 'personal-information')!
    const history = historyModel(
      page,
      await revisionsOf(database.db, started!.id, 'personal-information'),
    )
    expect(history.map((h) => h.heading)).toEqual([
      'Carried forward from the last PEP when OpenPEP started this one at the start of term',
    ])
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'child_id', 'acting_role'])
      .where('authority_id', '=', world.authorityId)
      .where('action', 'in', ['pep.start', 'job.pep.bulk-start'])
      .orderBy('action')
      .execute()
    expect(audit.map((a) => `${a.action} ${a.acting_role}`).sort()).toEqual([
      'job.pep.bulk-start system',
      'pep.start system',
      'pep.start system',
    ])
  })
})
