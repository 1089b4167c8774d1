import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  { ignores: ['db/migrations/**', '.tessera/**', 'test-results/**', 'playwright-report/**'] },
  // test responses are arbitrary JSON inspected field by field
  { files: ['tests/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
)
