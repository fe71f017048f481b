/*
 * The one shape a service or a rule answers with (ADR 7): a value, or a refusal as a code and
 * its parameters. Codes are stable words for machines (the API returns them, tests assert them);
 * a presenter turns them into a sentence a person reads.
 */

/** Why something was refused: `code` is a stable name, `params` what the words need. */
export interface Refusal<Code extends string = string> {
  code: Code
  params?: Readonly<Record<string, string | number>>
}

export type Result<T, Code extends string = string> =
  { ok: true; value: T } | { ok: false; error: Refusal<Code> }

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value })

export const refuse = <Code extends string>(
  code: Code,
  params?: Refusal<Code>['params'],
): { ok: false; error: Refusal<Code> } => ({
  ok: false,
  error: params === undefined ? { code } : { code, params },
})
