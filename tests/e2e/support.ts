import type { Browser, Page } from '@playwright/test'
import type { Role } from '#shared/roles'
import { E2E_ADMIN } from '../../playwright.config'

export async function signInAsAdmin(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(E2E_ADMIN.email)
  await page.getByLabel('Password').fill(E2E_ADMIN.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => !url.pathname.startsWith('/login'))
}

/** A new member of the demo org with this role (added by the admin through the API), signed in on a fresh page. */
export async function signInAsNewMember(adminPage: Page, browser: Browser, role: Role) {
  const email = `${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`
  const password = `${role}-password-long`
  const created = await adminPage.request.post('/api/admin/users', { data: { email, name: `E2E ${role}`, password, role } })
  if (!created.ok()) throw new Error(`could not add the ${role}: ${created.status()} ${await created.text()}`)
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => !url.pathname.startsWith('/login'))
  return { page, context, email, userId: ((await created.json()) as { id: string }).id }
}
