export default defineEventHandler((event) => {
  const { userId, email, name, orgId, orgName, role } = requireAuth(event)
  return { user: { id: userId, email, name }, org: { id: orgId, name: orgName }, role }
})
