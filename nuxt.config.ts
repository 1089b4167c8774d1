// Nuxt 4 with the design card's flat layout (srcDir '.'): pages/, components/,
// composables/ and server/ all sit at the top level.
export default defineNuxtConfig({
  srcDir: '.',
  compatibilityDate: '2025-07-15',
  modules: ['@nuxt/eslint'],
  devtools: { enabled: false },
  // An app behind a sign-in: rendered in the browser, the server only serves the API.
  ssr: false,
  css: ['~/assets/css/main.css'],
  app: {
    head: {
      title: 'Tessera',
      meta: [{ name: 'viewport', content: 'width=device-width, initial-scale=1' }],
    },
  },
  typescript: { strict: true },
  nitro: {
    // 503 + Retry-After while the metadata database is unreachable; Retry-After on 429s
    errorHandler: '~/server/error-handler.ts',
    // Migrations ship beside the built server so `node .output/server/index.mjs`
    // can bring the schema up to date without the source tree; the worker's own entry
    // (.output/server/worker.mjs, scripts/build-worker.mjs) is built beside them.
    hooks: {
      async compiled(nitro) {
        const { cp } = await import('node:fs/promises')
        await cp('db/migrations', `${nitro.options.output.serverDir}/migrations`, { recursive: true })
        const { buildWorker } = await import('./scripts/build-worker.mjs')
        await buildWorker(nitro.options.output.serverDir)
      },
    },
  },
  eslint: { config: { stylistic: false } },
})
