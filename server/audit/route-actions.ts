// Which API requests leave an audit row, and under what action: one table keyed by
// `METHOD /api/path/:param` (the route as Nitro matched it). Changes are recorded here,
// for every route at once, by plugins/audit.ts; runs are recorded where they are
// enqueued (runs.ts) and sign-ins where they happen, so those routes are not listed.
// A test checks every route that changes something is listed or exempted on purpose.

export interface RouteAudit {
  action: string
  targetType: string
  // where the target's id comes from: the route's `:id` (default), the answer's `id`
  // (creations), or nowhere (the target is the whole log, not one object)
  targetIdFrom?: 'params' | 'response' | 'none'
}

function change(targetType: string, verb: string, targetIdFrom: RouteAudit['targetIdFrom'] = 'params'): RouteAudit {
  return { action: `${targetType}.${verb}`, targetType, targetIdFrom }
}

export const auditedRoutes: Record<string, RouteAudit> = {
  'POST /api/auth/logout': { action: 'auth.sign_out', targetType: 'session' },
  'POST /api/datasources': change('datasource', 'create', 'response'),
  'PATCH /api/datasources/:id': change('datasource', 'update'),
  'DELETE /api/datasources/:id': change('datasource', 'delete'),
  'PUT /api/datasources/:id/grants/:groupId': change('grant', 'set'),
  'DELETE /api/datasources/:id/grants/:groupId': change('grant', 'remove'),
  'POST /api/queries': change('query', 'create', 'response'),
  'PATCH /api/queries/:id': change('query', 'update'),
  'DELETE /api/queries/:id': change('query', 'delete'),
  'POST /api/queries/:id/clone': change('query', 'create', 'response'),
  'POST /api/queries/:id/versions/:version/restore': change('query', 'update'),
  'POST /api/queries/:id/visualizations': change('visualization', 'create', 'response'),
  'PATCH /api/visualizations/:id': change('visualization', 'update'),
  'DELETE /api/visualizations/:id': change('visualization', 'delete'),
  'POST /api/dashboards': change('dashboard', 'create', 'response'),
  'PATCH /api/dashboards/:id': change('dashboard', 'update'),
  'DELETE /api/dashboards/:id': change('dashboard', 'delete'),
  'POST /api/schedules': change('schedule', 'create', 'response'),
  'PATCH /api/schedules/:id': change('schedule', 'update'),
  'DELETE /api/schedules/:id': change('schedule', 'delete'),
  'POST /api/runs/:id/cancel': change('run', 'cancel'),
  'GET /api/runs/:id/result.csv': { action: 'export.download', targetType: 'run' },
  'GET /api/runs/:id/result.json': { action: 'export.download', targetType: 'run' },
  'GET /api/runs/:id/result.xlsx': { action: 'export.download', targetType: 'run' },
  'POST /api/admin/users': change('user', 'create', 'response'),
  'PATCH /api/admin/users/:id': change('user', 'update'),
  'DELETE /api/admin/users/:id': change('user', 'remove'),
  'POST /api/admin/users/:id/password': change('user', 'password_reset'),
  'POST /api/auth/password': { action: 'user.password_change', targetType: 'user' },
  'POST /api/groups': change('group', 'create', 'response'),
  'PATCH /api/groups/:id': change('group', 'update'),
  'DELETE /api/groups/:id': change('group', 'delete'),
  'PUT /api/groups/:id/members/:userId': change('group', 'member_add'),
  'DELETE /api/groups/:id/members/:userId': change('group', 'member_remove'),
  'POST /api/tokens': change('token', 'create', 'response'),
  // reading the log in bulk leaves a trace too: it holds emails and client addresses
  'GET /api/audit.csv': { action: 'audit.export', targetType: 'audit_log', targetIdFrom: 'none' },
  'DELETE /api/tokens/:id': change('token', 'revoke'),
}

/** Routes that change nothing worth a row, or are recorded elsewhere; each says why. */
export const unauditedRoutes: Record<string, string> = {
  'POST /api/auth/login': 'recorded by the route itself, success and failure (audit/sign-in.ts)',
  'POST /api/queries/:id/runs': 'runs are recorded where they are enqueued (audit/runs.ts)',
  'POST /api/runs': 'runs are recorded where they are enqueued (audit/runs.ts)',
  'POST /api/dashboards/:id/refresh': 'runs are recorded where they are enqueued (audit/runs.ts)',
  'POST /api/datasources/test': 'tests an unsaved connection; changes nothing',
  'POST /api/datasources/:id/test': 'tests a connection; changes nothing',
  'POST /api/queries/:id/estimate': 'asks Postgres for a plan; changes nothing and stores no result',
  'POST /api/runs/estimate': 'asks Postgres for a plan; changes nothing and stores no result',
  'POST /api/schedules/preview': 'computes fire times; changes nothing',
  'PUT /api/favorites/:kind/:id': 'a personal star, visible only to its owner',
  'DELETE /api/favorites/:kind/:id': 'a personal star, visible only to its owner',
}
