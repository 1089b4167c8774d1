import { expect, test } from '@playwright/test'
import { signInAsAdmin } from './support'
import { ensureDemoDatasource, writeSql } from './query-support'

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
  await page.goto('/queries/new')
})

test('typing a schema-qualified prefix offers the matching tables, then their columns', async ({ page }) => {
  await writeSql(page, 'select * from ')
  await page.keyboard.type('ops.outa')
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('outages')
  // CodeMirror ignores Enter for a moment after the list opens (no accidental accepts)
  await page.waitForTimeout(300)
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="sql-editor"] .cm-content')).toContainText('from ops.outages')
  await page.keyboard.type(' where outages.customers_')
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('customers_affected')
})

test('Format lays out the SQL and keeps placeholders intact; Estimate shows planned rows and cost', async ({ page }) => {
  await writeSql(page, 'select venue, count(*) from ops.trading_latency where observed_at >= {{since}} group by venue')
  await page.getByRole('button', { name: 'Format' }).click()
  const editor = page.locator('[data-testid="sql-editor"] .cm-content')
  await expect(editor.locator('.cm-line')).not.toHaveCount(1)
  await expect(editor).toContainText('{{since}}')
  await page.getByRole('button', { name: 'Settings of since' }).click()
  await page.getByLabel('Type of since').selectOption('date')
  await page.locator('[data-parameter="since"] input[type="date"]').first().fill('2020-01-01')
  await page.getByRole('button', { name: 'Estimate' }).click()
  await expect(page.getByTestId('estimate')).toContainText(/Estimate: [\d,]+ rows, cost [\d.]+/)
})
