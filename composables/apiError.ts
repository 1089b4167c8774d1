// Turns a failed $fetch into the sentence the server sent (`message`), for display; with
// no message, a label that matches the status (a 404 is "Not found", not "Server Error").
const statusLabels: Record<number, string> = {
  400: 'The request was not valid',
  401: 'Sign in to continue',
  403: 'You are not allowed to do this',
  404: 'Not found',
  409: 'This conflicts with the current state',
  410: 'This is no longer available',
  413: 'The request is too large',
  429: 'Too many requests: try again shortly',
}

export function apiErrorMessage(error: unknown): string {
  const failure = error as { data?: { message?: string }, statusCode?: number, status?: number, message?: string }
  if (failure?.data?.message) return failure.data.message
  const status = failure?.statusCode ?? failure?.status
  if (status) return statusLabels[status] ?? (status >= 500 ? `Server error (${status})` : `Request failed (${status})`)
  return failure?.message ?? 'Something went wrong'
}
