// Formats schedule instants for people: in the schedule's own timezone, with the zone
// abbreviation, so "02:30 EST" and "03:30 EDT" read as the DST rule intends.
export function formatInZone(instant: string | Date | null | undefined, timezone: string): string {
  if (!instant) return '—'
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short',
  }).format(new Date(instant))
}

/** Every IANA zone this browser knows, UTC first. */
export function timezoneNames(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...zones.filter(zone => zone !== 'UTC')]
}
