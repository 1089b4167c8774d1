// A worker whose TESSERA_SECRET_KEY differs from the one that encrypted the stored
// datasource passwords would fail every run with a cryptic "unable to authenticate data".
// It refuses to start instead, naming the setting.
import { isNotNull } from 'drizzle-orm'
import { datasources } from '../../db/schema'
import { decryptSecret } from '../connectors/secrets'
import { useDb } from '../utils/db'

export async function assertSecretKeyDecryptsPasswords(): Promise<void> {
  const [stored] = await useDb().select({ name: datasources.name, encryptedPassword: datasources.encryptedPassword })
    .from(datasources).where(isNotNull(datasources.encryptedPassword)).limit(1)
  if (!stored?.encryptedPassword) return
  try {
    decryptSecret(stored.encryptedPassword)
  }
  catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`TESSERA_SECRET_KEY cannot decrypt the stored datasource passwords (tried "${stored.name}": ${reason}). Give this worker the same TESSERA_SECRET_KEY as the web process that saved them.`, { cause: error })
  }
}
