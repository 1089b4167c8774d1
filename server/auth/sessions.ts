// Owns sign-in state, in the Lucia style: the browser holds a random token in an
// HttpOnly cookie, the database holds only its SHA-256. Sessions slide: one used in
// the second half of its life is extended. Never store or log the token itself.
import { and, eq, sql } from 'drizzle-orm'
import { deleteCookie, getCookie, getRequestProtocol, setCookie, type H3Event } from 'h3'
import { memberships, orgs, sessions, users } from '../../db/schema'
import { useConfig } from '../config'
import { preparedRead, useDb } from '../utils/db'
import type { Role } from '#shared/roles'
import { generateSecretToken, hashSecretToken } from './secrets'

export const SESSION_COOKIE = 'tessera_session'
const DAY_MS = 24 * 60 * 60 * 1000

export interface AuthContext {
  userId: string
  email: string
  name: string
  orgId: string
  orgName: string
  role: Role
  sessionId?: string
  apiTokenId?: string
}

function sessionLifetimeMs(): number {
  return useConfig().TESSERA_SESSION_DAYS * DAY_MS
}

export async function createSession(userId: string, orgId: string): Promise<{ token: string, expiresAt: Date }> {
  const token = generateSecretToken()
  const expiresAt = new Date(Date.now() + sessionLifetimeMs())
  await useDb().insert(sessions).values({ id: hashSecretToken(token), userId, orgId, expiresAt })
  return { token, expiresAt }
}

// asked on every signed-in request
const sessionById = preparedRead('session_by_id', (db, name) => db
  .select({
    sessionId: sessions.id, expiresAt: sessions.expiresAt,
    userId: users.id, email: users.email, name: users.name,
    orgId: orgs.id, orgName: orgs.name, role: memberships.role,
  })
  .from(sessions)
  .innerJoin(users, eq(users.id, sessions.userId))
  .innerJoin(orgs, eq(orgs.id, sessions.orgId))
  // a user removed from the org loses the session's access with it
  .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
  .where(eq(sessions.id, sql.placeholder('sessionId')))
  .prepare(name))

export async function validateSessionToken(token: string): Promise<(AuthContext & { expiresAt: Date }) | null> {
  const sessionId = hashSecretToken(token)
  const [row] = await sessionById().execute({ sessionId })
  if (!row) return null
  const now = Date.now()
  if (row.expiresAt.getTime() <= now) {
    await useDb().delete(sessions).where(eq(sessions.id, sessionId))
    return null
  }
  if (row.expiresAt.getTime() - now < sessionLifetimeMs() / 2) {
    row.expiresAt = new Date(now + sessionLifetimeMs())
    await useDb().update(sessions).set({ expiresAt: row.expiresAt }).where(eq(sessions.id, sessionId))
  }
  return row
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await useDb().delete(sessions).where(eq(sessions.id, sessionId))
}

function cookieIsSecure(event: H3Event): boolean {
  return useConfig().TESSERA_COOKIE_SECURE ?? getRequestProtocol(event, { xForwardedProto: true }) === 'https'
}

export function setSessionCookie(event: H3Event, token: string, expiresAt: Date): void {
  setCookie(event, SESSION_COOKIE, token, {
    httpOnly: true, sameSite: 'lax', secure: cookieIsSecure(event), path: '/', expires: expiresAt,
  })
}

export function readSessionCookie(event: H3Event): string | undefined {
  return getCookie(event, SESSION_COOKIE)
}

export function deleteSessionCookie(event: H3Event): void {
  deleteCookie(event, SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: cookieIsSecure(event), path: '/' })
}
