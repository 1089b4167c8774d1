// Before `npm start` launches anything, each port it needs must be free; a taken one is
// named with the setting that moves it, so a second instance fails clearly and leaves
// nothing running.
import { createServer } from 'node:net'

/** Resolves true when something already listens on this port (any address, or loopback). */
function portInUse(port, host) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', error => resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)))
  })
}

/**
 * @param {{ port: number, what: string, setting: string, host?: string }[]} wanted
 * @returns {Promise<string[]>} one message per port in use
 */
export async function portsInUse(wanted) {
  const problems = []
  for (const { port, what, setting, host } of wanted) {
    const taken = host ? await portInUse(port, host) : (await portInUse(port, undefined)) || (await portInUse(port, '127.0.0.1'))
    if (taken) problems.push(`Port ${port} (${what}) is already in use, perhaps by another Tessera. Set ${setting} to another port, or stop what is using it.`)
  }
  return problems
}
