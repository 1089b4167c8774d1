// Request bodies for sign-in and user administration, shared by pages and server.
import { z } from 'zod'
import { roles } from '../roles'

export const loginBody = z.object({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(1024),
})

export const newMemberBody = z.object({
  email: z.email({ message: 'must be an email address' }).max(320),
  name: z.string().trim().min(1, 'is required').max(200),
  password: z.string().min(8, 'must be at least 8 characters').max(1024),
  role: z.enum(roles),
})

export const memberPatchBody = z.object({ role: z.enum(roles) })
