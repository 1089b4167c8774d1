// Groups and datasource grants: the levels a grant may have, the two built-in groups, and
// the request bodies and paths of the group routes, shared by the admin page and the server.
import { z } from 'zod'
import { idSchema } from '../ids'

// `view`: results of saved queries, dashboards, runs of saved queries with parameters.
// `query`: also ad-hoc SQL, the schema browser, estimates and writing saved queries.
export const grantLevels = ['view', 'query'] as const
export type GrantLevel = (typeof grantLevels)[number]

export function levelAllows(held: GrantLevel, needed: GrantLevel): boolean {
  return grantLevels.indexOf(held) >= grantLevels.indexOf(needed)
}

// `admin`: the org's admins, passing every check; `everyone`: every member of the org.
// Both are made with the org, never renamed or deleted, and their members are implicit.
export const groupSystemKinds = ['admin', 'everyone'] as const
export type GroupSystemKind = (typeof groupSystemKinds)[number]

const groupName = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters')

export const newGroupBody = z.object({ name: groupName })
export const groupPatchBody = z.object({ name: groupName })
export const grantBody = z.object({ level: z.enum(grantLevels, { message: 'must be view or query' }) })

export const groupMemberParams = z.object({ id: idSchema, userId: idSchema })
export const datasourceGrantParams = z.object({ id: idSchema, groupId: idSchema })
