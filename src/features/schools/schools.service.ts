import { sql } from 'kysely'
import type { Database } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import type { SchoolFields } from '../../domain/school.ts'
import { formatDate } from '../../views/format.ts'
import { findSchool, schoolRow, schoolVersion, type SchoolRow } from './schools.repository.ts'

/* Changes to schools, each in one transaction with its audit event. */

type Actor = PersonActor

export const SCHOOL_BATCH_SIZE = 1000

export async function addSchool(
  db: Database,
  actor: Actor,
  authorityId: string,
  fields: SchoolFields,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('school')
      .values(schoolRow(authorityId, fields, actor.today, actor.now))
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit(trx, actor, { action: 'school.add', authorityId, details: { schoolId: id } })
    return id
  })
}

export type SchoolUpdateResult = 'saved' | 'conflict' | 'gone'

/** Saves a change unless someone else changed the school since the form was opened. */
export async function updateSchool(
  db: Database,
  actor: Actor,
  authorityIds: string[],
  schoolId: string,
  seenVersion: string,
  fields: SchoolFields,
): Promise<SchoolUpdateResult> {
  return db.transaction().execute(async (trx) => {
    const current = await findSchool(trx, authorityIds, schoolId, true)
    if (!current) return 'gone'
    if (schoolVersion(current) !== seenVersion) return 'conflict'
    const changed = (
      [
        ['name', current.name, fields.name],
        ['urn', current.urn, fields.urn],
        ['dfeNumber', current.dfeNumber, fields.dfeNumber],
        ['type', current.type, fields.type],
        ['phase', current.phase, fields.phase],
        ['open', current.open, fields.open],
      ] as const
    )
      .filter(([, a, b]) => a !== b)
      .map(([name]) => name)
    await trx
      .updateTable('school')
      .set({
        name: fields.name,
        urn: fields.urn,
        dfe_number: fields.dfeNumber,
        type: fields.type,
        phase: fields.phase,
        open: fields.open,
        closed_on: fields.open ? null : (current.closedOn ?? actor.today),
        updated_at: actor.now,
      })
      .where('id', '=', schoolId)
      .execute()
    await audit(trx, actor, {
      action: 'school.update',
      authorityId: current.authorityId,
      details: { schoolId, fields: changed },
    })
    return 'saved'
  })
}

export interface Conversion {
  convertedOn: CalendarDate
  name: string
  urn: string
  dfeNumber: string
}

/**
 * An academy conversion: a new school (new URN and DfE number) whose predecessor is the old one,
 * the old one closed that day, and every child in care there moved across with their school
 * history ended and started ('academy conversion'), all in one transaction.
 */
export async function convertToAcademy(
  db: Database,
  actor: Actor,
  old: SchoolRow,
  conversion: Conversion,
): Promise<{ schoolId: string; children: number } | 'already-converted'> {
  const userId = actor.userId
  return db.transaction().execute(async (trx) => {
    const locked = await findSchool(trx, [old.authorityId], old.id, true)
    const successor = await trx
      .selectFrom('school')
      .select('id')
      .where('predecessor_id', '=', old.id)
      .executeTakeFirst()
    if (!locked || !locked.open || successor) return 'already-converted'
    const { id: newId } = await trx
      .insertInto('school')
      .values({
        authority_id: old.authorityId,
        name: conversion.name,
        urn: conversion.urn,
        dfe_number: conversion.dfeNumber,
        type: 'academy',
        phase: old.phase,
        open: true,
        predecessor_id: old.id,
        opened_on: conversion.convertedOn,
        updated_at: actor.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('school')
      .set({ open: false, closed_on: conversion.convertedOn, updated_at: actor.now })
      .where('id', '=', old.id)
      .execute()
    const moving = trx
      .selectFrom('child')
      .select('id')
      .where('school_id', '=', old.id)
      .where('status', '=', 'in_care')
    const children = await moving.execute()
    const ids = children.map((c) => c.id)
    const summary = `${old.name} converted to an academy on ${formatDate(conversion.convertedOn)}: now ${conversion.name} (URN ${conversion.urn})`
    for (let i = 0; i < ids.length; i += SCHOOL_BATCH_SIZE) {
      const batch = ids.slice(i, i + SCHOOL_BATCH_SIZE)
      await trx
        .updateTable('child_school')
        .set({ ended_on: conversion.convertedOn })
        .where('child_id', 'in', batch)
        .where('school_id', '=', old.id)
        .where('ended_on', 'is', null)
        .execute()
      await trx
        .insertInto('child_school')
        .values(
          batch.map((childId) => ({
            child_id: childId,
            school_id: newId,
            started_on: conversion.convertedOn,
            reason: 'academy conversion',
            recorded_by: userId,
          })),
        )
        .execute()
      await trx
        .updateTable('child')
        .set({ school_id: newId, version: sql<number>`version + 1`, updated_at: actor.now })
        .where('id', 'in', batch)
        .execute()
      await trx
        .insertInto('child_event')
        .values(
          batch.map((childId) => ({
            child_id: childId,
            kind: 'academy_conversion',
            occurred_on: conversion.convertedOn,
            summary,
            details: JSON.stringify({ previousSchoolId: old.id, schoolId: newId }),
            recorded_by: userId,
            recorded_at: actor.now,
          })),
        )
        .execute()
      const origin = actor.origin
      await trx
        .insertInto('audit_event')
        .values(
          batch.map((childId) => ({
            occurred_at: actor.now,
            user_id: userId,
            acting_role: actor.role,
            authority_id: old.authorityId,
            action: 'school.convert',
            outcome: 'success' as const,
            child_id: childId,
            method: origin?.method ?? null,
            path: origin?.path ?? null,
            ip: origin?.ip ?? null,
            user_agent: origin?.userAgent?.slice(0, 500) ?? null,
            request_id: origin?.requestId ?? null,
            details: JSON.stringify({ previousSchoolId: old.id, schoolId: newId }),
          })),
        )
        .execute()
    }
    // The school's designated teachers and people carry on at the academy.
    await trx
      .updateTable('membership')
      .set({ school_id: newId })
      .where('school_id', '=', old.id)
      .execute()
    await audit(trx, actor, {
      action: 'school.convert',
      authorityId: old.authorityId,
      details: { previousSchoolId: old.id, schoolId: newId, children: ids.length },
    })
    return { schoolId: newId, children: ids.length }
  })
}

export async function importSchools(
  db: Database,
  actor: Actor,
  authorityId: string,
  schools: SchoolFields[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    for (let i = 0; i < schools.length; i += SCHOOL_BATCH_SIZE)
      await trx
        .insertInto('school')
        .values(
          schools
            .slice(i, i + SCHOOL_BATCH_SIZE)
            .map((s) => schoolRow(authorityId, s, actor.today, actor.now)),
        )
        .execute()
    await audit(trx, actor, {
      action: 'schools.import',
      authorityId,
      details: { count: schools.length },
    })
    return schools.length
  })
}
