// Turns `Authorization: Bearer tsr_…` into the caller's auth, or refuses the request:
// 401 for a token that is unknown, revoked, expired or outgrown by its owner's role,
// 403 for a read-only token asked to change something. The first use of a token each
// day leaves an audit row.
import { createError, type H3Event } from 'h3'
import { recordAudit } from '../audit/record'
import { clientAddress } from './client-address'
import { checkApiToken, tokenScopeAllows, type ApiTokenAuth } from './api-tokens'

export async function authenticateBearer(event: H3Event, token: string): Promise<ApiTokenAuth> {
  const check = await checkApiToken(token)
  if (!check.ok) throw createError({ statusCode: 401, message: check.reason })
  const { auth } = check
  if (check.firstUseToday) {
    await recordAudit({
      orgId: auth.orgId,
      actor: { type: 'token', userId: auth.userId, apiTokenId: auth.apiTokenId },
      action: 'token.use',
      targetType: 'token',
      targetId: auth.apiTokenId,
      clientAddress: clientAddress(event),
      details: { method: event.method, path: event.path.split('?')[0] },
    })
  }
  if (!tokenScopeAllows(auth.apiTokenScope, event.method)) {
    throw createError({ statusCode: 403, message: 'This API token is read-only: it may only GET' })
  }
  return auth
}
