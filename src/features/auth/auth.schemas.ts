import { z } from 'zod'

export const signInSchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(
      z.email({ error: 'Enter an email address in the correct format, like name@example.org' }),
    ),
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(1024, 'Password must be 1,024 characters or fewer'),
})

export type SignInForm = z.infer<typeof signInSchema>
