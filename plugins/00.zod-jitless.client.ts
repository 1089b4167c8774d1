// zod compiles fast parsers with `new Function` when it may. Under the app's
// Content-Security-Policy (no 'unsafe-eval') it may not, and its probe for that is itself
// reported as a policy violation; jitless mode skips the probe and the compiling. Set when
// this module loads, before the modules that build schemas do (the probe runs as the first
// object schema is built, not when it parses).
import { z } from 'zod'

z.config({ jitless: true })

export default defineNuxtPlugin({ name: 'zod-jitless', enforce: 'pre' })
