// Structured logs: one JSON object per line, so a container's log collector can index
// run ids, query ids and datasource ids without parsing prose.
type Fields = Record<string, unknown>

function write(level: 'info' | 'warn' | 'error', message: string, fields: Fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })
  if (level === 'error') console.error(line)
  else console.log(line)
}

export const logger = {
  info: (message: string, fields?: Fields) => write('info', message, fields),
  warn: (message: string, fields?: Fields) => write('warn', message, fields),
  error: (message: string, fields?: Fields) => write('error', message, fields),
}
