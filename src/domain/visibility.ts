import { ROLES, STAFF_ROLES, type Role } from './roles.ts'

/*
 * Who may read what (ADR 10): the one rule every page, print view, history and PDF asks before it
 * shows a part of a child's record or of a PEP. Which audience each part has is data: the
 * record's parts below, the PEP form's sections, pages and questions in
 * forms/templates/reading-rules.ts (by id, for every template version at once). Nothing else
 * decides; a view shows what this allows and nothing more.
 */

/** Who an audience is, by role. */
export const AUDIENCES = {
  /** Restricted: the professionals on the child, never the carer or the young person. */
  staff: STAFF_ROLES,
  /** The PEP's default: staff and the carer; the young person too once staff share it with them. */
  'staff-and-carer': [...STAFF_ROLES, 'carer'],
  /** Everyone on the child, the young person included. */
  everyone: ROLES,
} as const satisfies Record<string, readonly Role[]>

export type Audience = keyof typeof AUDIENCES

/** From the narrowest to the widest: a question can only narrow its page's audience. */
const BREADTH: readonly Audience[] = ['staff', 'staff-and-carer', 'everyone']

export const isAudience = (value: unknown): value is Audience =>
  typeof value === 'string' && (BREADTH as readonly string[]).includes(value)

/** The narrower of two audiences. */
export function narrower(a: Audience, b: Audience): Audience {
  return BREADTH.indexOf(a) <= BREADTH.indexOf(b) ? a : b
}

/**
 * The parts of a child's record (and of a PEP outside its form), and who reads each. The carer
 * reads the record only as far as a carer needs it: the school, the PEPs and their meetings, and
 * who the professionals are and how to reach them.
 */
export const RECORD_PARTS = {
  /** The child's name and preferred name. */
  name: 'everyone',
  /** The school or setting they attend now (its name). */
  school: 'everyone',
  /** The list of PEPs and their meetings (term, date, time, place, contact). */
  peps: 'everyone',
  /** The professionals working with the child: names, roles and email addresses. */
  professionals: 'staff-and-carer',
  /** Year group, age, days in care, SEN status. */
  'key-indicators': 'staff',
  /** Date of birth, gender, UPN, ULN, case reference, care dates, legal status, placement, owner. */
  'core-data': 'staff',
  /** Who has access to the record, since when and who added them. */
  'access-list': 'staff',
  notes: 'staff',
  documents: 'staff',
  /** The school history and the events recorded on the record. */
  events: 'staff',
  /** Attendance, exclusions and attainment over time (issue 19). */
  education: 'staff',
  /** A PEP's meeting record: who attended, apologies, how the young person's views were given. */
  'meeting-record': 'staff',
  /** A PEP's workflow: deadlines, progress, who it is with, the timeline of its steps. */
  'pep-progress': 'staff',
  /** Pupil Premium Plus: requests, decisions and money (issue 18). */
  funding: 'staff',
  /**
   * What a carer sent for a PEP meeting (issue 20): what is going well, their worries, what would
   * help. For staff and the carers, not the young person it is about.
   */
  'carer-views': 'staff-and-carer',
} as const satisfies Record<string, Audience>

export type RecordPart = keyof typeof RECORD_PARTS

/** A part of a PEP's form, with what the rule needs to know about it. */
export interface PepFormItem {
  kind: 'pep'
  /** The audience the reading rules give it (see forms/reading.ts). */
  audience: Audience
  /** Whether the reader's role may change the page it is on: who writes a page reads it whole. */
  editableByReader: boolean
  /** Whether staff have shared its page with the young person in this PEP. */
  sharedWithYoungPerson: boolean
}

export type ReadableItem = { kind: 'record'; part: RecordPart } | PepFormItem

/**
 * May someone acting in `role` read `item`? Staff read everything; the carer what is not
 * restricted; the young person what is for everyone and what staff have shared with them (never
 * what is restricted). No role (nobody signed in) reads nothing.
 */
export function mayRead(role: Role | null, item: ReadableItem): boolean {
  if (role === null) return false
  if (item.kind === 'record') return inAudience(role, RECORD_PARTS[item.part])
  if (item.editableByReader) return true
  if (inAudience(role, item.audience)) return true
  return role === 'young_person' && item.sharedWithYoungPerson && item.audience !== 'staff'
}

function inAudience(role: Role, audience: Audience): boolean {
  return (AUDIENCES[audience] as readonly Role[]).includes(role)
}

/** Shorthand for a record part. */
export const mayReadPart = (role: Role | null, part: RecordPart): boolean =>
  mayRead(role, { kind: 'record', part })
