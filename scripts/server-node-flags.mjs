// Node flags for the web and worker processes, shared by `npm start`, the benchmarks and
// (as NODE_OPTIONS) the Dockerfile. Node 24 sizes V8's young generation from the
// machine's memory, up to 64 MB per semi-space: loading the server bundle alone (drizzle,
// pg-boss, the S3 client) then leaves a 280 MB peak of garbage before the first
// collection. 16 MB semi-spaces (Node 20's default) keep an idle worker near 175 MB and
// one storing a 5M-row result under 250 MB (BENCHMARKS.md).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16']

// the built entry of each process: the worker has its own, lean one (scripts/build-worker.mjs)
export const SERVER_ENTRIES = { web: '.output/server/index.mjs', worker: '.output/server/worker.mjs' }
