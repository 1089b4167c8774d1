// This worker process's one name: host, pid and a random suffix (pids repeat). It is the
// runs.worker_id of every run this process claims and its worker_heartbeats row's id.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

export const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
