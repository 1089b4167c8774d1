// Builds the worker's own entry (server/worker/main.ts) into .output/server/worker.mjs,
// beside the web's index.mjs and the migrations, from the same sources: one image, two
// commands (`node .output/server/index.mjs` for the web, `node .output/server/worker.mjs`
// for a worker). Run by nuxt.config.ts once Nitro has compiled the web server.
// Dependencies are bundled in (the worker needs nothing from .output's node_modules);
// modules only the web loads, and the AWS SDK until S3 is used, are split into chunks
// loaded on demand, so an idle worker does not carry them.
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

export async function buildWorker(serverDir) {
  await rm(join(serverDir, 'worker-chunks'), { recursive: true, force: true })
  await build({
    entryPoints: { worker: 'server/worker/main.ts' },
    outdir: serverDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'worker-chunks/[name]-[hash]',
    alias: { '#shared': resolve('shared') },
    // pg's optional native binding is never used; argon2 (native) is web-only
    external: ['pg-native', '@node-rs/argon2'],
    // bundled CommonJS packages call require()
    banner: { js: `import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);` },
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWorker(resolve('.output/server'))
