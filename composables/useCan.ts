// Which controls the signed-in user may use: the pages' side of the one action table in
// shared/roles.ts (the server's requireCan reads the same table), so a page never shows
// a button the server would refuse.
import { can as roleCan, type Action } from '~~/shared/roles'

export function useCan() {
  const { current } = useCurrentUser()
  return (action: Action): boolean => !!current.value && roleCan(current.value.role, action)
}
