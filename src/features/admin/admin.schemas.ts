import { z } from 'zod'
import { ROLES, type Role } from '../../domain/roles.ts'
import { validateForm, type FormErrors, type Validated } from '../../forms/validation.ts'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const NEEDS_SCHOOL: readonly Role[] = ['designated_teacher', 'designated_person']

const roleField = z.enum(ROLES, { error: 'Select a role' })
const authorityField = z.string({ error: 'Select an authority' }).min(1, 'Select an authority')
const schoolField = z
  .string()
  .optional()
  .transform((v) => (v ? v : null))

export const newUserSchema = z.object({
  email: z
    .string({ error: 'Enter an email address' })
    .trim()
    .min(1, 'Enter an email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .regex(EMAIL, 'Enter an email address in the correct format, like name@example.org'),
  displayName: z
    .string({ error: 'Enter their full name' })
    .trim()
    .min(1, 'Enter their full name')
    .max(200, 'Full name must be 200 characters or fewer'),
  authorityId: authorityField,
  role: roleField,
  schoolId: schoolField,
})

export const roleSchema = z.object({
  authorityId: authorityField,
  role: roleField,
  schoolId: schoolField,
})

export const childAccessSchema = z.object({
  caseReference: z
    .string({ error: 'Enter the child’s case reference' })
    .trim()
    .min(1, 'Enter the child’s case reference')
    .max(50, 'Case reference must be 50 characters or fewer'),
  capacity: z.enum(ROLES, { error: 'Select the role in which they will see the child' }),
})

const SCHOOL_MESSAGE = 'Select the school of the designated teacher or designated person'

/**
 * Validates a form that gives someone a role; a designated teacher or person must have a school.
 * That rule is checked beside the schema's own, so every mistake shows at once.
 */
export function validateRoleForm<S extends typeof newUserSchema | typeof roleSchema>(
  schema: S,
  body: unknown,
): Validated<z.infer<S>> {
  const result = validateForm(schema, body, { role: 'role' }) as Validated<z.infer<S>>
  const input = (body ?? {}) as Record<string, unknown>
  const needsSchool = NEEDS_SCHOOL.includes(input.role as Role) && !input.schoolId
  if (!needsSchool) return result
  const errors: FormErrors = result.ok ? { list: [], fields: {} } : result.errors
  errors.fields.schoolId = { text: SCHOOL_MESSAGE }
  errors.list.push({ text: SCHOOL_MESSAGE, href: '#schoolId' })
  return { ok: false, errors }
}

/** Adds one field's message to a form's errors (for rules the schema cannot know, such as "not your authority"). */
export function withFieldError(
  errors: FormErrors | undefined,
  field: string,
  text: string,
): FormErrors {
  const out: FormErrors = errors ?? { list: [], fields: {} }
  if (!out.fields[field]) {
    out.fields[field] = { text }
    out.list.push({ text, href: `#${field}` })
  }
  return out
}
