// The first thing every request meets, before the start-up wait and before sign-in: its
// body is bounded (server/requests/body-limit.ts), so no route, public or not, can be
// made to hold more than its limit in memory.
import { readBodyWithinLimit } from '../requests/body-limit'

export default defineEventHandler(async (event) => {
  await readBodyWithinLimit(event)
})
