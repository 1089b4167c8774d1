// The shapes of the query and datasource routes as the pages read them: the server's own
// types where it has one serializer, so a page never reads a field the route does not send.
import type { ParameterDefinition } from '#shared/parameters/types'
import type { RunOptions } from '#shared/schemas/queries'
import type { PublicQuery, QueryVersion } from '../server/queries/queries'

/** A parameter as the query routes answer it: the server's own definition type. */
export type QueryParameterView = ParameterDefinition
export type QueryOptionsView = RunOptions

/** A query as the query routes answer it (toPublicQuery; lists add its last run). */
export type QueryView = PublicQuery

/** One entry of GET /api/queries/:id/versions. */
export type QueryVersionView = QueryVersion

export interface DatasourceView {
  id: string
  name: string
  type: 'postgres'
  // absent for viewers, who see only what identifies a datasource
  config?: { host: string, port: number, database: string, user: string, sslmode: string }
  hasPassword?: boolean
  // an admin's exception: runs go ahead as a superuser or a role that may touch the server
  allowPrivilegedRole?: boolean
  createdAt?: string
  // the caller's level on it (shared/schemas/groups.ts): `view` may not run its own SQL
  access: 'view' | 'query'
}

export interface DatasourceSchemaView {
  tables: { schema: string, name: string, kind: string, columns: { name: string, type: string, nullable?: boolean }[] }[]
}

export const relativeDateChoices = [
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: 'last_7_days', label: 'Last 7 days' },
  { value: 'last_14_days', label: 'Last 14 days' },
  { value: 'last_30_days', label: 'Last 30 days' },
  { value: 'last_90_days', label: 'Last 90 days' },
  { value: 'last_180_days', label: 'Last 180 days' },
  { value: 'last_365_days', label: 'Last 365 days' },
  { value: 'this_week', label: 'This week' },
  { value: 'last_week', label: 'Last week' },
  { value: 'this_month', label: 'This month' },
  { value: 'last_month', label: 'Last month' },
  { value: 'this_year', label: 'This year' },
  { value: 'last_year', label: 'Last year' },
] as const

/** The menu of relative dates, with a value that is not in it (say last_45_days) added, so the menu always shows it. */
export function relativeChoicesWith(value: unknown): { value: string, label: string }[] {
  const choices: { value: string, label: string }[] = [...relativeDateChoices]
  const lastDays = typeof value === 'string' ? /^last_(\d+)_days$/.exec(value) : null
  if (lastDays && !choices.some(choice => choice.value === value)) choices.splice(2, 0, { value: value as string, label: `Last ${lastDays[1]} days` })
  return choices
}
