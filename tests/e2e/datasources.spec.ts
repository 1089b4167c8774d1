import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import pg from 'pg'
import { signInAsAdmin } from './support'

const postgresPort = Number(process.env.TESSERA_E2E_PORT ?? 3210) + 2
const READER = { user: 'tessera_e2e_reader', password: 'e2e-reader-password' }

/** A read-only role on the embedded server, made with the install's generated superuser password. */
async function createReaderRole(superuserPassword: string) {
  const client = new pg.Client({ host: '127.0.0.1', port: postgresPort, user: 'postgres', password: superuserPassword, database: 'postgres' })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [READER.user])
    if (!rowCount) await client.query(`CREATE ROLE ${READER.user} LOGIN PASSWORD '${READER.password}'`)
    await client.query(`GRANT pg_read_all_data TO ${READER.user}`)
  }
  finally {
    await client.end()
  }
}

test('a superuser datasource is refused; a read-only one is created, tested and browsed, and its password is never shown back', async ({ page }) => {
  const superuserPassword = readFileSync(join(process.env.TESSERA_E2E_DATA_DIR!, 'postgres.password'), 'utf8').trim()
  await createReaderRole(superuserPassword)
  await signInAsAdmin(page)
  await page.goto('/datasources')
  await page.getByRole('link', { name: 'New datasource' }).click()
  await page.getByLabel('Name').fill('Demo copy')
  await page.getByLabel('Host').fill('127.0.0.1')
  await page.getByLabel('Port').fill(String(postgresPort))
  await page.getByLabel('Database').fill('tessera_demo')
  await page.getByLabel('User').fill('postgres')
  await page.getByLabel('Password').fill(superuserPassword)
  await page.getByLabel('SSL mode').selectOption('disable')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.waitForURL(/\/datasources\/[0-9a-f-]{36}$/)

  await expect(page.getByLabel('Password')).toHaveValue('')
  await expect(page.getByLabel('Password')).toHaveAttribute('placeholder', 'leave blank to keep')

  // the install's superuser: refused, with the way to make a read-only role
  await page.getByRole('button', { name: 'Test connection' }).click()
  const test = page.getByTestId('datasource-test')
  await expect(test).toContainText('refuses to run SQL as role "postgres": it is a superuser')
  await expect(test).toContainText('GRANT pg_read_all_data')

  await page.getByLabel('User').fill(READER.user)
  await page.getByLabel('Password').fill(READER.password)
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('datasource-message')).toHaveText('Saved.')
  await page.reload()
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(test).toContainText('Connected · PostgreSQL')
  await expect(test.locator('.warnings')).toHaveCount(0)

  const browser = page.getByTestId('schema-browser')
  await browser.getByLabel('Filter schema').fill('customers_affected')
  await expect(browser.getByRole('button', { name: 'outages' })).toBeVisible()
  await expect(browser.getByText('customers_affected')).toBeVisible()
  await expect(browser.getByRole('button', { name: 'regions' })).toHaveCount(0)

  await page.goto('/datasources')
  await expect(page.getByTestId('datasource-list').getByRole('link', { name: 'Demo copy' })).toBeVisible()
})

test('allowing a privileged role is marked in red on the form and in the list', async ({ page }) => {
  await signInAsAdmin(page)
  await page.goto('/datasources/new')
  await page.getByLabel('Name').fill('Privileged copy')
  await page.getByLabel('Host').fill('127.0.0.1')
  await page.getByLabel('Port').fill(String(postgresPort))
  await page.getByLabel('Database').fill('tessera_demo')
  await page.getByLabel('User').fill('postgres')
  const allow = page.getByTestId('allow-privileged-role')
  await allow.getByRole('checkbox').check()
  await expect(allow).toHaveCSS('border-top-color', 'rgb(180, 35, 24)')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.waitForURL(/\/datasources\/[0-9a-f-]{36}$/)
  await expect(page.getByTestId('allow-privileged-role').getByRole('checkbox')).toBeChecked()
  await page.goto('/datasources')
  await expect(page.getByTestId('datasource-list').getByRole('row', { name: /Privileged copy/ })).toContainText('privileged role allowed')
})
