import { zipSync } from 'fflate'
import type { Database } from '../../db/connection.ts'
import { isYearGroup } from '../../domain/year-group.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import type { PersonActor } from '../../shared/actor.ts'
import { csvText } from '../../shared/export/csv.ts'
import { safeFilename } from '../../shared/download.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { FULL_READER } from '../peps/pep-context.ts'
import { pepPdfFor } from '../peps/pep-pdf.service.ts'
import { findPepOfChild } from '../peps/peps.service.ts'
import {
  auditAbout,
  childRow,
  FILE_COLUMNS,
  peopleNamed,
  rowsAbout,
  subjectIds,
  SUBJECT_TABLES,
  type Row,
} from './subject-access.repository.ts'

/*
 * A subject access export (issue 22, UK GDPR article 15): everything OpenPEP holds about one
 * child, for the Virtual School administrator answering the request. One ZIP:
 *
 * - `index.json` and `index.txt`: what each file holds and how many records;
 * - `data/<table>.json` and `csv/<table>.csv`: every row of every table about the child (the
 *   record, its access list and history, notes, documents' details, PEPs, every answer with each
 *   saved version, attendance, exclusions, attainment, Pupil Premium Plus, tasks), and the audit
 *   trail's events about them;
 * - `people.csv`: the names of the people the rows refer to by id;
 * - `documents/`: the documents' files; `peps/`: each PEP as a PDF (the one kept at sign-off,
 *   else made now and marked DRAFT), with every section, for a full reader.
 *
 * It is whole and unredacted: deciding what a third party's information in it may be released is
 * the administrator's job before it is sent (ADR 13).
 */

export interface IndexEntry {
  file: string
  holds: string
  records: number
}

export interface SubjectAccessPack {
  filename: string
  bytes: Uint8Array
  index: IndexEntry[]
}

export type SubjectAccessRefusal = 'not_found'

/** A cell of JSON: dates as ISO text, everything else as the database gave it. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return undefined
  return value
}

function plainRow(row: Row): Row {
  const out: Row = {}
  for (const [key, value] of Object.entries(row)) {
    if (FILE_COLUMNS.has(key)) continue
    out[key] = plain(value)
  }
  return out
}

/** Rows in one fixed order (the test clock ties timestamps): by id, else by their JSON. */
function ordered(rows: Row[]): Row[] {
  const key = (row: Row) => (typeof row['id'] === 'string' ? row['id'] : JSON.stringify(row))
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

async function csvOf(name: string, rows: Row[]): Promise<string> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  return csvText({
    title: name,
    columns: columns.map((column) => ({
      header: column,
      value: (row: Row) => {
        const value = row[column]
        if (value === null || value === undefined) return null
        if (typeof value === 'number') return value
        return typeof value === 'object' ? JSON.stringify(value) : String(value)
      },
    })),
    rows,
  })
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Columns naming a person (who wrote, changed, decided or was given something). */
const PERSON_COLUMN = /(^|_)(by|user_id|author_id|assigned_to|owner_id|subject_user_id)$/

export async function subjectAccessExport(
  db: Database,
  actor: PersonActor,
  childId: string,
): Promise<Result<SubjectAccessPack, SubjectAccessRefusal>> {
  const child = await childRow(db, childId)
  if (!child || (actor.authorityId && child['authority_id'] !== actor.authorityId))
    return refuse('not_found')
  const ids = await subjectIds(db, childId)
  const encoder = new TextEncoder()
  const files: Record<string, Uint8Array> = {}
  const index: IndexEntry[] = []
  const people = new Set<string>()
  const add = (file: string, holds: string, records: number, bytes: Uint8Array) => {
    files[file] = bytes
    index.push({ file, holds, records })
  }
  const addTable = async (name: string, holds: string, rows: Row[]) => {
    const plainRows = ordered(rows).map(plainRow)
    for (const row of plainRows)
      for (const [key, value] of Object.entries(row))
        if (PERSON_COLUMN.test(key) && typeof value === 'string' && UUID.test(value))
          people.add(value)
    add(
      `data/${name}.json`,
      holds,
      plainRows.length,
      encoder.encode(JSON.stringify(plainRows, null, 2)),
    )
    add(`csv/${name}.csv`, holds, plainRows.length, encoder.encode(await csvOf(name, plainRows)))
  }

  await addTable('child', 'The child’s record: core data as it stands', [child])
  for (const spec of [...SUBJECT_TABLES].reverse())
    await addTable(spec.table, spec.describe, await rowsAbout(db, spec, ids))
  await addTable(
    'audit_event',
    'The audit trail’s events about the child: who looked at or changed what, and when',
    await auditAbout(db, childId),
  )
  const named = await peopleNamed(db, [...people].sort())
  add(
    'people.csv',
    'The names of the people the other files refer to by id',
    named.length,
    encoder.encode(
      await csvOf(
        'people',
        named.map((p) => ({ id: p.id, name: p.display_name })),
      ),
    ),
  )

  // The documents' files, named by id so two of one name cannot collide.
  const documents = await db
    .selectFrom('child_document')
    .select(['id', 'filename', 'content', 'title'])
    .where('child_id', '=', childId)
    .orderBy('id')
    .execute()
  for (const d of documents) {
    const extension = /\.([A-Za-z0-9]{1,8})$/.exec(d.filename)?.[1] ?? 'bin'
    add(
      `documents/${d.id} ${safeFilename(d.filename, extension)}`,
      `Document: ${d.title}`,
      1,
      new Uint8Array(d.content),
    )
  }

  // Each PEP as a PDF, whole: the one kept at sign-off, else one made now (marked DRAFT).
  const childName = `${String(child['first_name'])} ${String(child['last_name'])}`
  const kept = new Map(
    (
      await db
        .selectFrom('pep_pdf')
        .select(['pep_id', 'content'])
        .where(
          'pep_id',
          'in',
          ids.pepIds.length ? ids.pepIds : ['00000000-0000-0000-0000-000000000000'],
        )
        .execute()
    ).map((p) => [p.pep_id, p.content]),
  )
  for (const pepId of [...ids.pepIds].sort()) {
    const row = await findPepOfChild(db, childId, pepId)
    const template = row && findTemplate(row.formType, row.templateVersion)
    if (!row || !template) continue
    const pep = {
      ...row,
      template,
      yearGroupValue: isYearGroup(row.yearGroup) ? row.yearGroup : null,
    }
    const content = await pepPdfFor(db, pep, FULL_READER, {
      childName,
      at: actor.now,
      kept: kept.get(pepId) ?? null,
    })
    add(
      `peps/${row.academicYear}-${row.term} ${pepId}.pdf`,
      kept.has(pepId)
        ? `The PEP for the ${row.term} term ${row.academicYear}, as signed off`
        : `The PEP for the ${row.term} term ${row.academicYear}, as it stands (DRAFT)`,
      1,
      new Uint8Array(content),
    )
  }

  const produced = {
    child: { id: childId, name: childName },
    producedAt: actor.now.toISOString(),
    producedBy: actor.userId,
    files: index,
  }
  files['index.json'] = encoder.encode(JSON.stringify(produced, null, 2))
  files['index.txt'] = encoder.encode(
    [
      `Subject access export: everything OpenPEP holds about ${childName}`,
      `Produced ${produced.producedAt}. Each table is given twice, as JSON (data/) and CSV (csv/).`,
      '',
      ...index.map((e) => `${e.file} (${e.records}): ${e.holds}`),
      '',
    ].join('\r\n'),
  )
  return ok({
    filename: safeFilename(`Subject access ${childName} ${actor.today}`, 'zip'),
    bytes: zipSync(files, { level: 6 }),
    index,
  })
}
