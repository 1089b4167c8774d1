import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // `.only` would silently skip the rest of a suite: it fails the run everywhere,
    // not only where CI is set (the projects below inherit this).
    allowOnly: false,
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          // tests that start web and worker processes need the room on a loaded 2-core machine;
          // what they wait for inside has its own, shorter deadline
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // each file gets its own database; two at a time keeps a 2-core machine responsive
          maxWorkers: 2,
        },
      },
    ],
  },
})
