// Owns the process configuration: read from the environment once, validated with
// zod, failing fast with a message that names the variable. Nothing else reads
// process.env for Tessera settings.
import { z } from 'zod'

const booleanFlag = z.enum(['0', '1', 'true', 'false']).transform(value => value === '1' || value === 'true')

const configSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL'),
  APP_ROLE: z.enum(['web', 'worker']).default('web'),
  TESSERA_SECRET_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)').optional(),
  TESSERA_ADMIN_EMAIL: z.email().optional(),
  TESSERA_ADMIN_PASSWORD: z.string().min(8).optional(),
  TESSERA_DEMO_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL').optional(),
  TESSERA_COOKIE_SECURE: booleanFlag.optional(),
  TESSERA_MIGRATIONS_DIR: z.string().optional(),
  TESSERA_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(10),
  TESSERA_LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  TESSERA_SESSION_DAYS: z.coerce.number().int().positive().default(30),
})

export type TesseraConfig = z.infer<typeof configSchema>

let loaded: TesseraConfig | undefined

export function useConfig(): TesseraConfig {
  if (loaded) return loaded
  const parsed = configSchema.safeParse(process.env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  loaded = parsed.data
  return loaded
}
