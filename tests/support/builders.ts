// Short fixtures: an org with members of given roles, made through the domain code.
import { randomBytes } from 'node:crypto'
import { orgs } from '../../db/schema'
import { createMember } from '../../server/auth/accounts'
import { useDb } from '../../server/utils/db'
import type { Role } from '#shared/roles'

export const TEST_PASSWORD = 'correct horse battery'

export async function buildOrg(name = 'Test Org') {
  const [org] = await useDb().insert(orgs).values({ name }).returning()
  return org!
}

export async function buildMember(orgId: string, role: Role) {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`
  return createMember(orgId, { email, name: `${role} user`, password: TEST_PASSWORD, role })
}
