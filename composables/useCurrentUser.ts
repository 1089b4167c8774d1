// Who is signed in, fetched once per page load and shared by every component.
import type { Role } from '#shared/roles'

export interface CurrentUser {
  user: { id: string, email: string, name: string }
  org: { id: string, name: string }
  role: Role
}

export function useCurrentUser() {
  const current = useState<CurrentUser | null>('current-user', () => null)

  async function refresh(): Promise<CurrentUser | null> {
    try {
      current.value = await $fetch<CurrentUser>('/api/auth/me')
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
