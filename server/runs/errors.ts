// The error enqueue throws for input the caller can fix (bad or missing parameter
// values, unknown placeholders). It is an H3Error with status 400 and the field issues
// in `data.issues`, so a route that lets it through answers the §6 error shape, and
// non-HTTP callers (schedules) read `issues` for their firing history.
import { H3Error } from 'h3'
import type { ParameterIssue } from '#shared/parameters/types'

export class RunInputError extends H3Error<{ issues: ParameterIssue[] }> {
  readonly issues: ParameterIssue[]

  constructor(message: string, issues: ParameterIssue[] = []) {
    super(message)
    this.statusCode = 400
    this.statusMessage = 'Bad Request'
    this.issues = issues
    this.data = { issues }
  }
}
