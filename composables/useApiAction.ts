// One user action that calls the API (create, rename, save a grant, sign in): its error
// line and its busy flag. `run` clears the last error, and on failure shows the sentence
// the server sent (apiErrorMessage) instead of throwing; it answers whether it worked.
// `refuse` shows a problem found before any call, such as the schema's first issue.
import type { ZodError } from 'zod'

export function useApiAction() {
  const error = ref('')
  const busy = ref(false)

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    error.value = ''
    busy.value = true
    try {
      await action()
      return true
    }
    catch (failure) {
      error.value = apiErrorMessage(failure)
      return false
    }
    finally {
      busy.value = false
    }
  }

  function refuse(message: string): void {
    error.value = message
  }

  return { error, busy, run, refuse }
}

/** A failed schema check as one line: each issue as `field: reason`. */
export function schemaIssuesMessage(error: ZodError): string {
  return error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')
}
