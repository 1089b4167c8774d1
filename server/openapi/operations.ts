// Every route of the API, keyed `METHOD /api/path/{param}`, with the zod schemas its
// handler validates with: the OpenAPI document (document.ts) is built from this table.
// The entries hold the very schema objects the handlers pass to readValidBody /
// readValidQuery / readValidParams, and tests/integration/openapi.test.ts proves it: it
// reads each route file, follows the schema's import and checks it is this object, and
// fails for a route file without an entry here (or an entry without a file).
import type { z } from 'zod'
import { idParams } from '#shared/ids'
import type { Action } from '#shared/roles'
import { auditExportQuery, auditFilterQuery } from '#shared/schemas/audit'
import { loginBody, memberPatchBody, newMemberBody, passwordChangeBody, passwordResetBody } from '#shared/schemas/auth'
import { dashboardPatchBody, dashboardViewQuery, newDashboardBody } from '#shared/schemas/dashboards'
import { favoriteParams } from '#shared/schemas/favorites'
import { datasourceGrantParams, grantBody, groupMemberParams, groupPatchBody, newGroupBody } from '#shared/schemas/groups'
import {
  adhocRunSchema, catalogQuery, cloneQueryBody, createDatasourceSchema, createQuerySchema, deleteQueryOptions,
  listQueriesSchema, parameterOptionsParams, queryRunSchema, restoreVersionParams, resultExportSchema, resultPageSchema, runEventsQuery, runHistoryQuery,
  testDatasourceSchema, updateDatasourceSchema, updateQuerySchema,
} from '#shared/schemas/queries'
import { firingsQuery, scheduleBody, scheduleListQuery, schedulePatchBody, schedulePreviewBody } from '#shared/schemas/schedules'
import { newApiTokenBody } from '#shared/schemas/tokens'
import { newVisualizationBody, visualizationPatchBody } from '#shared/schemas/visualizations'

export interface ApiOperation {
  summary: string
  description?: string
  // who may call it: anyone, any member of the org (session or token), or the role an
  // action of shared/roles.ts needs; routes that do more for higher roles say so above
  access: 'public' | 'member' | Action
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  // the answer's status when it works (200 unless said)
  status?: number
  // the answer's content type when it is not JSON
  produces?: string
}

export const apiOperations: Record<string, ApiOperation> = {
  'GET /api/healthz': { summary: 'Health check', description: '`{ status: "ok" }` when the process and its database answer; 503 otherwise.', access: 'public' },
  'GET /api/openapi.json': { summary: 'This document', description: 'The OpenAPI 3.1 document of every route, generated from the zod schemas the routes validate with.', access: 'public' },

  'POST /api/auth/login': { summary: 'Sign in', description: 'Starts a session: sets the HttpOnly session cookie. 401 for a wrong email or password (never saying which), 429 while sign-in is limited.', access: 'public', body: loginBody },
  'POST /api/auth/logout': { summary: 'Sign out', description: 'Ends the current session and clears its cookie.', access: 'member' },
  'GET /api/auth/me': { summary: 'Who is calling', description: 'The signed-in user (or the token\'s owner), their org, role and the org\'s timezone; 401 without a session or token.', access: 'member' },
  'POST /api/auth/password': { summary: 'Change your password', description: 'Needs the current password (a wrong one is a 400 naming `currentPassword`, and counts as a failed sign-in). Your other sessions end; this one stays. Not with an API token (403).', access: 'member', body: passwordChangeBody },
  'GET /api/auth/session': { summary: 'Am I signed in?', description: 'Like /api/auth/me, but 200 with `{ signedIn: false }` for a visitor.', access: 'public' },

  'GET /api/tokens': { summary: 'List your API tokens', description: 'Name, scope, role, created, last used and expiry of the caller\'s tokens; never the secret.', access: 'member' },
  'POST /api/tokens': { summary: 'Create an API token', description: 'The secret (`tsr_…`) is in this answer only. A `read` token may only GET. An API token cannot create tokens (403).', access: 'member', body: newApiTokenBody, status: 201 },
  'DELETE /api/tokens/{id}': { summary: 'Revoke an API token', description: 'Refused from the next request on. Another user\'s token answers 404.', access: 'member', params: idParams, status: 204 },

  'GET /api/admin/users': { summary: 'List the org\'s members', access: 'user:manage' },
  'POST /api/admin/users': { summary: 'Add a member', description: 'A user removed from every org can be added again: they come back with the name, password and role given, without their old sessions or tokens. An email whose user is a member anywhere is a 409.', access: 'user:manage', body: newMemberBody, status: 201 },
  'PATCH /api/admin/users/{id}': { summary: 'Change a member\'s role', description: 'The org\'s last admin cannot be demoted (400), also when two admins demote each other at once; an admin demoted while the request was in flight is refused (403).', access: 'user:manage', params: idParams, body: memberPatchBody },
  'DELETE /api/admin/users/{id}': { summary: 'Remove a member from the org', description: 'Their sessions and tokens in the org end at once. The org\'s last admin cannot be removed (400).', access: 'user:manage', params: idParams, status: 204 },
  'POST /api/admin/users/{id}/password': { summary: 'Reset a member\'s password', description: 'Sets `password`, or (left out) a generated one returned as `password` in this answer only. The member is signed out everywhere; their API tokens keep working. Not for your own account (400).', access: 'user:manage', params: idParams, body: passwordResetBody },
  'GET /api/admin/status': { summary: 'System status', description: 'Workers alive, queue depth, oldest queued run, scheduler lag, result storage.', access: 'status:read' },
  'GET /api/status/workers': { summary: 'Is a worker alive?', description: 'What the "no worker" banner reads.', access: 'member' },

  'GET /api/audit': { summary: 'Read the audit log', description: 'Newest first, a page at a time: pass the answer\'s `nextCursor` as `cursor` for the next page. `action` ending in a dot matches every action with that prefix; `target` is a type or `type:id`; `from` is inclusive, `to` exclusive.', access: 'audit:read', query: auditFilterQuery },
  'GET /api/audit.csv': { summary: 'Export the audit log as CSV', description: 'Every row matching the same filters as GET /api/audit, newest first.', access: 'audit:read', query: auditExportQuery, produces: 'text/csv' },

  'GET /api/groups': { summary: 'List the org\'s groups', description: 'Admin and Everyone first, then named groups, each with its member count and datasource grants.', access: 'group:manage' },
  'POST /api/groups': { summary: 'Create a group', description: '409 when the org has a group of that name in any letter case.', access: 'group:manage', body: newGroupBody, status: 201 },
  'GET /api/groups/{id}': { summary: 'Get a group', description: 'With its members (implied ones for Admin and Everyone) and grants.', access: 'group:manage', params: idParams },
  'PATCH /api/groups/{id}': { summary: 'Rename a group', description: 'Admin and Everyone keep their names (409).', access: 'group:manage', params: idParams, body: groupPatchBody },
  'DELETE /api/groups/{id}': { summary: 'Delete a group', description: 'With its memberships and grants; Admin and Everyone stay (409).', access: 'group:manage', params: idParams, status: 204 },
  'PUT /api/groups/{id}/members/{userId}': { summary: 'Add a member to a group', description: 'Adding twice is one membership.', access: 'group:manage', params: groupMemberParams },
  'DELETE /api/groups/{id}/members/{userId}': { summary: 'Take a member out of a group', description: 'It takes effect on their next request.', access: 'group:manage', params: groupMemberParams, status: 204 },

  'GET /api/datasources': { summary: 'List datasources', description: 'Viewers get id, name and type; editors and admins also the connection settings (never the password).', access: 'member' },
  'POST /api/datasources': { summary: 'Create a datasource', description: 'The password is encrypted at rest and never returned. A privileged role is refused unless `allowPrivilegedRole` is set.', access: 'datasource:manage', body: createDatasourceSchema, status: 201 },
  'POST /api/datasources/test': { summary: 'Test unsaved connection settings', access: 'datasource:manage', body: testDatasourceSchema },
  'GET /api/datasources/{id}': { summary: 'Get a datasource', description: 'Connection settings for editors and admins only; never the password.', access: 'member', params: idParams },
  'PATCH /api/datasources/{id}': { summary: 'Change a datasource', description: 'A config without a password keeps the stored one.', access: 'datasource:manage', params: idParams, body: updateDatasourceSchema },
  'DELETE /api/datasources/{id}': { summary: 'Delete a datasource', description: '409 while saved queries use it.', access: 'datasource:manage', params: idParams, status: 204 },
  'POST /api/datasources/{id}/test': { summary: 'Test a saved datasource\'s connection', description: 'A failed connection is a 200 with `ok: false`.', access: 'datasource:test', params: idParams },
  'GET /api/datasources/{id}/grants': { summary: 'The groups granted a datasource', description: 'Each group with its level: `view` (results of saved queries, dashboards) or `query` (also ad-hoc SQL, the schema, estimates).', access: 'group:manage', params: idParams },
  'GET /api/datasources/{id}/grants/{groupId}': { summary: 'A group\'s grant on a datasource', description: '`{ datasourceId, groupId, level }`; 404 when the group has none.', access: 'group:manage', params: datasourceGrantParams },
  'PUT /api/datasources/{id}/grants/{groupId}': { summary: 'Grant a group a datasource', description: 'Sets or changes the level; it takes effect on the members\' next request.', access: 'group:manage', params: datasourceGrantParams, body: grantBody },
  'DELETE /api/datasources/{id}/grants/{groupId}': { summary: 'Revoke a group\'s grant', description: 'It takes effect on the members\' next request.', access: 'group:manage', params: datasourceGrantParams, status: 204 },
  'GET /api/datasources/{id}/schema': { summary: 'A datasource\'s catalog', description: 'Schemas, tables, columns and types; cached a minute.', access: 'catalog:read', params: idParams, query: catalogQuery },

  'GET /api/queries': { summary: 'List saved queries', description: 'Each with its last run.', access: 'member', query: listQueriesSchema },
  'POST /api/queries': { summary: 'Save a new query', description: 'Parameters appear in the SQL as `{{name}}` and are always bound, never spliced.', access: 'query:write', body: createQuerySchema, status: 201 },
  'GET /api/queries/{id}': { summary: 'Get a query', description: 'With its last run.', access: 'member', params: idParams },
  'PATCH /api/queries/{id}': { summary: 'Change a query', description: 'A change of name, datasource, SQL, parameters or options is saved as the next version.', access: 'query:write', params: idParams, body: updateQuerySchema },
  'DELETE /api/queries/{id}': { summary: 'Archive a query, or delete it', description: 'Archives (editors; 200 with the query). `?hard=1` deletes it for good (admins; 204).', access: 'query:write', params: idParams, query: deleteQueryOptions },
  'POST /api/queries/{id}/clone': { summary: 'Copy a query', access: 'query:write', params: idParams, body: cloneQueryBody, status: 201 },
  'POST /api/queries/{id}/estimate': { summary: 'Estimate a saved query', description: 'Postgres\'s plan estimate for these parameter values, without running it.', access: 'member', params: idParams, body: queryRunSchema },
  'GET /api/queries/{id}/choices': { summary: 'A query\'s values as choices', description: 'The first column of its latest result, for query-enum parameters and filters that take it as their source (run once on a worker if it never ran).', access: 'member', params: idParams },
  'GET /api/queries/{id}/parameters/{name}/options': { summary: 'A parameter\'s choices', description: 'An enum\'s options, or a query enum\'s values from its source query\'s latest result.', access: 'member', params: parameterOptionsParams },
  'GET /api/queries/{id}/runs': { summary: 'A query\'s run history', description: 'Newest first; `before` pages on.', access: 'member', params: idParams, query: runHistoryQuery },
  'POST /api/queries/{id}/runs': { summary: 'Run a saved query', description: '202 with the run: a fresh cached one (`cached: true`), an identical one in flight (`joined: true`), or a new one. `maxAgeSeconds: 0` always runs.', access: 'member', params: idParams, body: queryRunSchema, status: 202 },
  'GET /api/queries/{id}/versions': { summary: 'A query\'s versions', access: 'member', params: idParams },
  'POST /api/queries/{id}/versions/{version}/restore': { summary: 'Restore a version', description: 'Saved as a new version.', access: 'query:write', params: restoreVersionParams },
  'GET /api/queries/{id}/visualizations': { summary: 'A query\'s visualizations', access: 'member', params: idParams },
  'POST /api/queries/{id}/visualizations': { summary: 'Add a visualization to a query', access: 'visualization:write', params: idParams, body: newVisualizationBody, status: 201 },

  'POST /api/runs': { summary: 'Run ad-hoc SQL', description: '202 with the run (or the cached / joined one).', access: 'sql:run', body: adhocRunSchema, status: 202 },
  'POST /api/runs/estimate': { summary: 'Estimate ad-hoc SQL', description: 'EXPLAIN without executing.', access: 'sql:run', body: adhocRunSchema },
  'GET /api/runs/events': { summary: 'Follow several runs', description: 'Server-sent events of the status changes of the runs in `ids` (comma-separated) over one connection, until every one has ended.', access: 'member', query: runEventsQuery, produces: 'text/event-stream' },
  'GET /api/runs/{id}': { summary: 'Get a run', description: 'Status, timings, row and byte counts, truncation, error.', access: 'member', params: idParams },
  'POST /api/runs/{id}/cancel': { summary: 'Cancel a run', description: 'Viewers cancel the runs they started; editors any run.', access: 'member', params: idParams },
  'GET /api/runs/{id}/events': { summary: 'Follow a run', description: 'Server-sent events of the run\'s status changes until it ends.', access: 'member', params: idParams, produces: 'text/event-stream' },
  'GET /api/runs/{id}/result': { summary: 'A page of a run\'s result', description: '`{ columns, rows, rowCount, truncated, offset }`; a page ends early past the server\'s page size in bytes.', access: 'member', params: idParams, query: resultPageSchema },
  'GET /api/runs/{id}/result.csv': { summary: 'Export a result as CSV', description: 'Text a spreadsheet would read as a formula gets a leading apostrophe; `?raw=1` leaves it as stored.', access: 'member', params: idParams, query: resultExportSchema, produces: 'text/csv' },
  'GET /api/runs/{id}/result.json': { summary: 'Export a result as JSON', access: 'member', params: idParams },
  'GET /api/runs/{id}/result.xlsx': { summary: 'Export a result as XLSX', description: 'Text a spreadsheet would read as a formula gets a leading apostrophe (and is a string cell, never a formula); `?raw=1` leaves it as stored.', access: 'member', params: idParams, query: resultExportSchema, produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },

  'GET /api/visualizations': { summary: 'List visualizations', description: 'With their query\'s name and parameters.', access: 'member' },
  'GET /api/visualizations/{id}': { summary: 'Get a visualization', access: 'member', params: idParams },
  'PATCH /api/visualizations/{id}': { summary: 'Change a visualization', access: 'visualization:write', params: idParams, body: visualizationPatchBody },
  'DELETE /api/visualizations/{id}': { summary: 'Delete a visualization', description: 'Tiles that showed it keep their place and say so.', access: 'visualization:write', params: idParams, status: 204 },

  'GET /api/dashboards': { summary: 'List dashboards', access: 'member' },
  'POST /api/dashboards': { summary: 'Create a dashboard', access: 'dashboard:write', body: newDashboardBody, status: 201 },
  'GET /api/dashboards/{id}': { summary: 'View a dashboard', description: 'Each tile\'s latest fresh result, or the run refreshing it with the last good result. A tile with `refreshQueued: true` has a refresh being queued whose run is not known yet: read the view again in a second to get it. Filter values come as query parameters named after the filters (`?region=North`).', access: 'member', params: idParams, query: dashboardViewQuery },
  'PATCH /api/dashboards/{id}': { summary: 'Change a dashboard', access: 'dashboard:write', params: idParams, body: dashboardPatchBody },
  'DELETE /api/dashboards/{id}': { summary: 'Delete a dashboard', access: 'dashboard:write', params: idParams, status: 204 },
  'POST /api/dashboards/{id}/refresh': { summary: 'Refresh a dashboard now', description: 'Bypasses the cache for the filter values given; still one run per tile however many ask.', access: 'member', params: idParams, query: dashboardViewQuery, status: 202 },

  'GET /api/schedules': { summary: 'List schedules', access: 'member', query: scheduleListQuery },
  'POST /api/schedules': { summary: 'Create a schedule', access: 'schedule:write', body: scheduleBody, status: 201 },
  'POST /api/schedules/preview': { summary: 'Preview fire times', description: 'The next fire times of a cron expression in a timezone, after `from` (default now).', access: 'member', body: schedulePreviewBody },
  'GET /api/schedules/{id}': { summary: 'Get a schedule', access: 'member', params: idParams },
  'PATCH /api/schedules/{id}': { summary: 'Change a schedule', access: 'schedule:write', params: idParams, body: schedulePatchBody },
  'DELETE /api/schedules/{id}': { summary: 'Delete a schedule', access: 'schedule:write', params: idParams, status: 204 },
  'GET /api/schedules/{id}/firings': { summary: 'A schedule\'s firings', access: 'member', params: idParams, query: firingsQuery },

  'GET /api/favorites': { summary: 'Your starred queries and dashboards', access: 'member' },
  'PUT /api/favorites/{kind}/{id}': { summary: 'Star a query or dashboard', access: 'member', params: favoriteParams },
  'DELETE /api/favorites/{kind}/{id}': { summary: 'Remove a star', access: 'member', params: favoriteParams, status: 204 },
}
