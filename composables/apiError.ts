// Turns a failed $fetch into the sentence the server sent (`message`), for display.
export function apiErrorMessage(error: unknown): string {
  const data = (error as { data?: { message?: string } })?.data
  return data?.message ?? (error as Error)?.message ?? 'Something went wrong'
}
