import { z } from 'zod'

export const NOTE_MAX_LENGTH = 10_000

export const noteSchema = z.object({
  kind: z.enum(['user_note', 'case_note'], { error: 'Select the type of note' }),
  body: z
    .string({ error: 'Enter the note' })
    .refine((value) => value.trim().length > 0, 'Enter the note')
    .refine(
      (value) => value.length <= NOTE_MAX_LENGTH,
      `The note must be ${NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
    ),
})
