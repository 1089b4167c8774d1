import { expect, test } from '@playwright/test'
import { E2E_ADMIN } from '../../playwright.config'
import { signInAsAdmin } from './support'

test('a signed-out visitor is sent to the sign-in page', async ({ page }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/login/)
  await expect(page.getByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
})

test('a wrong password shows an error and stays on the sign-in page', async ({ page }) => {
  await page.goto('/login')
  await page.getByLabel('Email').fill(E2E_ADMIN.email)
  await page.getByLabel('Password').fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('Invalid email or password')
  await expect(page).toHaveURL(/\/login/)
})

test('the admin signs in, sees the home page of the demo org, and signs out', async ({ page }) => {
  await signInAsAdmin(page)
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible()
  await expect(page.getByText('Demo Ops').first()).toBeVisible()
  await page.getByTestId('sign-out').click()
  await expect(page).toHaveURL(/\/login/)
  await page.goto('/')
  await expect(page).toHaveURL(/\/login/)
})

test('an admin adds a viewer who then cannot open the users page', async ({ page, browser }) => {
  await signInAsAdmin(page)
  await page.goto('/admin/users')
  const email = `viewer-${Date.now()}@e2e.test`
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Name').fill('E2E Viewer')
  await page.getByLabel('Password').fill('viewer-password')
  await page.getByRole('button', { name: 'Add user' }).click()
  await expect(page.getByRole('cell', { name: email })).toBeVisible()

  const viewerContext = await browser.newContext()
  const viewerPage = await viewerContext.newPage()
  await viewerPage.goto('/login')
  await viewerPage.getByLabel('Email').fill(email)
  await viewerPage.getByLabel('Password').fill('viewer-password')
  await viewerPage.getByRole('button', { name: 'Sign in' }).click()
  await expect(viewerPage.getByRole('heading', { name: /Welcome/ })).toBeVisible()
  await expect(viewerPage.getByRole('link', { name: 'Users' })).toHaveCount(0)
  const response = await viewerPage.request.get('/api/admin/users')
  expect(response.status()).toBe(403)
  await viewerContext.close()
})
