import { paths } from '../../paths.ts'
import type { ChildCore } from './child-admin.repository.ts'

/* The child-admin pages' titles and words (ADR 7). */

export const NEW_CHILD_TITLE = 'Add a child'
export const IMPORT_TITLE = 'Import children from a CSV file'

export const childAddedMessage = (child: { firstName: string; lastName: string }) =>
  `${child.firstName} ${child.lastName} added`

export const coreSavedMessage = (changed: number) =>
  changed === 0 ? 'Nothing was changed' : 'Core data saved'

export const childrenImportedMessage = (count: number, authorityName: string) =>
  `${count.toLocaleString('en-GB')} ${count === 1 ? 'child' : 'children'} added to ${authorityName}`

/** The page changing a child's core data: its title, and what is changed elsewhere. */
export function editPageModel(child: ChildCore) {
  return {
    pageTitle: `Change core data – ${child.firstName} ${child.lastName}`,
    mode: 'edit',
    action: paths.childAdmin.edit(child.id),
    backHref: paths.children.show(child.id),
    managedElsewhere: [
      {
        label: 'School or setting',
        value: child.schoolName ?? 'No school recorded',
        href: paths.children.changeSchool(child.id),
        linkText: 'Record a change of school',
      },
      {
        label: 'Placement',
        value: child.placement ?? 'Not recorded',
        href: paths.children.changePlacement(child.id),
        linkText: 'Record a change of placement',
      },
      {
        label: 'Record owner',
        value: child.recordOwnerName ?? 'No record owner',
        href: paths.children.changeOwner(child.id),
        linkText: 'Change the record owner',
      },
    ],
  }
}

export const conflictTitle = (child: ChildCore) =>
  `Someone else has changed this record – ${child.firstName} ${child.lastName}`
