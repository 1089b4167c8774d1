// API tokens: the scopes a token may have and the body that creates one, shared by the
// settings page and the server.
import { z } from 'zod'

export const apiTokenScopes = ['read', 'write'] as const
export type ApiTokenScope = (typeof apiTokenScopes)[number]

// a token is for scripts that run for a while, but not forever
export const MAX_TOKEN_LIFETIME_DAYS = 3650

export const newApiTokenBody = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  // `read` tokens may only read (GET); `write` tokens may also change things their owner may change
  scope: z.enum(apiTokenScopes).default('write'),
  expiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
    .refine(value => Date.parse(value) > Date.now(), 'must be in the future')
    .refine(value => Date.parse(value) < Date.now() + MAX_TOKEN_LIFETIME_DAYS * 86_400_000, `must be within ${MAX_TOKEN_LIFETIME_DAYS} days`)
    .optional(),
})
export type NewApiToken = z.infer<typeof newApiTokenBody>
