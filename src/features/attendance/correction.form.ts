import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FormErrors } from '../../forms/validation.ts'
import type { Result } from '../../shared/result.ts'

/*
 * Correcting a recorded entry (issue 19): an attendance period and an exclusion are corrected the
 * same way, so the way is written once. The entry is the one the route's pre-handler loaded
 * (correction-context.ts: no such entry is 404 before this); the form
 * is read, and its problems shown with what was typed (400); the service corrects it, or its
 * refusal is shown with what was typed (409); then a message, and back to where the entry is
 * listed. Each caller says how to read its form, render it and save it.
 */

/** The form as shown again: what was typed, and its problems or the service's refusal. */
export interface CorrectionForm<Typed> {
  typed: Typed
  errors?: FormErrors
  refusal?: string
  status: number
}

export async function submitCorrection<
  Found,
  Typed,
  Read extends { ok: true; typed: Typed },
  Code extends string,
>(
  request: FastifyRequest,
  reply: FastifyReply,
  steps: {
    found: Found
    read: () => Read | { ok: false; typed: Typed; errors: FormErrors }
    render: (form: CorrectionForm<Typed>, found: Found) => unknown
    save: (form: Read, found: Found) => Promise<Result<unknown, Code>>
    refusals: Readonly<Record<Code, string>>
    done: { message: string; to: string }
  },
): Promise<unknown> {
  const { found } = steps
  const form = steps.read()
  if (!form.ok) return steps.render({ typed: form.typed, errors: form.errors, status: 400 }, found)
  const saved = await steps.save(form, found)
  if (!saved.ok)
    return steps.render(
      { typed: form.typed, refusal: steps.refusals[saved.error.code], status: 409 },
      found,
    )
  request.flash('success', steps.done.message)
  return reply.redirect(steps.done.to, 303)
}
