// Column type names ('int8', 'numeric', 'timestamptz', 'text[]') for the OIDs a result
// describes. Built-in OIDs (below 16384) are the same on every Postgres server, so their
// names are cached for the life of the process; user types (enums, domains) are looked
// up each time because the same OID means different things on different servers.
const FIRST_USER_OID = 16_384
const builtinNames = new Map<number, string>()

export async function typeNamesFor(oids: number[], lookup: (oids: number[]) => Promise<Map<number, string>>): Promise<Map<number, string>> {
  const names = new Map<number, string>()
  const missing: number[] = []
  for (const oid of new Set(oids)) {
    const known = builtinNames.get(oid)
    if (known) names.set(oid, known)
    else missing.push(oid)
  }
  if (missing.length === 0) return names
  for (const [oid, name] of await lookup(missing)) {
    names.set(oid, name)
    if (oid < FIRST_USER_OID) builtinNames.set(oid, name)
  }
  return names
}
