// Org roles, weakest first: each role can do everything the ones before it can.
export const roles = ['viewer', 'editor', 'admin'] as const
export type Role = (typeof roles)[number]

export function roleAtLeast(role: Role, required: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(required)
}
