// Groups and datasource grants: the levels a grant may have, the two built-in groups, the
// request bodies and paths of the group routes and the shapes they answer, shared by the
// admin page and the server.
import { z } from 'zod'
import { idSchema } from '../ids'
import type { Role } from '../roles'

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

export interface GroupGrantView { datasourceId: string, datasourceName: string, level: GrantLevel }
export interface GroupMemberView { id: string, email: string, name: string, role: Role }

/** A group as `GET /api/groups` lists it. */
export interface GroupView {
  id: string
  name: string
  systemKind: GroupSystemKind | null
  // the built-in groups' members follow the memberships; they cannot be added or removed
  implicitMembers: boolean
  memberCount: number
  grants: GroupGrantView[]
  createdAt: string
}

/** A group as `GET /api/groups/:id` answers it: with its members. */
export interface GroupDetailView extends GroupView {
  members: GroupMemberView[]
}
