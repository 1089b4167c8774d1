// `npm run screenshots`: the documentation pictures (docs/screenshots/), taken from the
// same running product as the end-to-end tests. Kept out of `npm test` so a test run
// never rewrites tracked files.
import { defineConfig } from '@playwright/test'
import e2eConfig from './playwright.config'

export default defineConfig({
  ...e2eConfig,
  testDir: 'tests/screenshots',
})
