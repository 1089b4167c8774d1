// Org roles, weakest first: each role can do everything the ones before it can.
export const roles = ['viewer', 'editor', 'admin'] as const
export type Role = (typeof roles)[number]

export function roleAtLeast(role: Role, required: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(required)
}

/**
 * What each action of the app needs. The one table both sides read: the server's
 * `requireCan` refuses with it and the pages' `useCan` hide controls with it, so a page
 * never offers a button the server refuses. Reading (lists, details, running saved
 * queries, dashboards) needs only membership and is not listed.
 */
export const actionRoles = {
  'datasource:manage': 'admin', // create, edit, delete, test an unsaved config
  'datasource:test': 'editor',
  'datasource:read-config': 'editor', // host, port, database, user (never the password)
  'catalog:read': 'editor', // a datasource's schemas, tables and columns
  'sql:run': 'editor', // ad-hoc SQL and its estimate
  'query:write': 'editor', // create, edit, clone, archive, restore a version
  'query:delete': 'admin', // delete for good
  'visualization:write': 'editor',
  'dashboard:write': 'editor',
  'schedule:write': 'editor',
  'run:cancel-any': 'editor', // viewers cancel only their own runs
  'user:manage': 'admin',
  'group:manage': 'admin',
  'audit:read': 'admin',
  'status:read': 'admin',
} as const satisfies Record<string, Role>
export type Action = keyof typeof actionRoles

export function can(role: Role, action: Action): boolean {
  return roleAtLeast(role, actionRoles[action])
}
