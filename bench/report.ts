import { cpus, totalmem } from 'node:os'

/* The bench's table: figure, budget, measured, pass or fail. */

export interface Row {
  figure: string
  budget: string
  measured: string
  /** undefined: measured for information, or not measured. */
  pass?: boolean
}

export function machine(): string {
  const cpu = cpus()
  return `${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB memory, Node ${process.version}, ${process.platform}`
}

export function table(rows: Row[]): string {
  const lines = ['| figure | budget | measured | result |', '| --- | --- | --- | --- |']
  for (const r of rows)
    lines.push(
      `| ${r.figure} | ${r.budget} | ${r.measured} | ${r.pass === undefined ? '–' : r.pass ? 'pass' : '**FAIL**'} |`,
    )
  return lines.join('\n')
}

export const ms = (value: number) => `${Math.round(value)} ms`
