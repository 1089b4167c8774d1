import { expect, test } from '@playwright/test'
import { signInAsAdmin } from './support'

test('a saved query and a dashboard each show their schedule controls', async ({ page }) => {
  await signInAsAdmin(page)
  await page.goto('/queries')
  await page.getByRole('link', { name: 'Daily outages' }).first().click()
  await page.getByTestId('schedules-tab').click()
  const queryControls = page.getByTestId('schedule-controls')
  await expect(queryControls).toBeVisible()
  await queryControls.getByRole('button', { name: 'Add schedule' }).click()
  await expect(page.getByText(/next|fire/i).first()).toBeVisible()

  await page.goto('/dashboards')
  await page.getByRole('link', { name: 'Operations overview' }).first().click()
  await expect(page.getByTestId('schedule-controls')).toBeVisible()
  await expect(page.getByTestId('schedule-controls').getByRole('heading', { name: 'Schedules' })).toBeVisible()
})
