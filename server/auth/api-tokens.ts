// API tokens for scripts and the CLI (`Authorization: Bearer tsr_...`). Like sessions,
// only the SHA-256 of the secret is stored; the secret is shown once, at creation.
import { and, eq } from 'drizzle-orm'
import { apiTokens, memberships, orgs, users } from '../../db/schema'
import { useDb } from '../utils/db'
import type { AuthContext } from './sessions'
import { generateSecretToken, hashSecretToken } from './secrets'

const TOKEN_PREFIX = 'tsr_'

export async function createApiToken(userId: string, orgId: string, name: string) {
  const token = TOKEN_PREFIX + generateSecretToken()
  const [row] = await useDb().insert(apiTokens)
    .values({ userId, orgId, name, tokenHash: hashSecretToken(token) })
    .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt })
  return { ...row!, token }
}

export async function validateApiToken(token: string): Promise<AuthContext | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const [row] = await useDb()
    .select({
      apiTokenId: apiTokens.id, userId: users.id, email: users.email, name: users.name,
      orgId: orgs.id, orgName: orgs.name, role: memberships.role,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(orgs, eq(orgs.id, apiTokens.orgId))
    .innerJoin(memberships, and(eq(memberships.userId, apiTokens.userId), eq(memberships.orgId, apiTokens.orgId)))
    .where(eq(apiTokens.tokenHash, hashSecretToken(token)))
  if (!row) return null
  await useDb().update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.apiTokenId))
  return row
}
