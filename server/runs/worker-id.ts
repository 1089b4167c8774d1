// This process's name in runs.worker_id: host, pid and a random suffix (pids repeat).
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

export const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
