// API tokens for scripts and the CLI (`Authorization: Bearer tsr_...`). Like sessions,
// only the SHA-256 of the secret is stored; the secret is shown once, at creation.
// A token carries the role its owner had when it was made and a scope (`read`: GET and
// HEAD only). It is checked against the owner's membership on every request, so it
// stops working the moment it is revoked, expires, or its owner leaves the org or is
// demoted below the token's role; it never acts with more than its owner has now.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import { apiTokens, memberships, orgs, users } from '../../db/schema'
import { roleAtLeast, type Role } from '#shared/roles'
import type { ApiTokenScope, NewApiToken } from '#shared/schemas/tokens'
import { preparedRead, useDb } from '../utils/db'
import type { AuthContext } from './sessions'
import { generateSecretToken, hashSecretToken } from './secrets'

const TOKEN_PREFIX = 'tsr_'
const READ_METHODS = new Set(['GET', 'HEAD'])
// last-used is a hint for people, not a ledger: one write a minute per token is plenty
const LAST_USED_RESOLUTION = sql`interval '1 minute'`

export type ApiTokenAuth = AuthContext & { apiTokenId: string, apiTokenScope: ApiTokenScope }

export type ApiTokenCheck =
  | { ok: true, auth: ApiTokenAuth, firstUseToday: boolean }
  | { ok: false, reason: string }

const listedColumns = {
  id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope, role: apiTokens.role,
  createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, expiresAt: apiTokens.expiresAt,
}

export async function createApiToken(owner: { userId: string, orgId: string, role: Role }, input: NewApiToken) {
  const token = TOKEN_PREFIX + generateSecretToken()
  const [row] = await useDb().insert(apiTokens)
    .values({
      userId: owner.userId, orgId: owner.orgId, role: owner.role, name: input.name, scope: input.scope,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null, tokenHash: hashSecretToken(token),
    })
    .returning(listedColumns)
  return { ...row!, token }
}

/** The owner's tokens in this org, newest first; never the secret or its hash. */
export async function listApiTokens(orgId: string, userId: string) {
  return useDb().select(listedColumns).from(apiTokens)
    .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.userId, userId)))
    .orderBy(desc(apiTokens.createdAt))
}

/** Deletes the owner's token; undefined when it is not theirs (or not in this org). */
export async function revokeApiToken(orgId: string, userId: string, tokenId: string) {
  const [row] = await useDb().delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.orgId, orgId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id, name: apiTokens.name })
  return row
}

export function tokenScopeAllows(scope: ApiTokenScope, method: string): boolean {
  return scope === 'write' || READ_METHODS.has(method.toUpperCase())
}

// asked on every request that carries a bearer token
const tokenByHash = preparedRead('api_token_by_hash', (db, name) => db
  .select({
    apiTokenId: apiTokens.id, apiTokenScope: apiTokens.scope, tokenRole: apiTokens.role, expiresAt: apiTokens.expiresAt,
    userId: users.id, email: users.email, name: users.name,
    orgId: orgs.id, orgName: orgs.name, memberRole: memberships.role,
  })
  .from(apiTokens)
  .innerJoin(users, eq(users.id, apiTokens.userId))
  .innerJoin(orgs, eq(orgs.id, apiTokens.orgId))
  // a token whose owner left the org finds no membership and so opens nothing
  .innerJoin(memberships, and(eq(memberships.userId, apiTokens.userId), eq(memberships.orgId, apiTokens.orgId)))
  .where(eq(apiTokens.tokenHash, sql.placeholder('tokenHash')))
  .prepare(name))

export async function checkApiToken(token: string): Promise<ApiTokenCheck> {
  if (!token.startsWith(TOKEN_PREFIX)) return { ok: false, reason: 'Invalid API token' }
  const [row] = await tokenByHash().execute({ tokenHash: hashSecretToken(token) })
  if (!row) return { ok: false, reason: 'Invalid API token' }
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'This API token has expired' }
  if (!roleAtLeast(row.memberRole, row.tokenRole)) {
    return { ok: false, reason: `This API token was made for the ${row.tokenRole} role, which its owner no longer has` }
  }
  const { tokenRole, memberRole: _memberRole, expiresAt: _expiresAt, ...identity } = row
  const firstUseToday = await markUsed(row.apiTokenId)
  return { ok: true, auth: { ...identity, role: tokenRole }, firstUseToday }
}

/**
 * Records the token's last use and says whether this is its first use of the (UTC) day.
 * The row lock makes concurrent first uses agree: exactly one of them sees yesterday.
 */
async function markUsed(tokenId: string): Promise<boolean> {
  const result = await useDb().execute<{ first_today: boolean }>(sql`
    WITH previous AS (
      SELECT id, last_used_at FROM ${apiTokens} WHERE id = ${tokenId} FOR UPDATE
    )
    UPDATE ${apiTokens} SET last_used_at = now()
    FROM previous
    WHERE ${apiTokens.id} = previous.id
      AND (previous.last_used_at IS NULL
        OR previous.last_used_at < now() - ${LAST_USED_RESOLUTION}
        OR ${utcDay(sql`previous.last_used_at`)} < ${utcDay(sql`now()`)})
    RETURNING previous.last_used_at IS NULL OR ${utcDay(sql`previous.last_used_at`)} < ${utcDay(sql`now()`)} AS first_today`)
  return result.rows[0]?.first_today === true
}

function utcDay(instant: SQL) {
  return sql`date_trunc('day', ${instant} AT TIME ZONE 'UTC')`
}
