import type { CsvRow } from './csv.ts'

/*
 * The checking step of the one import pipeline (ADR 7), pure: the header against the columns
 * an import knows, then every row through the import's own domain check, with the values that
 * must differ between rows (a case reference, a URN, a UPN) compared across the whole file.
 * Either every row is good, or every problem is listed by line, column and reason.
 */

export interface ImportProblem {
  /** The line of the file (the header is line 1). */
  line: number
  column: string
  message: string
}

/** A problem the import's own check found in a row, by column. */
export interface CellProblem {
  column: string
  message: string
}

export type RowCheck<Value> = { ok: true; value: Value } | { ok: false; problems: CellProblem[] }

/**
 * A domain validator's answer, its problems named by the file's columns instead of its fields,
 * each code put into words by the import's messages (ADR 7: rules answer with codes).
 */
export function byColumn<Value, Field extends string, Problem extends { field: Field }>(
  result: { ok: true; value: Value } | { ok: false; problems: Problem[] },
  columnOf: Readonly<Record<Field, string>>,
  words: (problem: Problem) => string,
): RowCheck<Value> {
  if (result.ok) return result
  return {
    ok: false,
    problems: result.problems.map((p) => ({ column: columnOf[p.field], message: words(p) })),
  }
}

export interface ImportSpec<Value> {
  /** What the rows are, in the plural: "The file has no children in it". */
  plural: string
  columns: readonly string[]
  required: readonly string[]
  maxRows?: number
  /** Columns whose (normalised) value must differ on every row of the file, and their label. */
  distinct?: readonly { column: string; label: string; normalise?: (cell: string) => string }[]
  /** The import's domain check of one row; `cell` reads a column ('' when absent). */
  checkRow(cell: (column: string) => string, line: number): RowCheck<Value>
}

export type ImportCheck<Value> =
  | { ok: true; rows: { line: number; value: Value }[] }
  | { ok: false; problems: ImportProblem[]; rowCount: number }

/** Checks the header, then every row; either every row is good or every problem is listed. */
export function checkImportRows<Value>(
  spec: ImportSpec<Value>,
  header: readonly string[],
  rows: readonly CsvRow[],
): ImportCheck<Value> {
  const problems: ImportProblem[] = []
  const known = new Set(spec.columns)
  for (const column of header)
    if (!known.has(column))
      problems.push({
        line: 1,
        column: column || '(empty)',
        message: `Unknown column "${column}": use the columns of the template`,
      })
  for (const column of spec.required)
    if (!header.includes(column))
      problems.push({ line: 1, column, message: `The file has no ${column} column` })
  if (rows.length === 0)
    problems.push({ line: 2, column: '', message: `The file has no ${spec.plural} in it` })
  if (spec.maxRows !== undefined && rows.length > spec.maxRows)
    problems.push({
      line: 1,
      column: '',
      message: `The file has ${rows.length} rows: import at most ${spec.maxRows.toLocaleString('en-GB')} at a time`,
    })
  if (problems.length > 0) return { ok: false, problems, rowCount: rows.length }

  const index = new Map(header.map((column, i) => [column, i]))
  const reader = (row: CsvRow) => (column: string) => {
    const i = index.get(column)
    return i === undefined ? '' : (row.cells[i] ?? '')
  }
  const repeats = (spec.distinct ?? []).map((d) => ({
    ...d,
    lines: findDuplicates(
      rows
        .map((row) => ({ line: row.line, key: (d.normalise ?? same)(reader(row)(d.column)) }))
        .filter((r) => r.key !== ''),
    ),
  }))

  const good: { line: number; value: Value }[] = []
  for (const row of rows) {
    if (row.cells.length > header.length)
      problems.push({
        line: row.line,
        column: '',
        message: `The row has ${row.cells.length} cells but the header has ${header.length}: check for a comma that should be in quotes`,
      })
    const result = spec.checkRow(reader(row), row.line)
    const rowProblems = result.ok ? [] : [...result.problems]
    for (const repeat of repeats) {
      const duplicate = repeat.lines.get(row.line)
      if (duplicate && !rowProblems.some((p) => p.column === repeat.column))
        rowProblems.push({
          column: repeat.column,
          message: `${repeat.label} ${duplicate.key} is also on line ${duplicate.firstLine}`,
        })
    }
    for (const p of rowProblems) problems.push({ line: row.line, ...p })
    if (result.ok && rowProblems.length === 0) good.push({ line: row.line, value: result.value })
  }
  if (problems.length > 0) return { ok: false, problems, rowCount: rows.length }
  return { ok: true, rows: good }
}

const same = (cell: string) => cell

/** Ties a list of the same values to the line where each first appeared. */
export function findDuplicates<T>(
  items: { line: number; key: T }[],
): Map<number, { key: T; firstLine: number }> {
  const first = new Map<T, number>()
  const duplicates = new Map<number, { key: T; firstLine: number }>()
  for (const { line, key } of items) {
    const seen = first.get(key)
    if (seen === undefined) first.set(key, line)
    else duplicates.set(line, { key, firstLine: seen })
  }
  return duplicates
}
