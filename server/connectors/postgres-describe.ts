// Describes a statement without executing it: Parse + Describe (statement) + Sync on the
// extended protocol. Postgres answers with the result's columns (or none), or with the
// error the statement would fail with, its position in the SQL included. Parse also
// refuses several statements in one string ("cannot insert multiple commands into a
// prepared statement"), which is what lets a described statement be run through COPY.
// pg has no public call for this, so it is a submittable: pg hands it the connection
// when the client is free and routes the backend's answers to these handlers.
import type pg from 'pg'

interface BackendConnection {
  parse(query: { text: string, name: string, types: number[] }): void
  describe(message: { type: 'S' | 'P', name: string }): void
  sync(): void
}

class DescribeStatement {
  private fields: pg.FieldDef[] = []

  constructor(private readonly text: string, private readonly settle: (error: Error | undefined, fields: pg.FieldDef[]) => void) {}

  submit(connection: BackendConnection): void {
    connection.parse({ text: this.text, name: '', types: [] })
    connection.describe({ type: 'S', name: '' })
    connection.sync()
  }

  handleRowDescription(message: { fields: pg.FieldDef[] }): void {
    this.fields = message.fields
  }

  // the client lets go of a statement on its error (ReadyForQuery then goes to nobody);
  // Sync is already sent, so the backend is ready for the next statement after it
  handleError(error: Error): void {
    this.settle(error, [])
  }

  handleReadyForQuery(): void {
    this.settle(undefined, this.fields)
  }

  // the client calls these for other kinds of statements; a Describe answers none of them
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

/** The columns `sql` would return (empty when it returns no rows), without running it. */
export function describeStatement(client: pg.Client, sql: string): Promise<pg.FieldDef[]> {
  return new Promise((resolve, reject) => {
    const submittable = new DescribeStatement(sql, (error, fields) => error ? reject(error) : resolve(fields))
    client.query(submittable as unknown as pg.QueryConfig)
  })
}
