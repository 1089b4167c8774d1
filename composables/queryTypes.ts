// The shapes of the query and datasource routes (docs/ARCHITECTURE.md) as the pages read them.
// Parameter types mirror shared/parameters/types.ts (the server's source of truth).
export const parameterTypeChoices = ['text', 'number', 'integer', 'boolean', 'date', 'timestamp', 'date_range', 'enum', 'query_enum'] as const
export type ParameterTypeChoice = (typeof parameterTypeChoices)[number]

export interface QueryParameterView {
  name: string
  type: ParameterTypeChoice
  label?: string
  required?: boolean
  default?: unknown
  options?: string[]
  queryId?: string
  multiple?: boolean
}

export interface QueryOptionsView { timeoutMs?: number, maxRows?: number, maxAgeSeconds?: number }

export interface QueryView {
  id: string
  name: string
  description?: string
  datasourceId: string
  sql: string
  parameters: QueryParameterView[]
  options: QueryOptionsView
  tags?: string[]
  version?: number
  ownerId?: string | null
  ownerName?: string | null
  archivedAt?: string | null
  updatedAt?: string
  lastRun?: { id: string, status: string, queuedAt: string, finishedAt: string | null } | null
}

export interface QueryVersionView {
  version: number
  name: string
  sql: string
  parameters: QueryParameterView[]
  options?: QueryOptionsView
  createdAt: string
  createdBy?: string | null
  createdByName?: string | null
}

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
