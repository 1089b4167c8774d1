// Rows of a statement with bound parameters, as COPY text lines, without pg parsing a
// single field. COPY takes no parameters, so such a statement runs on the extended
// protocol (Parse/Bind/Execute: the values stay bound, and several statements are
// refused), and its rows arrive as DataRow messages, one per row, every value in its
// type's text output, which is exactly what COPY prints before its escapes. This module
// sits between the connection's socket and pg's protocol parser for the length of one
// statement: DataRow messages are taken out of the byte stream and written straight
// into COPY text lines (tab-separated, \N for NULL, COPY's backslash escapes), every
// other message goes on to pg untouched, so pg still runs the statement (errors,
// timeouts, the end of the statement) and never builds a row object. One storage
// format for both paths, and the same reader (server/results/copy-text.ts).
// Backpressure: past MAX_BUFFERED_BYTES of lines not yet taken, the socket is paused,
// so a slow consumer slows Postgres down instead of filling memory.
import type pg from 'pg'
import type { RowBlock } from './types'
import { truncationNote, utf8PrefixLength, type ValueCaps } from './value-caps'

const DATA_ROW = 0x44 // 'D'
const ROW_DESCRIPTION = 0x54 // 'T'
const READY_FOR_QUERY = 0x5A // 'Z'
// a message: its type byte, then its length (int32, counting itself but not the type)
const HEADER_BYTES = 5

const TAB = 0x09
const NEWLINE = 0x0A
const BACKSLASH = 0x5C
// COPY TO escapes backslash and these control characters (\b \t \n \v \f \r), nothing else
const ESCAPE_LETTERS = new Uint8Array(256)
for (const [code, letter] of [[8, 'b'], [9, 't'], [10, 'n'], [11, 'v'], [12, 'f'], [13, 'r'], [BACKSLASH, '\\']] as const) ESCAPE_LETTERS[code] = letter.charCodeAt(0)
const NULL_FIELD = [BACKSLASH, 'N'.charCodeAt(0)]

const ARENA_BYTES = 1 << 20
const MAX_BUFFERED_BYTES = 16 << 20

export interface DataRowField { name: string, dataTypeID: number }

interface SocketLike {
  listeners(event: 'data'): ((...args: unknown[]) => void)[]
  on(event: 'data', listener: (chunk: Buffer) => void): unknown
  removeListener(event: 'data', listener: (...args: unknown[]) => void): unknown
  pause(): unknown
  resume(): unknown
}

/** Field names and type OIDs of a RowDescription message body. */
function readRowDescription(body: Buffer): DataRowField[] {
  const count = body.readInt16BE(0)
  const fields: DataRowField[] = []
  let position = 2
  for (let index = 0; index < count; index++) {
    const nameEnd = body.indexOf(0, position)
    const name = body.toString('utf8', position, nameEnd)
    // after the name: table oid (4), column number (2), type oid (4), size (2), modifier (4), format (2)
    const dataTypeID = body.readUInt32BE(nameEnd + 1 + 6)
    fields.push({ name, dataTypeID })
    position = nameEnd + 1 + 18
  }
  return fields
}

export class DataRowReader {
  fields: DataRowField[] = []
  private readonly batches: RowBlock[][] = []
  private current: RowBlock[] = []
  private currentRows = 0
  private bufferedBytes = 0
  // lines are written end to end into the arena; the lines since blockStart form the block being filled
  private arena = Buffer.allocUnsafe(ARENA_BYTES)
  private arenaUsed = 0
  private blockStart = 0
  private blockEnds: number[] = []
  // a message cut by the end of a socket read: its header, then the whole message once its length is known
  private readonly header = Buffer.alloc(HEADER_BYTES)
  private headerFilled = 0
  private message: Buffer | undefined
  private messageFilled = 0
  private paused = false
  private discarding = false
  private ended = false
  // ReadyForQuery seen: every later byte belongs to pg again
  private detached = false
  private failure: unknown
  private wake: (() => void) | undefined
  private readonly listener = (chunk: Buffer) => this.onData(chunk)

  private constructor(
    private readonly socket: SocketLike,
    private readonly forward: (chunk: Buffer) => void,
    private readonly batchRows: number,
    private readonly caps: ValueCaps,
  ) {}

  /**
   * Runs `sql` with `values` bound and reads its rows as COPY text lines, in batches of
   * `batchRows`. Call only when the client is idle (between statements), so the socket
   * is at a message boundary.
   */
  static start(client: pg.Client, sql: string, values: unknown[], batchRows: number, caps: ValueCaps): DataRowReader {
    const socket = (client as unknown as { connection: { stream: SocketLike } }).connection.stream
    const [parse, ...others] = socket.listeners('data')
    // pg reads its socket through exactly one listener (pg-protocol's parser)
    if (!parse || others.length > 0) throw new Error(`expected one reader on the connection, found ${others.length + (parse ? 1 : 0)}`)
    const reader = new DataRowReader(socket, parse as (chunk: Buffer) => void, batchRows, caps)
    socket.removeListener('data', parse)
    socket.on('data', reader.listener)
    // extended protocol even without values: it refuses several statements in one string
    client.query({ text: sql, values, rowMode: 'array', queryMode: 'extended' } as pg.QueryConfig)
      .then(() => { reader.ended = true }, (error: unknown) => { reader.failure = error })
      .finally(() => reader.notify())
    return reader
  }

  /** Batches of lines as they fill; the last may be shorter. Throws the statement's error. */
  async* rows(): AsyncGenerator<RowBlock[]> {
    try {
      for (;;) {
        const batch = this.batches.shift()
        if (batch) {
          for (const block of batch) this.bufferedBytes -= block.bytes.length
          if (this.paused && this.bufferedBytes < MAX_BUFFERED_BYTES / 2) {
            this.paused = false
            this.socket.resume()
          }
          yield batch
          continue
        }
        if (this.failure) throw this.failure
        if (this.ended) {
          this.endBlock()
          if (this.current.length > 0) yield this.current.splice(0)
          return
        }
        await new Promise<void>((resolve) => { this.wake = resolve })
      }
    }
    finally {
      // stopped early (limits reached, or an error): rows still arriving are dropped unread
      this.discarding = true
      this.batches.length = 0
      this.current = []
      this.blockEnds = []
      if (this.paused) this.socket.resume()
    }
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  private onData(chunk: Buffer): void {
    let offset = 0
    if (this.headerFilled > 0) {
      offset = this.completeCutMessage(chunk)
      if (offset < 0) return
      if (this.detached) {
        if (offset < chunk.length) this.forward(chunk.subarray(offset))
        return
      }
    }
    this.readMessages(chunk, offset)
    if (!this.paused && !this.detached && this.bufferedBytes > MAX_BUFFERED_BYTES) {
      this.paused = true
      this.socket.pause()
    }
  }

  /** Feeds the start of `chunk` into the message the previous read cut; returns where the rest starts, or -1 if it is still not whole. */
  private completeCutMessage(chunk: Buffer): number {
    let offset = 0
    if (!this.message) {
      const take = Math.min(HEADER_BYTES - this.headerFilled, chunk.length)
      chunk.copy(this.header, this.headerFilled, 0, take)
      this.headerFilled += take
      offset = take
      if (this.headerFilled < HEADER_BYTES) return -1
      // allocated once at its full size: a value of hundreds of megabytes is copied once, not regrown
      this.message = Buffer.allocUnsafe(1 + this.header.readInt32BE(1))
      this.header.copy(this.message, 0)
      this.messageFilled = HEADER_BYTES
    }
    const take = Math.min(this.message.length - this.messageFilled, chunk.length - offset)
    chunk.copy(this.message, this.messageFilled, offset, offset + take)
    this.messageFilled += take
    offset += take
    if (this.messageFilled < this.message.length) return -1
    const whole = this.message
    this.message = undefined
    this.headerFilled = 0
    this.readMessages(whole, 0)
    return offset
  }

  /** Handles every whole message in `buffer` from `offset`; keeps the start of a cut one. */
  private readMessages(buffer: Buffer, offset: number): void {
    let forwardFrom = offset
    while (offset + HEADER_BYTES <= buffer.length) {
      const type = buffer[offset]!
      const end = offset + 1 + buffer.readInt32BE(offset + 1)
      if (end > buffer.length) break
      if (type === DATA_ROW) {
        if (offset > forwardFrom) this.forward(buffer.subarray(forwardFrom, offset))
        if (!this.discarding) this.addRow(buffer, offset + HEADER_BYTES, end)
        forwardFrom = end
      }
      else if (type === ROW_DESCRIPTION) {
        this.fields = readRowDescription(buffer.subarray(offset + HEADER_BYTES, end))
      }
      else if (type === READY_FOR_QUERY) {
        // the statement is over: pg reads the socket itself again from the next byte
        this.forward(buffer.subarray(forwardFrom))
        this.detached = true
        this.socket.removeListener('data', this.listener as (...args: unknown[]) => void)
        this.socket.on('data', this.forward)
        if (this.paused) this.socket.resume()
        this.paused = false
        return
      }
      offset = end
    }
    if (offset > forwardFrom) this.forward(buffer.subarray(forwardFrom, offset))
    if (offset < buffer.length) {
      const rest = buffer.subarray(offset)
      rest.copy(this.header, 0, 0, Math.min(rest.length, HEADER_BYTES))
      this.headerFilled = Math.min(rest.length, HEADER_BYTES)
      if (rest.length >= HEADER_BYTES) {
        this.message = Buffer.allocUnsafe(1 + rest.readInt32BE(1))
        rest.copy(this.message, 0)
        this.messageFilled = rest.length
      }
    }
  }

  /** One DataRow body (`buffer[start, end)`) as a COPY text line with its newline. */
  private addRow(buffer: Buffer, start: number, end: number): void {
    const count = buffer.readInt16BE(start)
    // escapes at most double the kept bytes (the caps bound them, however long the values);
    // NULLs, tabs, notes and the newline come on top
    const worst = 2 * Math.min(end - start, this.caps.maxRowBytes) + count * 160 + 1
    if (this.arena.length - this.arenaUsed < worst) {
      this.endBlock()
      this.arena = Buffer.allocUnsafe(Math.max(ARENA_BYTES, worst))
      this.arenaUsed = 0
      this.blockStart = 0
    }
    const out = this.arena
    const lineStart = this.arenaUsed
    let at = lineStart
    let position = start + 2
    let rowBytes = 0
    for (let index = 0; index < count; index++) {
      if (index > 0) out[at++] = TAB
      // int32 big-endian, read inline: this loop runs once per value of every row
      const length = (buffer[position]! << 24) | (buffer[position + 1]! << 16) | (buffer[position + 2]! << 8) | buffer[position + 3]!
      position += 4
      if (length === -1) {
        out[at++] = NULL_FIELD[0]!
        out[at++] = NULL_FIELD[1]!
        continue
      }
      const limit = Math.min(this.caps.maxValueBytes, this.caps.maxRowBytes - rowBytes)
      const kept = length <= limit ? length : utf8PrefixLength(buffer, position, length, limit)
      // escaped as COPY prints it, written inline (a call per value cost a third of the
      // time): every byte but \b \t \n \v \f \r (8 to 13) and the backslash as it is
      for (let index = position, keptEnd = position + kept; index < keptEnd; index++) {
        const byte = buffer[index]!
        if ((byte - 8 >>> 0) > 5 && byte !== BACKSLASH) {
          out[at++] = byte
          continue
        }
        out[at++] = BACKSLASH
        out[at++] = ESCAPE_LETTERS[byte]!
      }
      if (kept < length) at += truncationNote(length, kept).copy(out, at)
      rowBytes += kept
      position += length
    }
    out[at++] = NEWLINE
    this.arenaUsed = at
    this.blockEnds.push(at - this.blockStart)
    this.bufferedBytes += at - lineStart
    if (++this.currentRows >= this.batchRows) {
      this.endBlock()
      this.batches.push(this.current)
      this.current = []
      this.currentRows = 0
      this.notify()
    }
  }

  /** Hands the lines written since the last block over as one block (a view of the arena, never written again). */
  private endBlock(): void {
    if (this.blockEnds.length === 0) return
    this.current.push({ bytes: this.arena.subarray(this.blockStart, this.arenaUsed), ends: this.blockEnds })
    this.blockEnds = []
    this.blockStart = this.arenaUsed
  }
}
