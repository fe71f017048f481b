import type { Database } from '../../db/connection.ts'
import { isUniqueViolation } from '../uniqueness.ts'
import type { AuditAction } from '../../domain/audit.ts'
import type { CsvRow } from '../../domain/csv.ts'
import { checkImportRows, type ImportProblem, type ImportSpec } from '../../domain/import-rows.ts'
import { nothingImported, readCsvUpload } from '../../plugins/uploads.ts'
import { formError, type FormErrors } from '../../forms/validation.ts'
import { audit, type PersonActor } from '../actor.ts'
import type { ExportTable } from '../export/export-table.ts'

/*
 * The one import pipeline (ADR 7), for every CSV import: the file posted with the form
 * (plugins/uploads.ts), read by csv-parse (domain/csv.ts), every row checked by the import's
 * domain check (domain/import-rows.ts) before anything is saved, then all rows saved in one
 * transaction by the feature's service, or none. A refused file is audited as a failure with
 * its counts, and the page lists every bad row by line, column and reason.
 *
 * An import is: an `ImportSpec` (columns and the row check), the audit action, and a `save`
 * that writes every row in one transaction and audits the success.
 */

export interface ImportRequest<Value> {
  /** The file field of the posted form. */
  file: unknown
  maxBytes: number
  /** The import's columns and row check, made once the file is read (to look up what it names). */
  spec(file: { header: string[]; rows: CsvRow[] }): Promise<ImportSpec<Value>> | ImportSpec<Value>
  action: AuditAction
  authorityId: string
  /** Saves every row in one transaction (with its audit event); returns how many. */
  save(values: Value[]): Promise<number>
  /**
   * Said when the save breaks a uniqueness rule that the check could not see (someone added a
   * row with the same value meanwhile): nothing is saved and the file can be sent again.
   */
  raceMessage: string
}

export type ImportOutcome =
  | { ok: true; count: number }
  | {
      ok: false
      errors: FormErrors
      filename?: string
      problems?: ImportProblem[]
      rowCount?: number
    }

export async function runImport<Value>(
  db: Database,
  actor: PersonActor,
  request: ImportRequest<Value>,
): Promise<ImportOutcome> {
  const csv = readCsvUpload(request.file, request.maxBytes)
  if (!csv.ok) return { ok: false, errors: formError('file', csv.message), filename: csv.filename }
  const check = checkImportRows(await request.spec(csv), csv.header, csv.rows)
  if (!check.ok) {
    await audit(db, actor, {
      action: request.action,
      outcome: 'failure',
      authorityId: request.authorityId,
      details: { rows: check.rowCount, problems: check.problems.length },
    })
    return {
      ok: false,
      errors: nothingImported(check.problems.length),
      problems: check.problems,
      rowCount: check.rowCount,
      filename: csv.filename,
    }
  }
  try {
    return { ok: true, count: await request.save(check.rows.map((r) => r.value)) }
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    return { ok: false, errors: formError('file', request.raceMessage), filename: csv.filename }
  }
}

/** What an import page shows of a refused file: the message, and every problem by line. */
export function importPageModel(outcome?: Extract<ImportOutcome, { ok: false }>) {
  const problems = outcome?.problems ?? []
  return {
    errors: outcome?.errors,
    filename: outcome?.filename,
    rowCount: outcome?.rowCount,
    badLines: new Set(problems.map((p) => p.line)).size,
    problemRows: problems.map((p) => [
      { text: String(p.line) },
      { text: p.column },
      { text: p.message },
    ]),
  }
}

/** An import's template: a file with its header row alone, to fill in and send back. */
export function importTemplate(title: string, columns: readonly string[]): ExportTable<never> {
  return { title, columns: columns.map((header) => ({ header, value: () => '' })), rows: [] }
}
