// Owns password hashing: argon2id only (OWASP's recommended parameters).
// Plain passwords are never logged or stored.
import { hash, verify } from '@node-rs/argon2'
import { generateSecretToken } from './secrets'

const ARGON2ID = 2
const hashOptions = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, hashOptions)
}

/** A password for a person to type once and change: 16 base32 characters, 80 random bits. */
export function generatePassword(): string {
  return generateSecretToken().slice(0, 16)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  }
  catch {
    return false
  }
}

// Spends the same time as a real verification, so a login for an unknown email
// cannot be told apart from a wrong password by its latency.
let dummyHash: Promise<string> | undefined
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('tessera-timing-equaliser')
  await verifyPassword(await dummyHash, password)
  return false
}
