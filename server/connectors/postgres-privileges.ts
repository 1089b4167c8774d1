// Refuses datasource roles that could escape a read-only run. `BEGIN READ ONLY` stops
// writes to tables, but not a superuser's `COPY … TO PROGRAM` (a shell command on the
// database host) nor the server-file functions; so before any user SQL runs, the
// connection's role is checked, and a superuser (or a role that may become one), or a
// member of pg_execute_server_program / pg_write_server_files / pg_read_server_files,
// is refused unless an admin set `allowPrivilegedRole` on the datasource.
// The check runs once per connection, and every run has its own connection.
import type pg from 'pg'
import { QueryError } from './types'

/** SQLSTATE insufficient_privilege: what Postgres itself reports for a refused privilege. */
export const PRIVILEGED_ROLE_REFUSED = '42501'

/**
 * One row: the role's name and the privileges it holds that Tessera refuses. MEMBER (not
 * USAGE) also counts roles reachable only through SET ROLE, which a statement can do
 * with set_config('role', …).
 */
export const ROLE_PRIVILEGES_SQL = `
  SELECT current_user AS role_name,
         EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolsuper AND pg_has_role(current_user, r.oid, 'MEMBER')) AS superuser,
         pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') AS execute_server_program,
         pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') AS write_server_files,
         pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') AS read_server_files`

export interface RolePrivileges {
  role_name: string
  superuser: boolean
  execute_server_program: boolean
  write_server_files: boolean
  read_server_files: boolean
}

/** What the role may do that a BI reader must not, in words; empty for a safe role. */
export function privilegeProblems(privileges: RolePrivileges): string[] {
  const problems: string[] = []
  if (privileges.superuser) problems.push('is a superuser (or may become one with SET ROLE)')
  if (privileges.execute_server_program) problems.push('may run programs on the database server (pg_execute_server_program)')
  if (privileges.write_server_files) problems.push('may write files on the database server (pg_write_server_files)')
  if (privileges.read_server_files) problems.push('may read files on the database server (pg_read_server_files)')
  return problems
}

/** The message an admin needs: what is wrong, and the role to create instead. */
export function privilegedRoleMessage(roleName: string, problems: string[]): string {
  return `Tessera refuses to run SQL as role "${roleName}": it ${problems.join(', and ')}. `
    + 'Connect this datasource with a read-only role instead, for example: '
    + 'CREATE ROLE tessera_reader LOGIN PASSWORD \'…\'; GRANT pg_read_all_data TO tessera_reader; '
    + '(or GRANT USAGE ON SCHEMA … and GRANT SELECT ON ALL TABLES IN SCHEMA … for chosen schemas). '
    + 'An admin can allow a privileged role for this datasource explicitly, which lets anyone who may run SQL on it act as that role.'
}

/** Throws a QueryError when the role is privileged and the datasource does not allow it. */
export function refusePrivilegedRole(privileges: RolePrivileges, allowPrivilegedRole: boolean | undefined): void {
  if (allowPrivilegedRole) return
  const problems = privilegeProblems(privileges)
  if (problems.length > 0) throw new QueryError(privilegedRoleMessage(privileges.role_name, problems), undefined, PRIVILEGED_ROLE_REFUSED)
}

/** Reads the connection's role privileges and refuses a privileged role (one round trip). */
export async function checkRolePrivileges(client: pg.Client, allowPrivilegedRole: boolean | undefined): Promise<RolePrivileges> {
  const { rows } = await client.query<RolePrivileges>(ROLE_PRIVILEGES_SQL)
  refusePrivilegedRole(rows[0]!, allowPrivilegedRole)
  return rows[0]!
}
