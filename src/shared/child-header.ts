import type { FastifyReply, FastifyRequest } from 'fastify'
import { canAct } from '../domain/permissions.ts'
import { mayReadPart, type RecordPart } from '../domain/visibility.ts'
import { paths } from '../paths.ts'

export type ChildTab =
  | 'record'
  | 'peps'
  | 'education'
  | 'attainment'
  | 'circumstances'
  | 'notes'
  | 'documents'
  | 'history'
  | 'funding'
  | 'access-log'
  | 'data-rights'

/** A tab, and the part of the record it shows: a tab is there only for those who may read it. */
interface Tab {
  key: ChildTab
  text: string
  href: string
  part: RecordPart | null
}

/**
 * Whether the user reaches the child's record beyond the PEP of this request: not when their
 * only right is a delegation of pages (issue 15), whose holder reaches that PEP's routes alone.
 * Pages offer links into the record (tabs, back links, the record's documents and attendance)
 * only when this holds, so no link they see answers 404.
 */
export const reachesRecord = (request: FastifyRequest): boolean => request.delegatedPeps === null

/**
 * What every page of a child's record shows above its content: the child's name, and the
 * sub-navigation between the record's pages (only those the user's role may open).
 */
export function childPageModel(request: FastifyRequest, active: ChildTab) {
  const child = request.child!
  const role = request.actingRole
  const roles = role ? [role] : []
  const tabs = (
    [
      { key: 'record', text: 'Record', href: paths.children.show(child.id), part: null },
      { key: 'peps', text: 'PEPs', href: paths.peps.list(child.id), part: 'peps' },
      {
        key: 'education',
        text: 'Attendance and exclusions',
        href: paths.children.attendance(child.id),
        part: 'education',
      },
      {
        key: 'attainment',
        text: 'Attainment',
        href: paths.children.attainment(child.id),
        part: 'education',
      },
      {
        key: 'circumstances',
        text: 'Provision and timetable',
        href: paths.children.circumstances(child.id),
        part: 'education',
      },
      { key: 'notes', text: 'Notes', href: paths.children.notes(child.id), part: 'notes' },
      {
        key: 'documents',
        text: 'Documents',
        href: paths.children.documents(child.id),
        part: 'documents',
      },
      {
        key: 'history',
        text: 'School history and events',
        href: paths.children.history(child.id),
        part: 'events',
      },
    ] satisfies Tab[] as Tab[]
  ).filter((t) => reachesRecord(request) && (t.part === null || mayReadPart(role, t.part)))
  // Pupil Premium Plus (issue 18): for those who may see it.
  if (reachesRecord(request) && mayReadPart(role, 'funding') && canAct(roles, 'funding.view'))
    tabs.push({
      key: 'funding',
      text: 'Pupil Premium',
      href: paths.funding.child(child.id),
      part: 'funding',
    })
  if (reachesRecord(request) && canAct(roles, 'child.audit.read')) {
    tabs.push({
      key: 'access-log',
      text: 'Access log',
      href: paths.children.accessLog(child.id),
      part: null,
    })
  }
  // The data subject's rights (issue 22): the subject access export, for administrators.
  if (reachesRecord(request) && canAct(roles, 'data-rights.manage'))
    tabs.push({
      key: 'data-rights',
      text: 'Data rights',
      href: paths.children.dataRights(child.id),
      part: null,
    })
  return {
    childHeader: {
      id: child.id,
      name: `${child.firstName} ${child.lastName}`,
      ceased: child.status === 'ceased',
      reachesRecord: reachesRecord(request),
    },
    subNavigation: tabs.map((t) => ({ text: t.text, href: t.href, active: t.key === active })),
    // Nothing of the record beyond the PEP for a colleague given only its pages.
    can: mapValues(reachesRecord(request), {
      manageAccess: canAct(roles, 'child.access.manage'),
      inviteCarers: canAct(roles, 'child.carers.invite'),
      addNotes: canAct(roles, 'child.notes.add'),
      addDocuments: canAct(roles, 'child.documents.add'),
      recordEvents: canAct(roles, 'child.events.record'),
      editCoreData: canAct(roles, 'children.manage'),
      startPep: canAct(roles, 'pep.start'),
      recordEducation: canAct(roles, 'child.education.record'),
    }),
  }
}

/**
 * A child who has ceased to be in care keeps their record, read-only: every change is refused
 * with this page. Returns true when it has answered.
 */
export function refuseIfReadOnly(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.child?.status !== 'ceased') return false
  void reply.code(409).render('children/views/read-only.njk', {
    ...childPageModel(request, 'record'),
    pageTitle: 'This record is read-only',
  })
  return true
}

/** Each of the record's rights, kept only when the record beyond the PEP is reached. */
function mapValues<K extends string>(
  reaches: boolean,
  can: Record<K, boolean>,
): Record<K, boolean> {
  return Object.fromEntries(
    Object.entries(can).map(([key, value]) => [key, reaches && Boolean(value)]),
  ) as Record<K, boolean>
}
