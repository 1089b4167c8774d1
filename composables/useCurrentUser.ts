// Who is signed in, fetched once per page load and shared by every component.
import type { Role } from '#shared/roles'

export interface CurrentUser {
  user: { id: string, email: string, name: string }
  org: { id: string, name: string, timezone?: string }
  role: Role
}

export function useCurrentUser() {
  const current = useState<CurrentUser | null>('current-user', () => null)

  async function refresh(): Promise<CurrentUser | null> {
    try {
      // /api/auth/session answers 200 for visitors too: no 401 in the console when signed out
      const session = await $fetch<(CurrentUser & { signedIn: true }) | { signedIn: false }>('/api/auth/session')
      current.value = session.signedIn ? { user: session.user, org: session.org, role: session.role } : null
    }
    catch {
      current.value = null
    }
    return current.value
  }

  async function signOut() {
    await $fetch('/api/auth/logout', { method: 'POST' })
    current.value = null
    await navigateTo('/login')
  }

  return { current, refresh, signOut }
}
