// Node flags for the web and worker processes, shared by `npm start`, the benchmarks and
// (as NODE_OPTIONS) the Dockerfile. Node 24 sizes V8's young generation from the
// machine's memory, and loading the server bundle (drizzle, pg-boss, the S3 client) then
// leaves a large peak of garbage before the first collection. 16 MB semi-spaces (Node
// 20's default) keep a worker's peak memory within its target (figures in BENCHMARKS.md).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16']

// the built entry of each process: the worker has its own, lean one (scripts/build-worker.mjs)
export const SERVER_ENTRIES = { web: '.output/server/index.mjs', worker: '.output/server/worker.mjs' }
