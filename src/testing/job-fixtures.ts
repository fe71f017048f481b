import { randomUUID } from 'node:crypto'
import type { Database } from '../db/connection.ts'
import { saveAuthoritySettings } from '../features/authority-settings/authority-settings.repository.ts'
import type { AuthoritySettings } from '../domain/authority-settings.ts'
import type { Term } from '../domain/terms.ts'
import { insertPep, writePage } from '../features/peps/peps.repository.ts'

/*
 * Small worlds for the job handlers' tests: an authority with a social worker, a designated
 * teacher and a school, children with their access lists, PEPs and delegations.
 */

export interface JobWorld {
  authorityId: string
  schoolId: string
  socialWorker: { id: string; email: string }
  teacher: { id: string; email: string }
}

async function user(db: Database, label: string) {
  const email = `${label}.${randomUUID().slice(0, 8)}@example.org`
  const row = await db
    .insertInto('app_user')
    .values({ email, display_name: label.replace(/-/g, ' '), status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, email }
}

export async function makeWorld(
  db: Database,
  code: string,
  settings: Partial<AuthoritySettings> = {},
): Promise<JobWorld> {
  const authority = await db
    .insertInto('authority')
    .values({ name: `Authority ${code}`, code })
    .returning('id')
    .executeTakeFirstOrThrow()
  const school = await db
    .insertInto('school')
    .values({
      authority_id: authority.id,
      name: `School ${code}`,
      type: 'academy',
      phase: 'secondary',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (Object.keys(settings).length > 0)
    await saveAuthoritySettings(db, authority.id, settings, new Date('2026-01-01T00:00:00Z'))
  const socialWorker = await user(db, `social-worker-${code}`)
  const teacher = await user(db, `designated-teacher-${code}`)
  // Their roles, which their places on the children's lists rest on (ADR 8).
  await db
    .insertInto('membership')
    .values([
      { user_id: socialWorker.id, authority_id: authority.id, role: 'social_worker' },
      {
        user_id: teacher.id,
        authority_id: authority.id,
        role: 'designated_teacher',
        school_id: school.id,
      },
    ])
    .execute()
  return { authorityId: authority.id, schoolId: school.id, socialWorker, teacher }
}

export async function addChild(
  db: Database,
  world: JobWorld,
  options: {
    dateOfBirth?: string
    enteredCareOn?: string
    status?: 'in_care' | 'ceased'
    socialWorker?: boolean
  } = {},
): Promise<string> {
  const child = await db
    .insertInto('child')
    .values({
      authority_id: world.authorityId,
      first_name: 'Test',
      last_name: `Child ${randomUUID().slice(0, 6)}`,
      date_of_birth: options.dateOfBirth ?? '2013-05-10',
      gender: 'female',
      case_reference: `CR-${randomUUID().slice(0, 8)}`,
      entered_care_on: options.enteredCareOn ?? '2020-01-01',
      school_id: world.schoolId,
      status: options.status ?? 'in_care',
      ceased_on: options.status === 'ceased' ? '2026-10-01' : null,
      record_owner_id: options.socialWorker === false ? null : world.socialWorker.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('child_access')
    .values([
      ...(options.socialWorker === false
        ? []
        : [{ child_id: child.id, user_id: world.socialWorker.id, capacity: 'social_worker' }]),
      { child_id: child.id, user_id: world.teacher.id, capacity: 'designated_teacher' },
    ])
    .execute()
  return child.id
}

export async function addPep(
  db: Database,
  world: JobWorld,
  childId: string,
  options: {
    term: Term
    status?: 'in_progress' | 'awaiting_qa' | 'signed_off'
    meetingOn?: string | null
    changeOfSchool?: boolean
    pages?: Record<string, Record<string, unknown>>
  },
): Promise<string> {
  const at = new Date('2026-09-02T09:00:00Z')
  const pepId = await insertPep(db, {
    childId,
    authorityId: world.authorityId,
    term: options.term,
    formType: 'secondary',
    templateVersion: 1,
    yearGroup: 'Y8',
    schoolId: world.schoolId,
    changeOfSchool: options.changeOfSchool ?? false,
    startedOn: '2026-09-02',
    meetingOn: options.meetingOn ?? null,
    carriedFromId: null,
    createdBy: world.socialWorker.id,
    at,
  })
  if (options.status && options.status !== 'in_progress')
    await db.updateTable('pep').set({ status: options.status }).where('id', '=', pepId).execute()
  for (const [pageId, answers] of Object.entries(options.pages ?? {}))
    await writePage(db, {
      pepId,
      pageId,
      answers: answers as never,
      version: 1,
      savedBy: world.socialWorker.id,
      at,
      kind: 'saved',
    })
  return pepId
}

export async function delegate(
  db: Database,
  world: JobWorld,
  pepId: string,
  dueOn: string,
): Promise<string> {
  const row = await db
    .insertInto('pep_delegation')
    .values({
      pep_id: pepId,
      delegated_to: world.teacher.id,
      delegated_by: world.socialWorker.id,
      sections: JSON.stringify(['B', 'C']),
      pages: null,
      due_on: dueOn,
      status: 'delegated',
      created_at: new Date('2026-11-01T09:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Open tasks and alerts, and the outbox, as short strings a test can compare. */
export async function trayOf(db: Database, userId: string) {
  const rows = await db
    .selectFrom('task')
    .select(['kind', 'is_alert', 'pep_id', 'child_id'])
    .where('assigned_to', '=', userId)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .orderBy('kind')
    .execute()
  return rows.map((r) => `${r.is_alert ? 'alert' : 'task'} ${r.kind}`)
}

export async function groupTrayOf(db: Database, authorityId: string) {
  const rows = await db
    .selectFrom('task')
    .select(['kind'])
    .where('authority_id', '=', authorityId)
    .where('group_role', '=', 'vs_consultant')
    .where('assigned_to', 'is', null)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .execute()
  return rows.map((r) => `task ${r.kind}`)
}

export async function outboxTo(db: Database, email: string) {
  return db
    .selectFrom('outbox_email')
    .select(['subject', 'text_body as text'])
    .where('to_address', '=', email)
    .orderBy('created_at')
    .execute()
}
