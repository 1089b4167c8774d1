// Short fixtures: an org with members of given roles, made through the domain code, and
// grants of a datasource to the org's Everyone group.
import { randomBytes } from 'node:crypto'
import { orgs } from '../../db/schema'
import { grantToEveryone } from '../../server/access/grants'
import { createMember } from '../../server/auth/accounts'
import type { GrantLevel } from '#shared/schemas/groups'
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

/** Every member of the datasource's org reaches it at `level` (new datasources reach only admins). */
export async function grantEveryone(orgId: string, datasourceId: string, level: GrantLevel = 'query') {
  await grantToEveryone(orgId, datasourceId, level)
}
