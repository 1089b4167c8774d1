// Request bodies for sign-in, passwords and user administration, shared by pages and server.
import { z } from 'zod'
import { roles } from '../roles'

// what a password set by a person (or for one) must be; sign-in accepts any non-empty one
const newPassword = z.string().min(8, 'must be at least 8 characters').max(1024)

export const loginBody = z.object({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(1024),
})

export const newMemberBody = z.object({
  email: z.email({ message: 'must be an email address' }).max(320),
  name: z.string().trim().min(1, 'is required').max(200),
  password: newPassword,
  role: z.enum(roles),
})

export const memberPatchBody = z.object({ role: z.enum(roles) })

/** A user changing their own password: the current one proves it is them, not a borrowed session. */
export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1, 'is required').max(1024),
  newPassword,
}).refine(body => body.newPassword !== body.currentPassword, { path: ['newPassword'], message: 'must differ from the current password' })
export type PasswordChange = z.infer<typeof passwordChangeBody>

/** An admin resetting a member's password: the one given, or (left out) one generated and shown once. */
export const passwordResetBody = z.object({ password: newPassword.optional() })
