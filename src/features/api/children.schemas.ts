import { z } from 'zod'
import {
  CASE_REFERENCE_MAX,
  GENDERS,
  NAME_MAX,
  SEN_STATUS_NAMES,
  TEXT_MAX,
} from '../../domain/child-validation.ts'
import { CIRCUMSTANCE_KINDS } from '../../domain/education-circumstance.ts'
import { YEAR_GROUPS } from '../../domain/year-group.ts'
import type { ApiChildRow } from './api.repository.ts'

/* The API's shapes of a child: what it reads and what it sends to create or update one. */

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string]

export const CaseReferenceParams = z.object({
  caseReference: z
    .string()
    .min(1)
    .max(CASE_REFERENCE_MAX)
    .describe("The authority's case reference for the child, as in its case management system"),
})

/** A period of alternative provision, a part-time timetable or NEET (issue 17). */
export const EducationCircumstanceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(CIRCUMSTANCE_KINDS),
  startsOn: z.iso.date(),
  endsOn: z.iso.date().nullable().describe('The last day, once known'),
  provider: z.string().nullable().describe('For alternative provision'),
  hoursPerWeek: z.number().nullable().describe('For a part-time timetable'),
  reason: z.string().nullable().describe('For a part-time timetable'),
})

export const ChildSchema = z.object({
  caseReference: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  preferredName: z.string().nullable(),
  dateOfBirth: z.iso.date(),
  gender: z.enum(keys(GENDERS)),
  upn: z.string().nullable(),
  uln: z.string().nullable(),
  enteredCareOn: z.iso.date(),
  emergencyPlacement: z.boolean(),
  legalStatus: z.string().nullable(),
  placement: z.string().nullable(),
  school: z.object({ urn: z.string().nullable(), name: z.string() }).nullable(),
  senStatus: z.enum(keys(SEN_STATUS_NAMES)),
  yearGroupOverride: z.string().nullable(),
  socialWorker: z.object({ email: z.string(), name: z.string() }).nullable(),
  status: z.enum(['in_care', 'ceased']),
  ceasedOn: z.iso.date().nullable(),
  version: z.int(),
  updatedAt: z.iso.datetime(),
  educationCircumstances: z
    .array(EducationCircumstanceSchema)
    .describe(
      'Alternative provision, part-time timetables and NEET, the latest first; recorded with POST .../education-circumstances',
    ),
})

export type ApiChild = z.infer<typeof ChildSchema>

const optionalText = (max: number) => z.string().max(max).nullable().optional()

/**
 * Creating or updating a child. School, placement and social worker are set when the child is
 * created; afterwards they change through their own events (school-changes, placement-changes,
 * social-worker-changes), which end and grant access as the pages do.
 */
export const ChildInputSchema = z
  .object({
    firstName: z.string().max(NAME_MAX),
    lastName: z.string().max(NAME_MAX),
    preferredName: optionalText(NAME_MAX),
    dateOfBirth: z.iso.date(),
    gender: z.enum(keys(GENDERS)),
    upn: optionalText(20),
    uln: optionalText(20),
    enteredCareOn: z.iso.date(),
    emergencyPlacement: z.boolean().optional().default(false),
    legalStatus: optionalText(TEXT_MAX),
    placement: optionalText(TEXT_MAX).describe('Only when the child is created'),
    schoolUrn: z
      .string()
      .regex(/^\d{6}$/)
      .nullable()
      .optional()
      .describe("The URN of one of the authority's open schools; only when the child is created"),
    senStatus: z.enum(keys(SEN_STATUS_NAMES)).optional().default('none'),
    yearGroupOverride: z.enum(YEAR_GROUPS).nullable().optional(),
    socialWorkerEmail: z
      .string()
      .max(320)
      .nullable()
      .optional()
      .describe(
        "A social worker of the authority, the record's owner; only when the child is created",
      ),
  })
  .strict()

export type ChildInput = z.infer<typeof ChildInputSchema>

export const ChildWrittenSchema = z.object({
  created: z.boolean(),
  changed: z.array(z.string()).describe('The fields that changed (all of them when created)'),
  child: ChildSchema,
})

export function toApiChild(row: ApiChildRow): ApiChild {
  return {
    caseReference: row.caseReference,
    firstName: row.firstName,
    lastName: row.lastName,
    preferredName: row.preferredName,
    dateOfBirth: row.dateOfBirth,
    gender: row.gender as ApiChild['gender'],
    upn: row.upn,
    uln: row.uln,
    enteredCareOn: row.enteredCareOn,
    emergencyPlacement: row.emergencyPlacement,
    legalStatus: row.legalStatus,
    placement: row.placement,
    school: row.schoolId ? { urn: row.schoolUrn, name: row.schoolName ?? '' } : null,
    senStatus: row.senStatus,
    yearGroupOverride: row.yearGroupOverride,
    socialWorker:
      row.socialWorkerEmail && row.socialWorkerName
        ? { email: row.socialWorkerEmail, name: row.socialWorkerName }
        : null,
    status: row.status as ApiChild['status'],
    ceasedOn: row.ceasedOn,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    educationCircumstances: row.educationCircumstances.map((e) => ({
      ...e,
      hoursPerWeek: e.hoursPerWeek === null ? null : Number(e.hoursPerWeek),
    })),
  }
}
