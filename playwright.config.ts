// End-to-end tests drive the real product: `npm start` (embedded Postgres, demo data,
// web + worker) in a throwaway data folder, in Chromium. The system Chromium is used
// when present (or TESSERA_CHROMIUM_PATH); elsewhere Playwright's own browser.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig, devices } from '@playwright/test'

// Evaluated again in every worker process; the env var keeps one folder per run.
process.env.TESSERA_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'tessera-e2e-'))
const port = Number(process.env.TESSERA_E2E_PORT ?? 3210)
const chromiumPath = process.env.TESSERA_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)

export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' }

export default defineConfig({
  testDir: 'tests/e2e',
  // `.only` would silently skip the rest of the suite: refused on every machine, not only CI
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [{
    name: 'chromium',
    use: {
      ...devices['Desktop Chrome'],
      viewport: { width: 1440, height: 900 },
      launchOptions: chromiumPath
        ? { executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] }
        : {},
    },
  }],
  webServer: {
    command: 'node scripts/start.mjs',
    url: `http://127.0.0.1:${port}/api/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      PORT: String(port),
      TESSERA_WORKER_PORT: String(port + 1),
      TESSERA_POSTGRES_PORT: String(port + 2),
      TESSERA_DATA_DIR: process.env.TESSERA_E2E_DATA_DIR,
      TESSERA_ADMIN_EMAIL: E2E_ADMIN.email,
      TESSERA_ADMIN_PASSWORD: E2E_ADMIN.password,
    },
  },
})
