// Whether the server just said its database is unreachable (503 with Retry-After). Raised by
// plugins/metadata-unavailable.client.ts, shown and cleared by StatusUnavailableBanner.
export function useMetadataUnavailable() {
  return useState<boolean>('metadata-unavailable', () => false)
}
