import { expect, test } from '@playwright/test'
import { signInAsAdmin } from './support'

test('a saved query and a dashboard each show their schedule controls', async ({ page }) => {
  await signInAsAdmin(page)
  await page.goto('/queries')
  await page.getByRole('link', { name: 'Daily outages' }).first().click()
  await page.getByTestId('schedules-tab').click()
  const queryControls = page.getByTestId('schedule-controls')
  await expect(queryControls.getByRole('heading', { name: 'Schedules' })).toBeVisible()
  await queryControls.getByRole('button', { name: 'Add schedule' }).click()
  // the editor opens on the daily 06:00 preset and previews its next five fire times
  const queryEditor = queryControls.getByTestId('schedule-editor')
  await expect(queryEditor.getByLabel('Cron')).toHaveValue('0 6 * * *')
  await expect(queryEditor.getByRole('heading', { name: 'Next five fire times' })).toBeVisible()
  await expect(queryEditor.getByTestId('schedule-preview').locator('li')).toHaveCount(5)
  await expect(queryEditor.getByTestId('schedule-preview').locator('li').first()).toContainText(/\b06:00\b/)
  // parameter values with the query page's own parameter form, not raw JSON
  await expect(queryEditor.getByTestId('schedule-parameters').getByTestId('parameter-form')).toBeVisible()

  await page.goto('/dashboards')
  await page.getByRole('link', { name: 'Operations overview' }).first().click()
  const dashboardControls = page.getByTestId('schedule-controls')
  await expect(dashboardControls.getByRole('heading', { name: 'Schedules' })).toBeVisible()
  await dashboardControls.getByRole('button', { name: 'Add schedule' }).click()
  // a dashboard schedule refreshes every tile with the dashboard's filters: no parameter values
  const dashboardEditor = dashboardControls.getByTestId('schedule-editor')
  await expect(dashboardEditor.getByTestId('schedule-preview').locator('li')).toHaveCount(5)
  await expect(dashboardEditor.getByLabel('Parameter values (JSON)')).toHaveCount(0)
})
