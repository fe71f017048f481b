import { randomUUID } from 'node:crypto'
import type { Database } from '../db/connection.ts'
import { saveAuthoritySettings } from '../features/authority-settings/authority-settings.repository.ts'
import type { AuthoritySettings } from '../domain/authority-settings.ts'
import type { Term } from '../domain/terms.ts'
import {
  giveRole,
  makeAuthority,
  makeChild,
  makeDelegation,
  makePep,
  makeSchool,
  makeUser,
} from './factories.ts'

/*
 * Small worlds for the job handlers' tests: an authority with a social worker, a designated
 * teacher and a school, children with their access lists, PEPs and delegations, built with the
 * factories (src/testing/factories.ts).
 */

export interface JobWorld {
  authorityId: string
  schoolId: string
  socialWorker: { id: string; email: string }
  teacher: { id: string; email: string }
}

async function user(db: Database, label: string) {
  const email = `${label}.${randomUUID().slice(0, 8)}@example.org`
  return makeUser(db, { email, displayName: label.replace(/-/g, ' ') })
}

export async function makeWorld(
  db: Database,
  code: string,
  settings: Partial<AuthoritySettings> = {},
): Promise<JobWorld> {
  const authority = await makeAuthority(db, { code })
  const { schoolId } = await makeSchool(db, {
    authorityId: authority.id,
    name: `School ${code}`,
    type: 'academy',
    phase: 'secondary',
  })
  if (Object.keys(settings).length > 0)
    await saveAuthoritySettings(db, authority.id, settings, new Date('2026-01-01T00:00:00Z'))
  const socialWorker = await user(db, `social-worker-${code}`)
  const teacher = await user(db, `designated-teacher-${code}`)
  // Their roles, which their places on the children's lists rest on (ADR 8).
  await giveRole(db, { userId: socialWorker.id, authorityId: authority.id, role: 'social_worker' })
  await giveRole(db, {
    userId: teacher.id,
    authorityId: authority.id,
    role: 'designated_teacher',
    schoolId,
  })
  return { authorityId: authority.id, schoolId, socialWorker, teacher }
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
  const withSocialWorker = options.socialWorker !== false
  return makeChild(db, {
    authorityId: world.authorityId,
    schoolId: world.schoolId,
    ...(options.dateOfBirth ? { dateOfBirth: options.dateOfBirth } : {}),
    ...(options.enteredCareOn ? { enteredCareOn: options.enteredCareOn } : {}),
    status: options.status ?? 'in_care',
    recordOwnerId: withSocialWorker ? world.socialWorker.id : null,
    access: [
      ...(withSocialWorker
        ? [{ userId: world.socialWorker.id, capacity: 'social_worker' as const }]
        : []),
      { userId: world.teacher.id, capacity: 'designated_teacher' },
    ],
  })
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
  return makePep(db, {
    childId,
    term: options.term,
    state: options.status ?? 'in_progress',
    schoolId: world.schoolId,
    meetingOn: options.meetingOn ?? null,
    changeOfSchool: options.changeOfSchool ?? false,
    createdBy: world.socialWorker.id,
    pages: options.pages ?? {},
  })
}

export async function delegate(
  db: Database,
  world: JobWorld,
  pepId: string,
  dueOn: string,
): Promise<string> {
  return makeDelegation(db, {
    pepId,
    to: world.teacher.id,
    by: world.socialWorker.id,
    dueOn,
    at: new Date('2026-11-01T09:00:00Z'),
  })
}

/**
 * Open tasks and alerts, and the outbox, as short strings a test can compare. A job writes its
 * rows at one instant (the test's clock), so each list has a second key after created_at: without
 * it rows of the same instant come in the heap's order, which a worker's reused database changes.
 */
export async function trayOf(db: Database, userId: string) {
  const rows = await db
    .selectFrom('task')
    .select(['kind', 'is_alert', 'pep_id', 'child_id'])
    .where('assigned_to', '=', userId)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .orderBy('kind')
    .orderBy('is_alert')
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
    .orderBy('kind')
    .execute()
  return rows.map((r) => `task ${r.kind}`)
}

export async function outboxTo(db: Database, email: string) {
  return db
    .selectFrom('outbox_email')
    .select(['subject', 'text_body as text'])
    .where('to_address', '=', email)
    .orderBy('created_at')
    .orderBy('subject')
    .orderBy('text_body')
    .execute()
}
