import { sql } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  try {
    await useDb().execute(sql`SELECT 1`)
    return { status: 'ok', role: useConfig().APP_ROLE }
  }
  catch {
    setResponseStatus(event, 503)
    return { status: 'unavailable', role: useConfig().APP_ROLE }
  }
})
