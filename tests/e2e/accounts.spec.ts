import { expect, test } from '@playwright/test'
import { signInAsAdmin, signInAsNewMember } from './support'

test('an admin resets a member\'s password, and the member signs in with it and changes it in settings', async ({ page, browser }) => {
  await signInAsAdmin(page)
  const member = await signInAsNewMember(page, browser, 'editor')

  await page.goto('/admin/users')
  const row = page.getByRole('row').filter({ hasText: member.email })
  page.once('dialog', dialog => dialog.accept())
  await row.getByRole('button', { name: 'Reset password' }).click()
  const shown = page.getByTestId('reset-password')
  await expect(shown).toHaveText(/^\S{16}$/)
  const generated = (await shown.textContent())!.trim()

  // signed out everywhere: the member's open page is sent to sign in
  await member.page.goto('/settings')
  await expect(member.page).toHaveURL(/\/login/)
  await member.page.getByLabel('Email').fill(member.email)
  await member.page.getByLabel('Password').fill(generated)
  await member.page.getByRole('button', { name: 'Sign in' }).click()
  await member.page.waitForURL(url => !url.pathname.startsWith('/login'))

  await member.page.goto('/settings')
  const form = member.page.getByTestId('change-password')
  await form.getByLabel('Current password').fill('not the password')
  await form.getByLabel('New password', { exact: true }).fill('my own new password')
  await form.getByLabel('New password again').fill('my own new password')
  await form.getByRole('button', { name: 'Change password' }).click()
  await expect(form.getByRole('alert')).toHaveText('The current password is not right')

  await form.getByLabel('Current password').fill(generated)
  await form.getByRole('button', { name: 'Change password' }).click()
  await expect(member.page.getByTestId('password-changed')).toBeVisible()
  const signIn = await member.page.request.post('/api/auth/login', { data: { email: member.email, password: 'my own new password' } })
  expect(signIn.status()).toBe(200)
  await member.context.close()
})

test('the admin has no reset button on their own row', async ({ page }) => {
  await signInAsAdmin(page)
  await page.goto('/admin/users')
  const ownRow = page.getByRole('row').filter({ hasText: 'admin@e2e.test' })
  await expect(ownRow).toBeVisible()
  await expect(ownRow.getByRole('button', { name: 'Reset password' })).toHaveCount(0)
})
