/** The name of the unique constraint or index a write broke (PostgreSQL 23505), if it broke one. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string } | null
  return e?.code === '23505' ? (e.constraint ?? '') : undefined
}

/** True when the error is PostgreSQL's unique violation (a race the checks could not see). */
export function isUniqueViolation(error: unknown): boolean {
  return uniqueViolation(error) !== undefined
}
