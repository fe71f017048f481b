import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { PEP_STATES } from '../domain/pep-workflow.ts'
import { createTestDatabase } from './database.ts'
import {
  MADE_AT,
  giveRole,
  linkToChild,
  makeAuthority,
  makeCarer,
  makeChild,
  makeDelegation,
  makePep,
  makePepPage,
  makeSchool,
  makeUser,
  makeYoungPerson,
} from './factories.ts'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

describe('the test factories', () => {
  it.each(PEP_STATES)('set up a child with a PEP %s in four statements', async (state) => {
    const db = database.db
    // The set-up a new test file writes (issue 14's measure): five lines here, about 66 by hand.
    const { authorityId, schoolId } = await makeSchool(db)
    const sw = await makeUser(db, { role: 'social_worker', authorityId })
    const access = [{ userId: sw.id, capacity: 'social_worker' as const }]
    const childId = await makeChild(db, { authorityId, schoolId, recordOwnerId: sw.id, access })
    const pepId = await makePep(db, { childId, state })

    const pep = await db
      .selectFrom('pep')
      .select(['status', 'child_id', 'authority_id', 'school_id', 'submitted_at', 'signed_off_by'])
      .where('id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(pep).toMatchObject({
      status: state,
      child_id: childId,
      authority_id: authorityId,
      school_id: schoolId,
    })
    expect(pep.submitted_at === null).toBe(state === 'in_progress')
    expect(pep.signed_off_by).toBe(state === 'signed_off' ? sw.id : null)
    const place = await db
      .selectFrom('child_access')
      .innerJoin('membership', 'membership.user_id', 'child_access.user_id')
      .select(['child_access.capacity', 'membership.role', 'membership.authority_id'])
      .where('child_access.child_id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(place).toEqual({
      capacity: 'social_worker',
      role: 'social_worker',
      authority_id: authorityId,
    })
  })

  it('make a PEP as a world writes it by hand: no school, no creator, its own marks and pages', async () => {
    const db = database.db
    const { authorityId, schoolId } = await makeSchool(db)
    const childId = await makeChild(db, { authorityId, schoolId })
    const signedOffAt = new Date('2026-11-20T10:00:00Z')
    const pepId = await makePep(db, {
      childId,
      state: 'signed_off',
      schoolId: null,
      createdBy: null,
      targetOn: '2026-11-19',
      submittedAt: null,
      signedOffAt,
      signedOffBy: null,
      pages: { 'quality-assurance': { 'qa-overall': 'good' } },
    })
    const pep = await db
      .selectFrom('pep')
      .select([
        'status',
        'school_id',
        'created_by',
        'target_on',
        'submitted_at',
        'signed_off_at',
        'signed_off_by',
        'meeting_reasons',
        'qa_overall',
      ])
      .where('id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(pep).toEqual({
      status: 'signed_off',
      school_id: null,
      created_by: null,
      target_on: '2026-11-19',
      submitted_at: null,
      signed_off_at: signedOffAt,
      signed_off_by: null,
      meeting_reasons: [],
      qa_overall: 'good',
    })

    const teacher = await makeUser(db, { role: 'designated_teacher', authorityId })
    const at = new Date('2026-11-21T09:00:00Z')
    const answers = { targets: [{ id: 't1', target: 'Times tables' }] }
    await makePepPage(db, { pepId, pageId: 'smart-targets', answers, savedBy: teacher.id, at })
    const pages = await db
      .selectFrom('pep_page')
      .select(['page_id', 'answers', 'version', 'saved_by', 'saved_at'])
      .where('pep_id', '=', pepId)
      .orderBy('page_id')
      .execute()
    expect(pages).toEqual([
      {
        page_id: 'quality-assurance',
        answers: { 'qa-overall': 'good' },
        version: 1,
        saved_by: null,
        saved_at: MADE_AT,
      },
      { page_id: 'smart-targets', answers, version: 1, saved_by: teacher.id, saved_at: at },
    ])
  })

  it("delegate a PEP's school sections to its teacher, answering the delegation's id", async () => {
    const db = database.db
    const { authorityId, schoolId } = await makeSchool(db)
    const sw = await makeUser(db, { role: 'social_worker', authorityId })
    const teacher = await makeUser(db, { role: 'designated_teacher', authorityId })
    const childId = await makeChild(db, { authorityId, schoolId, recordOwnerId: sw.id })
    const pepId = await makePep(db, { childId })
    const id = await makeDelegation(db, { pepId, to: teacher.id, by: sw.id, dueOn: '2026-11-22' })
    const row = await db
      .selectFrom('pep_delegation')
      .selectAll()
      .where('pep_id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({
      id,
      pep_id: pepId,
      delegated_to: teacher.id,
      delegated_by: sw.id,
      sections: ['B', 'C'],
      pages: null,
      due_on: '2026-11-22',
      status: 'delegated',
      created_at: MADE_AT,
      submitted_at: null,
      ended_at: null,
      part_of: null,
    })
  })

  it('takes overrides, and makes unique names so a file can build many', async () => {
    const db = database.db
    const { authorityId } = await makeSchool(db)
    const teacher = await makeUser(db, { role: 'designated_teacher', authorityId })
    const other = await makeUser(db, { role: 'designated_teacher', authorityId })
    expect(teacher.email).not.toBe(other.email)
    const childId = await makeChild(db, {
      authorityId,
      firstName: 'Ada',
      status: 'ceased',
      dateOfBirth: '2010-01-31',
    })
    const child = await db
      .selectFrom('child')
      .select(['first_name', 'status', 'ceased_on', 'date_of_birth', 'school_id'])
      .where('id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(child).toEqual({
      first_name: 'Ada',
      status: 'ceased',
      ceased_on: '2026-10-01',
      date_of_birth: '2010-01-31',
      school_id: null,
    })
    await expect(makeUser(db, { role: 'iro' })).rejects.toThrow('a role needs its authorityId')
  })

  it('make a carer and the young person linked to a child, in its authority', async () => {
    const db = database.db
    const { authorityId } = await makeSchool(db)
    const childId = await makeChild(db, { authorityId })
    const otherChildId = await makeChild(db, { authorityId })
    const ended = new Date('2026-10-01T09:00:00Z')
    const carer = await makeCarer(db, { childId, displayName: 'Taylor Carer' })
    const former = await makeCarer(db, { childId, removedAt: ended })
    const youngPerson = await makeYoungPerson(db, { childId })
    await linkToChild(db, { childId: otherChildId, userId: carer.id, capacity: 'carer' })
    const places = await db
      .selectFrom('child_access')
      .innerJoin('membership', 'membership.user_id', 'child_access.user_id')
      .select([
        'child_access.child_id',
        'child_access.user_id',
        'child_access.capacity',
        'child_access.removed_at',
        'membership.role',
        'membership.authority_id',
      ])
      .where('child_access.user_id', 'in', [carer.id, former.id, youngPerson.id])
      .execute()
    const row = (userId: string, child: string, capacity: string, removedAt: Date | null) => ({
      child_id: child,
      user_id: userId,
      capacity,
      removed_at: removedAt,
      role: capacity,
      authority_id: authorityId,
    })
    expect(places).toHaveLength(4)
    expect(places).toEqual(
      expect.arrayContaining([
        row(carer.id, childId, 'carer', null),
        row(carer.id, otherChildId, 'carer', null),
        row(former.id, childId, 'carer', ended),
        row(youngPerson.id, childId, 'young_person', null),
      ]),
    )
    const named = await db
      .selectFrom('app_user')
      .select('display_name')
      .where('id', '=', carer.id)
      .executeTakeFirstOrThrow()
    expect(named.display_name).toBe('Taylor Carer')
  })

  it('give someone a second role, and a place on a list unless they have one', async () => {
    const db = database.db
    const { authorityId, schoolId } = await makeSchool(db)
    const other = await makeAuthority(db)
    const person = await makeUser(db, { role: 'social_worker', authorityId, status: 'invited' })
    await giveRole(db, { userId: person.id, authorityId: other.id, role: 'designated_teacher' })
    const roles = await db
      .selectFrom('membership')
      .innerJoin('authority_member', (j) =>
        j
          .onRef('authority_member.user_id', '=', 'membership.user_id')
          .onRef('authority_member.authority_id', '=', 'membership.authority_id'),
      )
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['membership.authority_id', 'membership.role', 'app_user.status'])
      .where('membership.user_id', '=', person.id)
      .orderBy('membership.role')
      .execute()
    expect(roles).toEqual([
      { authority_id: other.id, role: 'designated_teacher', status: 'invited' },
      { authority_id: authorityId, role: 'social_worker', status: 'invited' },
    ])
    const ended = new Date('2026-10-01T09:00:00Z')
    const childId = await makeChild(db, {
      authorityId,
      schoolId,
      placement: 'Residential',
      senStatus: 'ehc_plan',
      access: [{ userId: person.id, capacity: 'social_worker', removedAt: ended }],
    })
    const added = new Date('2026-09-01T09:00:00Z')
    const place = { childId, userId: person.id, capacity: 'social_worker' as const }
    await linkToChild(db, { ...place, addedAt: added })
    await linkToChild(db, { ...place, unlessListed: true })
    await expect(linkToChild(db, place)).rejects.toThrow()
    const places = await db
      .selectFrom('child_access')
      .select(['added_at', 'removed_at'])
      .where('child_id', '=', childId)
      .orderBy('removed_at')
      .execute()
    expect(places.map((p) => p.removed_at)).toEqual([ended, null])
    expect(places[1]!.added_at).toEqual(added)
    const child = await db
      .selectFrom('child')
      .select(['placement', 'sen_status'])
      .where('id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(child).toEqual({ placement: 'Residential', sen_status: 'ehc_plan' })
  })

  it("end a place on a child's list with who ended it and why", async () => {
    const db = database.db
    const { authorityId } = await makeSchool(db)
    const admin = await makeUser(db, { role: 'vs_admin', authorityId })
    const carer = await makeUser(db, { role: 'carer', authorityId })
    const childId = await makeChild(db, { authorityId })
    const added = new Date('2025-09-01T09:00:00Z')
    const ended = new Date('2026-01-05T09:00:00Z')
    await linkToChild(db, {
      childId,
      userId: carer.id,
      capacity: 'carer',
      addedAt: added,
      removedAt: ended,
      removedBy: admin.id,
      endReason: 'placement_ended',
    })
    await linkToChild(db, { childId, userId: carer.id, capacity: 'carer' })
    const places = await db
      .selectFrom('child_access')
      .select(['added_at', 'removed_at', 'removed_by', 'end_reason'])
      .where('child_id', '=', childId)
      .orderBy('removed_at')
      .execute()
    expect(places).toEqual([
      { added_at: added, removed_at: ended, removed_by: admin.id, end_reason: 'placement_ended' },
      { added_at: expect.any(Date), removed_at: null, removed_by: null, end_reason: null },
    ])
  })
})
