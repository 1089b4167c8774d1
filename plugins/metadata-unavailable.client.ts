// Every API call that answers 503 with Retry-After (Tessera cannot reach its database)
// raises the banner that says so, whichever page made the call.
export default defineNuxtPlugin(() => {
  const unavailable = useMetadataUnavailable()
  globalThis.$fetch = $fetch.create({
    onResponseError({ response }) {
      if (response.status === 503 && response.headers.get('retry-after')) unavailable.value = true
    },
  }) as typeof $fetch
})
