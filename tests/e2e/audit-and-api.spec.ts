// The admin's audit page and everyone's API page, in a browser: the audit log shows the
// admin's own sign-in, filters narrow it and the CSV link carries the same filters; the
// API page lists the operations with their body fields from the served document.
import { expect, test } from '@playwright/test'
import { signInAsAdmin, signInAsNewMember } from './support'

test('an admin reads the audit log, filters it and downloads the same rows as CSV', async ({ page }) => {
  await signInAsAdmin(page)
  await page.getByRole('link', { name: 'Audit' }).click()
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
  const table = page.getByTestId('audit-table')
  await expect(table.getByText('auth.sign_in', { exact: true }).first()).toBeVisible()

  await page.getByLabel('Action').fill('auth.')
  await page.getByRole('button', { name: 'Filter' }).click()
  await expect(page).toHaveURL(/action=auth\./)
  await expect(table.locator('tbody tr').first()).toContainText('auth.')
  const actions = await table.locator('tbody tr td:nth-child(3)').allInnerTexts()
  expect(actions.every(action => action.startsWith('auth.'))).toBe(true)

  const href = await page.getByTestId('audit-csv').getAttribute('href')
  expect(href).toBe('/api/audit.csv?action=auth.')
  const csv = await page.request.get(href!)
  expect(csv.status()).toBe(200)
  expect((await csv.text()).split('\r\n')[0]).toMatch(/^time,actor_type,/)
})

test('a viewer has no audit link and is told the page is for admins', async ({ page, browser }) => {
  await signInAsAdmin(page)
  const viewer = await signInAsNewMember(page, browser, 'viewer')
  await expect(viewer.page.getByRole('link', { name: 'Audit' })).toHaveCount(0)
  await viewer.page.goto('/admin/audit')
  await expect(viewer.page.getByTestId('needs-admin')).toBeVisible()
  await viewer.context.close()
})

test('the API page lists operations with their parameters and body fields', async ({ page }) => {
  await signInAsAdmin(page)
  await page.getByTestId('api-docs').click()
  await expect(page.getByRole('heading', { name: 'API', exact: true })).toBeVisible()
  await expect(page.getByText('Authorization: Bearer tsr_…')).toBeVisible()
  await page.getByPlaceholder('Find an operation').fill('save a new query')
  const operation = page.getByTestId('operation-postQueries')
  await operation.locator('summary').click()
  await expect(operation.getByRole('cell', { name: 'datasourceId', exact: true })).toBeVisible()
  await expect(operation.getByRole('cell', { name: 'parameters[].name', exact: true })).toBeVisible()
  await expect(operation).toContainText('Needs the editor role')
})
