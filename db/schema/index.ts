// The drizzle schema object: every table, for `drizzle(pool, { schema })` and drizzle-kit.
export * from './auth'
export * from './datasources'
export * from './queries'
export * from './runs'
export * from './dashboards'
export * from './workers'
export * from './schedules'
export * from './favorites'
