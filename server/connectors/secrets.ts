// Datasource passwords at rest: AES-256-GCM with the key from TESSERA_SECRET_KEY.
// Stored as "v1:<iv>:<tag>:<ciphertext>" (base64) so the format can change later.
// Decrypted only where a connection is opened (the worker, and the connection test).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { useConfig } from '../config'

function secretKey(): Buffer {
  const hex = useConfig().TESSERA_SECRET_KEY
  if (!hex) throw new Error('TESSERA_SECRET_KEY is not set: datasource passwords cannot be encrypted or decrypted')
  return Buffer.from(hex, 'hex')
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secretKey(), iv)
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), encrypted.toString('base64')].join(':')
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, encrypted] = stored.split(':')
  if (version !== 'v1' || !iv || !tag || encrypted === undefined) throw new Error('Unknown secret format')
  const decipher = createDecipheriv('aes-256-gcm', secretKey(), Buffer.from(iv, 'base64'))
  decipher.setAuthTag(Buffer.from(tag, 'base64'))
  return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]).toString('utf8')
}
