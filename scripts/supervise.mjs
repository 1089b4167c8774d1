// `npm start`'s process supervisor: keeps one child (web or worker) running, restarting it
// with backoff when it dies (each restart logged), and stops it on demand: SIGTERM, then
// SIGKILL if it has not exited in time, so stopping never hangs.

// first restart after this long, doubling per quick death, at most MAX_DELAY_MS
const FIRST_DELAY_MS = 500
const MAX_DELAY_MS = 30_000
// a child that ran this long counts as healthy again: its next death restarts quickly
const HEALTHY_AFTER_MS = 60_000

/**
 * @param {{ name: string, launch: () => import('node:child_process').ChildProcess, log?: (line: string) => void }} options
 */
export function supervise({ name, launch, log = line => console.error(line) }) {
  let child = launch()
  let startedAt = Date.now()
  let quickDeaths = 0
  let stopping = false
  /** @type {NodeJS.Timeout | undefined} */
  let restartTimer

  const watch = () => {
    child.once('exit', (code, signal) => {
      if (stopping) return
      quickDeaths = Date.now() - startedAt > HEALTHY_AFTER_MS ? 0 : quickDeaths
      const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** quickDeaths)
      quickDeaths++
      log(`Tessera ${name} process exited (${signal ?? `code ${code}`}); restarting it in ${delayMs} ms (restart ${quickDeaths} in a row)`)
      restartTimer = setTimeout(() => {
        if (stopping) return
        child = launch()
        startedAt = Date.now()
        log(`Tessera ${name} process restarted (pid ${child.pid})`)
        watch()
      }, delayMs)
    })
  }
  watch()

  return {
    get child() { return child },
    /** Stops the child: SIGTERM, then SIGKILL after killAfterMs. Resolves once it has exited. */
    stop(killAfterMs) {
      stopping = true
      clearTimeout(restartTimer)
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
      return new Promise((done) => {
        const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
        child.once('exit', () => {
          clearTimeout(killer)
          done()
        })
        child.kill('SIGTERM')
      })
    },
  }
}
