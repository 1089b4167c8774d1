// Every page but /login needs a signed-in user; the server checks again on every API call.
export default defineNuxtRouteMiddleware(async (to) => {
  const { current, refresh } = useCurrentUser()
  if (!current.value) await refresh()
  if (to.path === '/login') {
    if (current.value) return navigateTo('/')
    return
  }
  if (!current.value) return navigateTo({ path: '/login', query: { next: to.fullPath } })
})
