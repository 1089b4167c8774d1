// The signed-in user's stars, loaded once and shared by every star button and the home
// page's starred list; a click updates the list at once and then tells the server.
import type { FavoriteKind } from '#shared/schemas/favorites'

export interface FavoritesView {
  queries: { id: string, name: string, archived?: boolean }[]
  dashboards: { id: string, name: string }[]
}

export function useFavorites() {
  const favorites = useState<FavoritesView | null>('favorites', () => null)
  const error = useState<string | null>('favorites-error', () => null)

  async function load(force = false) {
    if (favorites.value && !force) return
    try {
      favorites.value = await $fetch<FavoritesView>('/api/favorites')
      error.value = null
    }
    catch (failure) {
      error.value = apiErrorMessage(failure)
    }
  }

  function isStarred(kind: FavoriteKind, id: string): boolean {
    return !!favorites.value?.[kind].some(entry => entry.id === id)
  }

  async function toggle(kind: FavoriteKind, id: string, name: string) {
    const starring = !isStarred(kind, id)
    if (favorites.value) {
      const list = favorites.value[kind].filter(entry => entry.id !== id)
      favorites.value = { ...favorites.value, [kind]: starring ? [{ id, name }, ...list] : list }
    }
    try {
      await $fetch(`/api/favorites/${kind}/${id}`, { method: starring ? 'PUT' : 'DELETE' })
    }
    catch (failure) {
      error.value = apiErrorMessage(failure)
      await load(true)
    }
  }

  return { favorites, error, load, isStarred, toggle }
}
