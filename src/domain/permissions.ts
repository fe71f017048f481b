import { ROLES, type Role } from './roles.ts'

const VS_STAFF = [
  'vs_admin',
  'vs_head',
  'vs_consultant',
  'business_support',
] as const satisfies readonly Role[]
/** Everyone who can be on a child's access list or see it as Virtual School staff. */
const EVERY_ROLE_ON_A_CHILD = ROLES

/**
 * Every action a route can require, and the roles that may take it. A route names one action;
 * the access plugin refuses anyone whose role (in the authority, or on the child's access
 * list for child routes) is not listed here.
 */
export const ACTIONS = {
  /** The paged list of every child in an authority. */
  'children.list': [...VS_STAFF, 'auditor'],
  /** Reading a child's record (child routes only). */
  'child.view': EVERY_ROLE_ON_A_CHILD,
  /** Adding people to and removing them from a child's access list. */
  'child.access.manage': VS_STAFF,
  /**
   * Inviting a carer to a child, sending the invitation again, withdrawing it (issue 20): the
   * child's social worker and the Virtual School.
   */
  'child.carers.invite': [...VS_STAFF, 'social_worker'],
  /** Writing a note on a child's record (notes are never edited). */
  'child.notes.add': [
    ...VS_STAFF,
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
    'iro',
  ],
  /** Uploading a document to a child's record. */
  'child.documents.add': [
    ...VS_STAFF,
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
  ],
  /** Recording a change of school, placement or record owner, or that the child ceased to be in care. */
  'child.events.record': [...VS_STAFF, 'social_worker', 'personal_advisor'],
  /**
   * Adding and correcting a child's attendance, exclusions and attainment (issue 19): the
   * professionals who write the PEP's education sections, and the Virtual School.
   */
  'child.education.record': [
    ...VS_STAFF,
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
  ],
  /** Importing many schools' attendance from a CSV file (issue 19). */
  'attendance.import': VS_STAFF,
  /** A child's access log: who looked at or changed the record. */
  'child.audit.read': ['vs_admin'],
  /** Users, memberships, roles, MFA resets, deactivation. */
  'admin.users': ['vs_admin'],
  /** A user's activity log. */
  'admin.audit.read': ['vs_admin', 'auditor'],
  /** Adding, editing, converting and importing the authority's schools. */
  'schools.manage': ['vs_admin'],
  /** Adding children, editing their core data and importing them from a CSV file. */
  'children.manage': VS_STAFF,
  /** Reading a child's PEPs: everyone on the child (IROs and carers read; see forms for writing). */
  'pep.view': EVERY_ROLE_ON_A_CHILD,
  /**
   * A blank PEP of a form type, to print for a meeting (issue 21): the staff who work on PEPs
   * and auditors; not the carer or the young person, who read only their parts of a PEP.
   */
  'pep.blank': ROLES.filter((role) => role !== 'carer' && role !== 'young_person'),
  /** Starting a PEP for a term. */
  'pep.start': [...VS_STAFF, 'social_worker', 'personal_advisor'],
  /**
   * Saving pages of a PEP. Which pages each role may change is the form template's rule
   * (a section's and page's editableBy), checked for every page.
   */
  'pep.edit': [
    ...VS_STAFF,
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
    'young_person',
    'carer',
  ],
  /**
   * Sharing a page of a PEP with the young person, or stopping (ADR 10): the professionals who
   * write the PEP. Which pages can be shared is the reading rules' (forms/reading.ts).
   */
  'pep.share': [
    ...VS_STAFF,
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
  ],
  /** Marking a section complete; the template names who completes each section. */
  'pep.complete': [
    'vs_head',
    'vs_consultant',
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
  ],
  /**
   * The steps in a PEP's life (delegate, submit, return, sign off ...). Which role may take
   * which step, and when, is the state machine's rule (domain/pep-workflow.ts).
   */
  'pep.workflow': [
    'vs_head',
    'vs_consultant',
    'business_support',
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
  ],
  /** Recording a PEP's meeting: who attended, apologies, the young person's views (issue 15). */
  'pep.meeting.record': [
    ...VS_STAFF,
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'designated_person',
  ],
  /** Which PEP questions the authority makes mandatory. */
  'forms.manage': ['vs_admin'],
  /** The authority's term windows, timescales, reminders, quality assurance and closure days. */
  'authority.settings': ['vs_admin'],
  /**
   * One's own tray of tasks and alerts (each shown only while its child may be seen). Not the
   * young person's: they have their own home instead (issue 20).
   */
  'tray.view': ROLES.filter((role) => role !== 'young_person'),
  /**
   * Downloading My work's list of the children one works with (issue 17). Staff only: carers and
   * young people have their own homes instead (issue 20).
   */
  'home.export': ROLES.filter((role) => role !== 'carer' && role !== 'young_person'),
  /**
   * The young person's own part (issue 20): their home, and telling us what they think. Only for
   * the account linked to the child who is them (ADR 10), never for staff.
   */
  'young-person.own': ['young_person'],
  /**
   * The carer's own home (issue 20): the children placed with them, their PEPs and meetings, in
   * plain words, instead of staff's My work. What it shows of each child is ADR 10's.
   */
  'carer.own': ['carer'],
  /** The group trays: picking up, releasing and reassigning the group's tasks. */
  'tray.group': ['vs_head', 'vs_consultant', 'business_support'],
  /**
   * The Virtual School's oversight of its whole cohort (ADR 11): the dashboard, the lists behind
   * its figures and their exports, the annual report. Auditors read it; only for the authorities
   * where the person holds one of these roles.
   */
  'oversight.view': [...VS_STAFF, 'auditor'],
  /** Sending the people responsible for overdue PEPs a reminder, from the overdue list. */
  'oversight.remind': ['vs_head', 'vs_consultant'],
  /** A child's Pupil Premium Plus: requests, decisions, money per year (issue 18). */
  'funding.view': [
    ...VS_STAFF,
    'social_worker',
    'personal_advisor',
    'designated_teacher',
    'iro',
    'auditor',
  ],
  /** Requesting funding for a SMART target, and recording its impact at the next review. */
  'funding.request': [...VS_STAFF, 'social_worker', 'personal_advisor', 'designated_teacher'],
  /** Deciding on a request: approve, approve a smaller amount, decline. */
  'funding.decide': ['vs_head', 'vs_consultant'],
  /** The authority's budget for each financial year, and its funding settings. */
  'funding.budget': ['vs_admin', 'vs_head'],
  /** Payment runs, marking them paid, and corrections. */
  'funding.pay': ['vs_admin'],
  /** The authority's Pupil Premium Plus figures and its spend and impact report. */
  'funding.oversee': [...VS_STAFF, 'auditor'],
  /**
   * The data subject's rights (issue 22): a child's subject access export, and the retention
   * review that erases records past their date (two administrators). Only for the authority's
   * Virtual School administrators, and on a child of their authority.
   */
  'data-rights.manage': ['vs_admin'],
} as const satisfies Record<string, readonly Role[]>

export type Action = keyof typeof ACTIONS

export function rolesFor(action: Action): readonly Role[] {
  return ACTIONS[action]
}

export function canAct(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = ACTIONS[action]
  return roles.some((role) => allowed.includes(role))
}

/** The first of the given roles that may take the action: the role the user is acting in. */
export function actingRoleFor(roles: readonly Role[], action: Action): Role | undefined {
  const allowed: readonly Role[] = ACTIONS[action]
  return roles.find((role) => allowed.includes(role))
}
