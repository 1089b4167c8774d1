import { expect, test } from '@playwright/test'
import { signInAsAdmin } from './support'

test('a datasource is created, tested and browsed, and its password is never shown back', async ({ page }) => {
  await signInAsAdmin(page)
  await page.goto('/datasources')
  await page.getByRole('link', { name: 'New datasource' }).click()
  await page.getByLabel('Name').fill('Demo copy')
  await page.getByLabel('Host').fill('127.0.0.1')
  await page.getByLabel('Port').fill(String(Number(process.env.TESSERA_E2E_PORT ?? 3210) + 2))
  await page.getByLabel('Database').fill('tessera_demo')
  await page.getByLabel('User').fill('postgres')
  await page.getByLabel('Password').fill('tessera')
  await page.getByLabel('SSL mode').selectOption('disable')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.waitForURL(/\/datasources\/[0-9a-f-]{36}$/)

  await expect(page.getByLabel('Password')).toHaveValue('')
  await expect(page.getByLabel('Password')).toHaveAttribute('placeholder', 'leave blank to keep')

  await page.getByRole('button', { name: 'Test connection' }).click()
  const test = page.getByTestId('datasource-test')
  await expect(test).toContainText('Connected · PostgreSQL')
  // the embedded demo role is a superuser: the test warns about it
  await expect(test.locator('.warnings')).toContainText('superuser')

  const browser = page.getByTestId('schema-browser')
  await browser.getByLabel('Filter schema').fill('customers_affected')
  await expect(browser.getByRole('button', { name: 'outages' })).toBeVisible()
  await expect(browser.getByText('customers_affected')).toBeVisible()
  await expect(browser.getByRole('button', { name: 'regions' })).toHaveCount(0)

  await page.goto('/datasources')
  await expect(page.getByTestId('datasource-list').getByRole('link', { name: 'Demo copy' })).toBeVisible()
})
