import { whenReady } from '../bootstrap'

// Nitro does not await async plugins, so requests wait here until start-up has finished.
export default defineEventHandler(async () => {
  await whenReady()
})
