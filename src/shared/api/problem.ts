import type { FastifyReply } from 'fastify'
import { z } from 'zod'

/*
 * Errors as RFC 9457 problem details (`application/problem+json`). `type` is `about:blank` for
 * a plain HTTP refusal (401, 403, 404, 429) and `urn:openpep:problem:<code>` for a rule of
 * OpenPEP's, whose `code` is the same stable code the pages' services answer with (ADR 7), so a
 * client can act on it. Validation problems list each field, as a JSON Pointer into what was sent.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export const FieldProblemSchema = z.object({
  pointer: z.string().describe('A JSON Pointer (RFC 6901) to the field, like /movedOn'),
  in: z.enum(['body', 'path', 'query', 'header']),
  code: z.string(),
  detail: z.string(),
})

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string().optional().describe("OpenPEP's stable code for the refusal"),
  errors: z.array(FieldProblemSchema).optional(),
})

export type FieldProblem = z.infer<typeof FieldProblemSchema>
export type Problem = z.infer<typeof ProblemSchema>

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

export const titleOf = (status: number) => TITLES[status] ?? 'Error'

/** A refusal by one of OpenPEP's rules: its code names the problem type. */
export function ruleProblem(
  status: number,
  code: string,
  detail: string,
  errors?: FieldProblem[],
): Problem {
  return {
    type: `urn:openpep:problem:${code}`,
    title: titleOf(status),
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  }
}

/** A plain HTTP refusal. */
export function httpProblem(status: number, detail?: string): Problem {
  return { type: 'about:blank', title: titleOf(status), status, ...(detail ? { detail } : {}) }
}

export function sendProblem(reply: FastifyReply, problem: Problem, instance?: string) {
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, ...(instance ? { instance } : {}) })
}

/** The problem of a request whose fields broke the schema: every field named. */
export function validationProblem(errors: FieldProblem[]): Problem {
  return ruleProblem(
    400,
    'api.validation',
    `${errors.length === 1 ? 'A field is' : `${errors.length} fields are`} not valid: ${errors
      .map((e) => e.pointer)
      .join(', ')}`,
    errors,
  )
}

/** zod's issues as field problems, each with a JSON Pointer to what it is about. */
export function fieldProblems(
  issues: z.core.$ZodIssue[],
  where: FieldProblem['in'],
): FieldProblem[] {
  return issues.flatMap((issue) => {
    const keys =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path]
    return keys.map((path) => ({
      pointer: `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
      in: where,
      code: issue.code === 'unrecognized_keys' ? 'unknown_field' : issue.code,
      detail:
        issue.code === 'unrecognized_keys'
          ? 'This field is not part of the request'
          : issue.message,
    }))
  })
}
