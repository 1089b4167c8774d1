// Route guards: every handler that touches org data calls one of these, and uses the
// returned orgId to scope its queries. The auth middleware has already resolved who
// is calling; these only decide whether that is enough.
import type { H3Event } from 'h3'
import type { AuthContext } from '../auth/sessions'
import { actionRoles, can, roleAtLeast, type Action, type Role } from '#shared/roles'

export function requireAuth(event: H3Event): AuthContext {
  const auth = event.context.auth as AuthContext | undefined
  if (!auth) throw createError({ statusCode: 401, message: 'Sign in to continue' })
  return auth
}

export function requireRole(event: H3Event, role: Role): AuthContext {
  const auth = requireAuth(event)
  if (!roleAtLeast(auth.role, role)) {
    throw createError({ statusCode: 403, message: `This needs the ${role} role; you are ${auth.role}` })
  }
  return auth
}

/** The caller, if their role may take this action (the table the pages' useCan reads too). */
export function requireCan(event: H3Event, action: Action): AuthContext {
  const auth = requireAuth(event)
  if (!can(auth.role, action)) {
    throw createError({ statusCode: 403, message: `This needs the ${actionRoles[action]} role; you are ${auth.role}` })
  }
  return auth
}
