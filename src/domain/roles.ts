/** The roles a user can hold in an authority (section 2 of the domain brief). */
export const ROLES = [
  'vs_admin',
  'vs_head',
  'vs_consultant',
  'business_support',
  'social_worker',
  'personal_advisor',
  'designated_teacher',
  'designated_person',
  'carer',
  'iro',
  'young_person',
  'auditor',
] as const

export type Role = (typeof ROLES)[number]

export const ROLE_NAMES: Record<Role, string> = {
  vs_admin: 'Virtual School administrator',
  vs_head: 'Virtual School head',
  vs_consultant: 'Virtual School consultant',
  business_support: 'Business support officer',
  social_worker: 'Social worker',
  personal_advisor: 'Personal advisor',
  designated_teacher: 'Designated teacher',
  designated_person: 'Designated person (post-16)',
  carer: 'Carer',
  iro: 'Independent reviewing officer',
  young_person: 'Young person',
  auditor: 'Read-only auditor',
}

/** Virtual School staff see every child of their authority; everyone else needs a place on the child's access list. */
export const VIRTUAL_SCHOOL_ROLES: readonly Role[] = [
  'vs_admin',
  'vs_head',
  'vs_consultant',
  'business_support',
]

/** Roles whose holders work on many children's records and so must use MFA. */
export const STAFF_ROLES: readonly Role[] = ROLES.filter(
  (r) => r !== 'carer' && r !== 'young_person',
)

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function isVirtualSchoolRole(role: Role): boolean {
  return VIRTUAL_SCHOOL_ROLES.includes(role)
}
