import { expect, test } from '@playwright/test'
import { signInAsAdmin } from './support'
import { ensureDemoDatasource, writeSql } from './query-support'

test('a parameter keeps its type when its placeholder is deleted and written again', async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
  await page.goto('/queries/new')
  await writeSql(page, 'select {{day}}')
  await page.getByRole('button', { name: 'Settings of day' }).click()
  await page.getByLabel('Type of day').selectOption('date')
  await writeSql(page, 'select {{day}} as again')
  await expect(page.getByRole('button', { name: 'Settings of day' })).toHaveText('⚙ date')
})

test('saving a new query keeps its results and parameter values on screen', async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
  await page.goto('/queries/new')
  await writeSql(page, 'select {{word}} as echoed')
  await page.getByLabel('word', { exact: true }).fill('kept')
  await page.getByTestId('run-query').click()
  await expect(page.locator('[data-row="0"] [data-col="0"]')).toHaveText('kept')
  await page.getByTestId('save-query').click()
  await page.waitForURL(/\/queries\/[0-9a-f-]{36}$/)
  // a re-mounted editor would load the saved query afresh: give it the time to do so
  await page.waitForLoadState('networkidle')
  await expect(page.getByLabel('word', { exact: true })).toHaveValue('kept')
  await expect(page.locator('[data-row="0"] [data-col="0"]')).toHaveText('kept')
})

test('leaving an edited query asks first, and staying keeps the edits', async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
  await page.goto('/queries/new')
  await writeSql(page, 'select 42 as answer')
  page.once('dialog', dialog => void dialog.dismiss())
  await page.getByRole('link', { name: 'Queries' }).click()
  await expect(page).toHaveURL(/\/queries\/new$/)
  await expect(page.locator('[data-testid="sql-editor"] .cm-content')).toContainText('select 42')
})

test('an enum parameter offers its options and an integer parameter refuses a fraction', async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
  await page.goto('/queries/new')
  await writeSql(page, 'select {{venue}} as venue, {{top}} as top')
  await page.getByRole('button', { name: 'Settings of venue' }).click()
  await page.getByLabel('Type of venue').selectOption('enum')
  await page.getByLabel('Options (one per line)').fill('TSX\nNEO\nCSE')
  await page.getByLabel('Options (one per line)').blur()
  await page.getByRole('button', { name: 'Settings of venue' }).click()
  await page.getByLabel('venue', { exact: true }).selectOption('NEO')

  await page.getByRole('button', { name: 'Settings of top' }).click()
  await page.getByLabel('Type of top').selectOption('integer')
  await page.getByRole('button', { name: 'Settings of top' }).click()
  await page.getByLabel('top', { exact: true }).fill('2.5')
  await expect(page.locator('[data-parameter="top"] .error')).toHaveText('must be a whole number')
  await page.getByLabel('top', { exact: true }).fill('7')
  await expect(page.locator('[data-parameter="top"] .error')).toHaveCount(0)

  await page.getByTestId('run-query').click()
  await expect(page.locator('[data-row="0"] [data-col="0"]')).toHaveText('NEO')
  await expect(page.locator('[data-row="0"] [data-col="1"]')).toHaveText('7')
})

test('an error in a saved query with a parameter is marked where the user wrote it', async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
  await page.goto('/queries/new')
  await writeSql(page, 'select {{word}} as echoed, missing_column from ops.regions')
  await page.getByTestId('save-query').click()
  await page.waitForURL(/\/queries\/[0-9a-f-]{36}$/)
  await page.getByLabel('word', { exact: true }).fill('x')
  await page.getByTestId('run-query').click()
  await expect(page.getByTestId('run-error')).toContainText('missing_column')
  await expect(page.locator('.cm-lintRange-error')).toHaveText('missing_column')
})
