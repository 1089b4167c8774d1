import { expect, test, type Page } from '@playwright/test'
import { signInAsAdmin } from './support'

/** A same-origin JSON call from the signed-in page (cookies and CSRF rules as for the app). */
async function api(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(async ({ method, path, body }) => {
    const response = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: response.status, json: await response.json() }
  }, { method, path, body })
}

test('an admin edits a dashboard schedule on the schedules page: bad cron shown, next five previewed, saved, paused', async ({ page }) => {
  await signInAsAdmin(page)
  const dashboard = await api(page, 'POST', '/api/dashboards', { name: 'Night shift board', tiles: [{ text: '## Night shift', x: 0, y: 0, w: 12, h: 1 }] })
  expect(dashboard.status).toBe(201)
  const created = await api(page, 'POST', '/api/schedules', { dashboardId: dashboard.json.id, cron: '0 6 * * *', timezone: 'America/Toronto', enabled: true })
  expect(created.status).toBe(201)

  await page.getByRole('link', { name: 'Schedules' }).click()
  await expect(page.getByRole('heading', { name: 'Schedules' })).toBeVisible()
  const row = page.locator(`tr[data-schedule-id="${created.json.id}"]`)
  await expect(row).toContainText('Dashboard: Night shift board')
  await expect(row).toContainText('every day at 06:00')
  await expect(row).toContainText('never fired')

  await row.getByRole('button', { name: 'Edit' }).click()
  const editor = page.getByTestId('schedule-editor')
  await editor.getByLabel('Cron').fill('61 * * * *')
  await expect(editor.getByTestId('cron-error')).toContainText('minute: 61 is outside 0-59')
  await expect(editor.getByRole('button', { name: 'Save schedule' })).toBeDisabled()
  await editor.getByLabel('Cron').fill('30 2 * * *')
  await expect(editor.getByText('every day at 02:30')).toBeVisible()
  await expect(editor.getByTestId('schedule-preview').locator('li')).toHaveCount(5)
  await expect(editor.getByTestId('schedule-preview').locator('li').first()).toContainText(/0?2:30|0?3:30/)
  await editor.getByRole('button', { name: 'Save schedule' }).click()
  await expect(row).toContainText('every day at 02:30')

  await row.getByRole('checkbox').uncheck()
  await expect(row).toContainText('paused')
  const saved = await api(page, 'GET', `/api/schedules/${created.json.id}`)
  expect(saved.json).toMatchObject({ cron: '30 2 * * *', enabled: false })

  await row.getByRole('button', { name: 'History' }).click()
  await expect(page.getByTestId('schedule-firings')).toContainText('No firings yet.')
})
