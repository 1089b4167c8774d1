// Node flags for the web and worker processes, shared by `npm start`, the benchmarks and
// the Dockerfile (the web's as NODE_OPTIONS; the worker's on its command, which overrides
// them). Node 24 sizes V8's young generation from the machine's memory, and loading the
// server bundle (drizzle, pg-boss, the S3 client) then leaves a large peak of garbage
// before the first collection. 16 MB semi-spaces (Node 20's default) keep the web's
// start-up small. The worker's are halved: while a large run streams, the socket reads
// its rows arrive in are garbage once copied into a chunk, and they are freed only when
// the young generation is collected, so a smaller one collects them twice as often and
// keeps the worker's peak memory within its target (figures in BENCHMARKS.md).
export const SERVER_NODE_FLAGS = {
  web: ['--max-semi-space-size=16'],
  worker: ['--max-semi-space-size=8'],
}

// the built entry of each process: the worker has its own, lean one (scripts/build-worker.mjs)
export const SERVER_ENTRIES = { web: '.output/server/index.mjs', worker: '.output/server/worker.mjs' }
