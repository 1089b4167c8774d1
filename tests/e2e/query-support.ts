import { expect, type Page } from '@playwright/test'

/** Replaces the editor's SQL (inserted as text, so autocomplete never swallows a key). */
export async function writeSql(page: Page, sqlText: string) {
  const editor = page.locator('[data-testid="sql-editor"] .cm-content')
  await editor.click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(sqlText)
}

export async function runWithShortcut(page: Page) {
  await page.locator('[data-testid="sql-editor"] .cm-content').click()
  await page.keyboard.press('ControlOrMeta+Enter')
}

export async function expectRunStatus(page: Page, status: string, timeout = 60_000) {
  await expect(page.getByTestId('run-status-value')).toHaveText(status.replace('_', ' '), { timeout })
}

export function cell(page: Page, row: number, column: number) {
  return page.locator(`[data-testid="results-scroller"] [data-row="${row}"] [data-col="${column}"]`)
}

/** The id of the run whose result is shown, read from its export link. */
export async function shownRunId(page: Page): Promise<string> {
  const href = await page.getByTestId('export-csv').getAttribute('href')
  return /\/api\/runs\/([^/]+)\/result\.csv/.exec(href ?? '')![1]!
}

// The first start seeds the "Demo ops database" datasource; the editor tests write SQL against it.
export async function ensureDemoDatasource(page: Page): Promise<string> {
  const existing = await (await page.request.get('/api/datasources')).json() as { id: string, name: string }[]
  const demo = existing.find(datasource => datasource.name === 'Demo ops database')
  expect(demo, 'the seeded Demo ops database datasource').toBeTruthy()
  return demo!.id
}
