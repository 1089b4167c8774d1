// Who a run started from a request belongs to: the signed-in user, or the API token they
// used (trigger `api`, and the token on the run's audit row).
import type { AuthContext } from '../auth/sessions'

export function startedBy(auth: AuthContext) {
  return { trigger: auth.apiTokenId ? 'api' : 'user', triggeredBy: auth.userId, apiTokenId: auth.apiTokenId } as const
}
