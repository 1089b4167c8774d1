// Writes the documentation screenshots (docs/screenshots/) from the running product.
// Run by `npm run screenshots` only (playwright.screenshots.config.ts): the test run
// never touches tracked files.
import { expect, test } from '@playwright/test'
import { signInAsAdmin } from '../e2e/support'
import { ensureDemoDatasource, expectRunStatus, runWithShortcut, writeSql } from '../e2e/query-support'

test('the editor with results and the history panel are captured for the docs', async ({ page }) => {
  test.setTimeout(120_000)
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
  await page.goto('/queries/new')
  await page.getByLabel('Query name').fill('Latency by venue')
  await writeSql(page, [
    'select venue, date_trunc(\'hour\', observed_at) as hour,',
    '       round(avg(p99_us), 1) as p99_us, sum(messages) as messages',
    'from ops.trading_latency',
    'where observed_at >= {{since}}',
    'group by 1, 2 order by 2 desc, 1',
  ].join('\n'))
  await page.getByRole('button', { name: 'Settings of since' }).click()
  await page.getByLabel('Type of since').selectOption('date')
  await page.getByRole('button', { name: 'Settings of since' }).click()
  await page.locator('[data-parameter="since"] select').first().selectOption('last_7_days')
  await runWithShortcut(page)
  await expectRunStatus(page, 'succeeded')
  await page.screenshot({ path: 'docs/screenshots/query-editor.png', fullPage: true })

  await page.keyboard.press('ControlOrMeta+S')
  await page.waitForURL(/\/queries\/[0-9a-f-]{36}$/)
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
  await writeSql(page, 'select venue, count(*) as minutes\nfrom ops.trading_latency\nwhere observed_at >= {{since}}\ngroup by venue')
  await expect(page.getByTestId('unsaved')).toBeVisible()
  await page.keyboard.press('ControlOrMeta+S')
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
  await runWithShortcut(page)
  await expectRunStatus(page, 'succeeded')
  await page.getByTestId('history-tab').click()
  await page.getByTestId('version-history').getByRole('button', { name: 'v1' }).click()
  await expect(page.getByTestId('version-diff')).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/query-history.png', fullPage: true })
})

test('the demo dashboard in view, TV and edit mode is captured for the docs', async ({ page }) => {
  test.setTimeout(150_000)
  await signInAsAdmin(page)
  await page.goto('/dashboards')
  await page.getByRole('link', { name: /Operations overview/ }).click()
  await expect(page.getByTestId('chart-view').first()).toHaveAttribute('data-total', /[1-9]/, { timeout: 90_000 })
  await expect(page.getByTestId('tile-spinner')).toHaveCount(0, { timeout: 60_000 })
  await page.getByTestId('tv-mode').click()
  await expect(page.getByTestId('edit-dashboard')).toHaveCount(0)
  await page.screenshot({ path: 'docs/screenshots/demo-dashboard-tv.png' })
  await page.getByTestId('leave-tv').click()
  await expect(page.getByTestId('edit-dashboard')).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/demo-dashboard.png', fullPage: true })
  await page.getByTestId('edit-dashboard').click()
  await expect(page.getByTestId('drag-handle').first()).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/demo-dashboard-edit-mode.png' })
})
