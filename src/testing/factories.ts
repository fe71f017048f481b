import { randomUUID } from 'node:crypto'
import type { Queryable } from '../db/connection.ts'
import type {
  AccessEndReason,
  ChildStatus,
  PepStatus,
  SenStatus,
  UserStatus,
} from '../db/schema.ts'
import type { AuthoritySettings } from '../domain/authority-settings.ts'
import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Role } from '../domain/roles.ts'
import type { Term } from '../domain/terms.ts'
import { saveAuthoritySettings } from '../features/authority-settings/authority-settings.repository.ts'
import { addClosureDay } from '../features/authority-settings/closure-days.repository.ts'
import { insertPep, setPageShared, writePage } from '../features/peps/peps.repository.ts'
import { insertDelegation } from '../features/peps/workflow.repository.ts'

/*
 * Test data builders (issue 14): a row with working defaults, and overrides for what the test
 * is about. Each writes to the real database (the test's own copy, src/testing/database.ts), as
 * the app would find it; names, codes and addresses are unique, so a file builds as many as it
 * likes. A new table costs one factory here, not an edit in every test file.
 *
 *   const { authorityId, schoolId } = await makeSchool(db)
 *   const childId = await makeChild(db, { authorityId, schoolId })
 *   const pepId = await makePep(db, { childId, state: 'awaiting_qa' })
 */

const short = () => randomUUID().slice(0, 8)

/** When rows are made: the first day of the autumn term 2026, before the tests' TEST_NOW. */
export const MADE_AT = new Date('2026-09-02T09:00:00Z')

export interface AuthorityOverrides {
  name?: string
  code?: string
}

/** A local authority (a Virtual School). */
export async function makeAuthority(db: Queryable, overrides: AuthorityOverrides = {}) {
  const code = overrides.code ?? `T${short().toUpperCase()}`
  const row = await db
    .insertInto('authority')
    .values({ name: overrides.name ?? `Authority ${code}`, code })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow()
  return row
}

export interface SchoolOverrides {
  /** The school's authority; a new one when not given. */
  authorityId?: string
  name?: string
  urn?: string | null
  /** The DfE's LAESTAB number, "999/9000"; none when not given. */
  dfeNumber?: string | null
  type?: string
  phase?: string
}

/** A school, open, in its authority (made with it when not given). */
export async function makeSchool(db: Queryable, overrides: SchoolOverrides = {}) {
  const authorityId = overrides.authorityId ?? (await makeAuthority(db)).id
  const row = await db
    .insertInto('school')
    .values({
      authority_id: authorityId,
      name: overrides.name ?? `School ${short()}`,
      urn: overrides.urn ?? null,
      dfe_number: overrides.dfeNumber ?? null,
      type: overrides.type ?? 'academy',
      phase: overrides.phase ?? 'secondary',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { schoolId: row.id, authorityId }
}

export interface UserOverrides {
  email?: string
  displayName?: string
  passwordHash?: string | null
  /** One of the demo's fictional accounts (never asked for two-step verification). */
  demoAccount?: boolean
  /** Active unless told (an invited account, a deactivated one). */
  status?: UserStatus
  /** A role, in `authorityId` (and at `schoolId` for a school's roles); none when not given. */
  role?: Role
  authorityId?: string
  schoolId?: string | null
}

/** An active account, with a role in an authority when asked. */
export async function makeUser(db: Queryable, overrides: UserOverrides = {}) {
  const label = overrides.role?.replace(/_/g, '-') ?? 'person'
  const email = overrides.email ?? `${label}.${short()}@example.org`
  const row = await db
    .insertInto('app_user')
    .values({
      email,
      display_name: overrides.displayName ?? `${label.replace(/-/g, ' ')} ${short()}`,
      status: overrides.status ?? 'active',
      ...(overrides.passwordHash ? { password_hash: overrides.passwordHash } : {}),
      ...(overrides.demoAccount ? { demo_account: true } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (overrides.role) {
    if (!overrides.authorityId) throw new Error('makeUser: a role needs its authorityId')
    await giveRole(db, {
      userId: row.id,
      authorityId: overrides.authorityId,
      role: overrides.role,
      schoolId: overrides.schoolId ?? null,
    })
  }
  return { id: row.id, email }
}

/**
 * Gives someone who already has an account a role (a membership) in an authority, at a school
 * for a school's roles: a second role, or one in another authority. The database makes them a
 * member of the authority as well (ADR 9).
 *
 *   await giveRole(db, { userId, authorityId: eastmere, role: 'vs_admin' })
 */
export async function giveRole(
  db: Queryable,
  membership: { userId: string; authorityId: string; role: Role; schoolId?: string | null },
) {
  await db
    .insertInto('membership')
    .values({
      user_id: membership.userId,
      authority_id: membership.authorityId,
      role: membership.role,
      school_id: membership.schoolId ?? null,
    })
    .execute()
}

export interface ChildOverrides {
  authorityId: string
  schoolId?: string | null
  firstName?: string
  lastName?: string
  caseReference?: string
  dateOfBirth?: CalendarDate
  /** 'female' unless told. */
  gender?: string
  upn?: string | null
  enteredCareOn?: CalendarDate
  /** Not recorded unless told. */
  placement?: string | null
  senStatus?: SenStatus
  status?: ChildStatus
  /** When a ceased child left care: 1 October 2026 unless told. */
  ceasedOn?: CalendarDate
  recordOwnerId?: string | null
  /**
   * Who is on the child's list, and in what capacity (their place rests on their role, ADR 8);
   * a place with `removedAt` ended then.
   */
  access?: readonly { userId: string; capacity: Role; removedAt?: Date | null }[]
}

/** A child in care (Year 8 in 2026-27 by default), on the lists of the people given. */
export async function makeChild(db: Queryable, overrides: ChildOverrides): Promise<string> {
  const status = overrides.status ?? 'in_care'
  const child = await db
    .insertInto('child')
    .values({
      authority_id: overrides.authorityId,
      first_name: overrides.firstName ?? 'Test',
      last_name: overrides.lastName ?? `Child ${short()}`,
      date_of_birth: overrides.dateOfBirth ?? '2013-05-10',
      gender: overrides.gender ?? 'female',
      upn: overrides.upn ?? null,
      case_reference: overrides.caseReference ?? `CR-${short()}`,
      entered_care_on: overrides.enteredCareOn ?? '2020-01-01',
      school_id: overrides.schoolId ?? null,
      placement: overrides.placement ?? null,
      ...(overrides.senStatus ? { sen_status: overrides.senStatus } : {}),
      status,
      ceased_on: status === 'ceased' ? (overrides.ceasedOn ?? '2026-10-01') : null,
      record_owner_id: overrides.recordOwnerId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const access = overrides.access ?? []
  if (access.length > 0)
    await db
      .insertInto('child_access')
      .values(
        access.map((a) => ({
          child_id: child.id,
          user_id: a.userId,
          capacity: a.capacity,
          removed_at: a.removedAt ?? null,
        })),
      )
      .execute()
  return child.id
}

export interface PepOverrides {
  childId: string
  /** Where the PEP is in its workflow; its submitted and signed-off marks follow. */
  state?: PepStatus
  term?: Term
  formType?: string
  /** The form's version: 1 unless told (a PEP keeps the version it was started on). */
  templateVersion?: number
  yearGroup?: string
  /** The child's school when not given. */
  schoolId?: string | null
  meetingOn?: CalendarDate | null
  meetingTime?: string | null
  meetingLocation?: string | null
  /** Who is invited to the meeting: people on the child's list, and outside addresses. */
  invitees?: { userIds: readonly string[]; emails: readonly string[] }
  /** The day it was started; the day of `at` when not given. */
  startedOn?: CalendarDate
  /** The day it is due by (none unless told). */
  targetOn?: CalendarDate | null
  changeOfSchool?: boolean
  createdBy?: string | null
  /** When it was submitted: `at` for a state past in progress unless told, null for never. */
  submittedAt?: Date | null
  /** When it was signed off: `at` for a signed-off PEP unless told. */
  signedOffAt?: Date | null
  /** Who signed it off: its creator for a signed-off PEP unless told. */
  signedOffBy?: string | null
  /** Answers by page, saved as version 1 of each page by its creator. */
  pages?: Record<string, Record<string, unknown>>
  at?: Date
}

/**
 * A PEP for the child, in the state asked for (in progress by default), in the autumn term
 * 2026. Written as the tables hold it, not through the workflow: a test of the workflow itself
 * drives it through HTTP instead.
 */
export async function makePep(db: Queryable, overrides: PepOverrides): Promise<string> {
  const child = await db
    .selectFrom('child')
    .select(['authority_id', 'school_id', 'record_owner_id'])
    .where('id', '=', overrides.childId)
    .executeTakeFirstOrThrow()
  const at = overrides.at ?? MADE_AT
  const createdBy = overrides.createdBy === undefined ? child.record_owner_id : overrides.createdBy
  const pepId = await insertPep(db, {
    childId: overrides.childId,
    authorityId: child.authority_id,
    term: overrides.term ?? { academicYear: 2026, name: 'autumn' },
    formType: overrides.formType ?? 'secondary',
    templateVersion: overrides.templateVersion ?? 1,
    yearGroup: overrides.yearGroup ?? 'Y8',
    schoolId: overrides.schoolId === undefined ? child.school_id : overrides.schoolId,
    changeOfSchool: overrides.changeOfSchool ?? false,
    startedOn: overrides.startedOn ?? at.toISOString().slice(0, 10),
    meetingOn: overrides.meetingOn ?? null,
    targetOn: overrides.targetOn ?? null,
    meetingTime: overrides.meetingTime ?? null,
    meetingLocation: overrides.meetingLocation ?? null,
    ...(overrides.invitees ? { invitees: overrides.invitees } : {}),
    carriedFromId: null,
    // insertPep wants someone: a system-made PEP is rare enough to be told
    createdBy: createdBy as string,
    at,
  })
  const state = overrides.state ?? 'in_progress'
  const past = (given: Date | null | undefined, reached: boolean) =>
    given === undefined ? (reached ? at : null) : given
  const submittedAt = past(overrides.submittedAt, state !== 'in_progress')
  const signedOffAt = past(overrides.signedOffAt, state === 'signed_off')
  const signedOffBy =
    overrides.signedOffBy === undefined
      ? state === 'signed_off'
        ? createdBy
        : null
      : overrides.signedOffBy
  if (state !== 'in_progress' || submittedAt || signedOffAt || signedOffBy)
    await db
      .updateTable('pep')
      .set({
        status: state,
        submitted_at: submittedAt,
        signed_off_at: signedOffAt,
        signed_off_by: signedOffBy,
      })
      .where('id', '=', pepId)
      .execute()
  for (const [pageId, answers] of Object.entries(overrides.pages ?? {}))
    await makePepPage(db, { pepId, pageId, answers, savedBy: createdBy, at })
  return pepId
}

export interface PepPageOverrides {
  pepId: string
  pageId: string
  answers: Record<string, unknown>
  /** Who saved it; null for a page no one saved through a form (carried over, made by a job). */
  savedBy: string | null
  at?: Date
}

/** A page of a PEP saved once (version 1) with these answers, as saving its form writes it. */
export async function makePepPage(db: Queryable, page: PepPageOverrides) {
  await writePage(db, {
    pepId: page.pepId,
    pageId: page.pageId,
    answers: page.answers as never,
    version: 1,
    // writePage wants someone: a page with no one's name is rare enough to be told
    savedBy: page.savedBy as string,
    at: page.at ?? MADE_AT,
    kind: 'saved',
  })
}

export interface DelegationOverrides {
  pepId: string
  /** The designated teacher it is delegated to, and the social worker delegating. */
  to: string
  by: string
  dueOn: CalendarDate
  /** The school's sections B and C unless told. */
  sections?: string[]
  /** The pages chosen; null (every page of the sections) unless told. */
  pages?: string[] | null
  at?: Date
}

/** A live delegation of a PEP's sections (issue 15), as delegating writes it; its id. */
export async function makeDelegation(db: Queryable, overrides: DelegationOverrides) {
  await insertDelegation(db, {
    pepId: overrides.pepId,
    to: overrides.to,
    by: overrides.by,
    sections: overrides.sections ?? ['B', 'C'],
    pages: overrides.pages ?? null,
    dueOn: overrides.dueOn,
    at: overrides.at ?? MADE_AT,
  })
  // A PEP has one live delegation of its own (its parts hang off it): the one just made.
  const row = await db
    .selectFrom('pep_delegation')
    .select('id')
    .where('pep_id', '=', overrides.pepId)
    .where('status', '=', 'delegated')
    .where('part_of', 'is', null)
    .executeTakeFirstOrThrow()
  return row.id
}

export interface LinkedPersonOverrides {
  /** The child they are linked to: their role is in the child's authority. */
  childId: string
  email?: string
  displayName?: string
  /** To sign in with a password (`hashPassword(...)`); none when not given. */
  passwordHash?: string | null
  /** Who put them on the child's list; nobody when not given. */
  addedBy?: string | null
  /** Their place on the child's list ended then (a placement that ended); live when not given. */
  removedAt?: Date | null
}

/** Someone outside the local authority linked to a child in a role (a carer, the young person). */
async function makeLinkedPerson(
  db: Queryable,
  role: 'carer' | 'young_person',
  overrides: LinkedPersonOverrides,
) {
  const child = await db
    .selectFrom('child')
    .select('authority_id')
    .where('id', '=', overrides.childId)
    .executeTakeFirstOrThrow()
  const user = await makeUser(db, {
    role,
    authorityId: child.authority_id,
    ...(overrides.email ? { email: overrides.email } : {}),
    ...(overrides.displayName ? { displayName: overrides.displayName } : {}),
    ...(overrides.passwordHash ? { passwordHash: overrides.passwordHash } : {}),
  })
  await linkToChild(db, {
    childId: overrides.childId,
    userId: user.id,
    capacity: role,
    addedBy: overrides.addedBy ?? null,
    removedAt: overrides.removedAt ?? null,
  })
  return user
}

/**
 * A carer looking after the child: an account with the carer role in the child's authority, on
 * the child's list as their carer (ADR 8).
 *
 *   const carer = await makeCarer(db, { childId, passwordHash })
 */
export function makeCarer(db: Queryable, overrides: LinkedPersonOverrides) {
  return makeLinkedPerson(db, 'carer', overrides)
}

/** The young person's own account for the child's record, on its list as the young person. */
export function makeYoungPerson(db: Queryable, overrides: LinkedPersonOverrides) {
  return makeLinkedPerson(db, 'young_person', overrides)
}

export interface ChildListPlace {
  childId: string
  userId: string
  capacity: Role
  /** When they were put on it: now (the database's clock) unless told. */
  addedAt?: Date
  addedBy?: string | null
  /** Their place ended then; live when not given. */
  removedAt?: Date | null
  /** Of an ended place: who ended it (nobody when not given), and why (`placement_ended`...). */
  removedBy?: string | null
  endReason?: AccessEndReason | null
  /**
   * Nothing is added when they are on the list already (the demo's lists follow its seed):
   * without it, a second live place is refused by the database.
   */
  unlessListed?: boolean
}

/**
 * Puts someone who already has an account on the child's list in a capacity (a carer of two
 * children, a second role), live unless `removedAt` is given (with who ended it and why).
 *
 *   await linkToChild(db, { childId, userId: teacher.id, capacity: 'designated_teacher' })
 *   await linkToChild(db, { childId, userId, capacity: 'carer', removedAt, endReason: 'placement_ended' })
 */
export async function linkToChild(db: Queryable, link: ChildListPlace) {
  const insert = db.insertInto('child_access').values({
    child_id: link.childId,
    user_id: link.userId,
    capacity: link.capacity,
    ...(link.addedAt ? { added_at: link.addedAt } : {}),
    added_by: link.addedBy ?? null,
    removed_at: link.removedAt ?? null,
    removed_by: link.removedBy ?? null,
    end_reason: link.endReason ?? null,
  })
  await (
    link.unlessListed
      ? insert.onConflict((oc) =>
          oc.columns(['child_id', 'user_id']).where('removed_at', 'is', null).doNothing(),
        )
      : insert
  ).execute()
}

export interface AttainmentEntryOverrides {
  childId: string
  subject?: string
  term: Term
  scale?: 'early-years' | 'primary' | 'gcse' | 'post-16'
  workingAt: string
  expected?: string
  target?: string | null
  recordedBy?: string | null
}

/** A current entry of a child's termly attainment (issue 19): Mathematics on the primary scale. */
export async function makeAttainmentEntry(
  db: Queryable,
  overrides: AttainmentEntryOverrides,
): Promise<void> {
  await db
    .insertInto('attainment_entry')
    .values({
      child_id: overrides.childId,
      subject: overrides.subject ?? 'Mathematics',
      academic_year: overrides.term.academicYear,
      term: overrides.term.name,
      scale: overrides.scale ?? 'primary',
      working_at: overrides.workingAt,
      expected: overrides.expected ?? 'expected',
      target: overrides.target ?? null,
      recorded_by: overrides.recordedBy ?? null,
      recorded_at: MADE_AT,
    })
    .execute()
}

export interface AttendancePeriodOverrides {
  childId: string
  schoolId: string
  startsOn: CalendarDate
  endsOn: CalendarDate
  possible: number
  attended: number
  /** Unauthorised sessions of the absence; the rest of it is authorised. */
  unauthorised?: number
  at?: Date
  /** The correction that replaced this period: it is then superseded at `at`. */
  supersededBy?: string
}

/** A period of a child's attendance, recorded on the child's record (issue 19); its id. */
export async function makeAttendancePeriod(
  db: Queryable,
  overrides: AttendancePeriodOverrides,
): Promise<string> {
  const at = overrides.at ?? MADE_AT
  const unauthorised = overrides.unauthorised ?? 0
  const row = await db
    .insertInto('attendance_period')
    .values({
      child_id: overrides.childId,
      school_id: overrides.schoolId,
      starts_on: overrides.startsOn,
      ends_on: overrides.endsOn,
      sessions_possible: overrides.possible,
      sessions_attended: overrides.attended,
      authorised_absence: overrides.possible - overrides.attended - unauthorised,
      unauthorised_absence: unauthorised,
      source: 'record',
      recorded_at: at,
      superseded_at: overrides.supersededBy ? at : null,
      superseded_by: overrides.supersededBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A child's current termly attainment, oldest term first, as the tests compare it. */
export function currentAttainment(db: Queryable, childId: string) {
  return db
    .selectFrom('attainment_entry')
    .select(['subject', 'academic_year', 'term', 'working_at', 'expected', 'target', 'scale'])
    .where('child_id', '=', childId)
    .where('superseded_at', 'is', null)
    .orderBy('academic_year')
    .orderBy('term')
    .orderBy('subject')
    .execute()
}

/**
 * Sets some of an authority's settings (the rest keep their values or defaults), as its
 * administrator would save them: a test that changes a line puts it back afterwards.
 *
 *   await setAuthoritySettings(db, authorityId, { attendanceTargetBelowPercent: 80 })
 */
export async function setAuthoritySettings(
  db: Queryable,
  authorityId: string,
  settings: Partial<AuthoritySettings>,
  at: Date = MADE_AT,
) {
  await saveAuthoritySettings(db, authorityId, settings, at)
}

export interface ClosureDayOverrides {
  authorityId: string
  onDate: CalendarDate
  /** Who added it (an administrator of the authority). */
  createdBy: string
  description?: string
  at?: Date
}

/** A day the authority's offices are closed, not counted as a working day. */
export async function makeClosureDay(db: Queryable, overrides: ClosureDayOverrides) {
  await addClosureDay(db, overrides.authorityId, {
    onDate: overrides.onDate,
    description: overrides.description ?? 'Offices closed',
    createdBy: overrides.createdBy,
    at: overrides.at ?? MADE_AT,
  })
}

/** A page of a PEP shared with the young person and their carer (or no longer, `shared: false`). */
export async function sharePepPage(
  db: Queryable,
  share: { pepId: string; pageId: string; by: string; shared?: boolean; at?: Date },
) {
  await setPageShared(db, {
    pepId: share.pepId,
    pageId: share.pageId,
    shared: share.shared ?? true,
    by: share.by,
    at: share.at ?? MADE_AT,
  })
}
