import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { signInAsAdmin } from './support'
import { cell, ensureDemoDatasource, expectRunStatus, runWithShortcut, shownRunId, writeSql } from './query-support'

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
})

test('a query with a date parameter runs with Ctrl+Enter, runs again with a new value, and is saved into the list', async ({ page }) => {
  await page.goto('/queries/new')
  await page.getByLabel('Query name').fill('Outages since a day')
  await writeSql(page, 'select count(*) as outages from ops.outages where started_at >= {{since}}')
  await page.getByRole('button', { name: 'Settings of since' }).click()
  await page.getByLabel('Type of since').selectOption('date')
  await page.locator('[data-parameter="since"] input[type="date"]').first().fill('2000-01-01')

  await runWithShortcut(page)
  await expectRunStatus(page, 'succeeded')
  await expect(cell(page, 0, 0)).toHaveText('60,000')

  await page.locator('[data-parameter="since"] input[type="date"]').first().fill('2100-01-01')
  await runWithShortcut(page)
  await expect(cell(page, 0, 0)).toHaveText('0')

  await page.locator('[data-testid="sql-editor"] .cm-content').click()
  await page.keyboard.press('ControlOrMeta+S')
  await page.waitForURL(/\/queries\/[0-9a-f-]{36}$/)
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
  await page.reload()
  await expect(page.getByLabel('Query name')).toHaveValue('Outages since a day')
  await expect(page.locator('[data-testid="sql-editor"] .cm-content')).toContainText('{{since}}')

  await page.goto('/queries')
  await expect(page.getByTestId('query-list').getByRole('link', { name: 'Outages since a day' })).toBeVisible()
  await page.getByTestId('query-search').fill('ops.outages where started_at')
  await expect(page.getByTestId('query-list').getByRole('link', { name: 'Outages since a day' })).toBeVisible()
})

test('a long pg_sleep run is canceled from the editor and ends canceled', async ({ page }) => {
  await page.goto('/queries/new')
  await writeSql(page, 'select pg_sleep(30)')
  await runWithShortcut(page)
  await expect(page.getByTestId('cancel-run')).toBeVisible()
  await expect(page.getByTestId('run-status-value')).toHaveText('running', { timeout: 20_000 })
  await page.getByTestId('cancel-run').click()
  await expectRunStatus(page, 'canceled', 20_000)
})

test('the CSV export holds exactly the rows the API returns for the run', async ({ page }) => {
  await page.goto('/queries/new')
  await writeSql(page, `select g as id, g * 2 as doubled, 'name, "' || g || '"' as label from generate_series(1, 50) g`)
  await runWithShortcut(page)
  await expectRunStatus(page, 'succeeded')
  await expect(cell(page, 0, 1)).toHaveText('2')
  await page.getByTestId('results-scroller').evaluate((element) => { element.scrollTop = element.scrollHeight })
  await expect(cell(page, 49, 1)).toHaveText('100')

  const runId = await shownRunId(page)
  const download = page.waitForEvent('download')
  await page.getByTestId('export-csv').click()
  const csv = await readFile(await (await download).path(), 'utf8')
  const page0 = await (await page.request.get(`/api/runs/${runId}/result?offset=0&limit=100`)).json() as { columns: { name: string }[], rows: unknown[][] }

  const lines = csv.replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/)
  expect(lines[0]).toBe(page0.columns.map(column => column.name).join(','))
  const quote = (value: unknown) => (/[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value))
  expect(lines.slice(1)).toEqual(page0.rows.map(row => row.map(quote).join(',')))
})

test('a million-row result scrolls to its last row and shows the right values there', async ({ page }) => {
  test.setTimeout(240_000)
  await page.goto('/queries/new')
  await writeSql(page, 'select g, g * 2 as doubled from generate_series(1, 1000000) g')
  await runWithShortcut(page)
  await expectRunStatus(page, 'succeeded', 180_000)
  await expect(page.getByText('1,000,000 rows').first()).toBeVisible()
  await expect(cell(page, 0, 1)).toHaveText('2')

  const scroller = page.getByTestId('results-scroller')
  await scroller.evaluate((element) => { element.scrollTop = element.scrollHeight })
  await expect(cell(page, 999_999, 0)).toHaveText('1,000,000')
  await expect(cell(page, 999_999, 1)).toHaveText('2,000,000')
  // the page is far below the browser's element height limit, whatever the row count
  expect(await scroller.evaluate(element => element.scrollHeight)).toBeLessThan(10_000_000)

  await scroller.evaluate((element) => { element.scrollTop = element.scrollHeight / 2 })
  const fourthRow = page.locator('[data-testid="results-scroller"] [data-row]').nth(3)
  // halfway down the scroll space is halfway through the rows
  await expect.poll(async () => Number(await fourthRow.getAttribute('data-row'))).toBeLessThan(600_000)
  const middleRow = Number(await fourthRow.getAttribute('data-row'))
  expect(middleRow).toBeGreaterThan(400_000)
  await expect(cell(page, middleRow, 0)).toHaveText((middleRow + 1).toLocaleString('en-US'))
})

test('an SQL error shows its message and marks its position in the editor', async ({ page }) => {
  await page.goto('/queries/new')
  await writeSql(page, 'select id from no_such_table')
  await runWithShortcut(page)
  await expectRunStatus(page, 'failed')
  await expect(page.getByTestId('run-error')).toContainText('no_such_table')
  const mark = page.locator('.cm-lintRange-error')
  await expect(mark).toBeVisible()
  // Postgres blames character 16, where the table name starts
  await expect(mark).toHaveText('no_such_table')
})
