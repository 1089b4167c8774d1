// Writes the workbench's documentation screenshots (docs/screenshots/), once in the light
// theme and once in the dark one (the UI follows the system setting): a date chart, the
// results grid sorted, and (dark only: docs.spec.ts takes the light one) the demo dashboard. Run by `npm run screenshots` only.
import { expect, test, type Page } from '@playwright/test'
import { signInAsAdmin } from '../e2e/support'
import { expectRunStatus } from '../e2e/query-support'

async function queryId(page: Page, name: string): Promise<string> {
  const list = await (await page.request.get('/api/queries', { params: { q: name } })).json() as { queries: { id: string, name: string }[] }
  return list.queries.find(query => query.name === name)!.id
}

for (const scheme of ['light', 'dark'] as const) {
  const suffix = scheme === 'dark' ? '-dark' : ''

  test(`the workbench in the ${scheme} theme is captured for the docs`, async ({ page }) => {
    test.setTimeout(180_000)
    await page.emulateMedia({ colorScheme: scheme })
    await signInAsAdmin(page)

    const daily = await queryId(page, 'Daily outages')
    await page.goto(`/queries/${daily}/visualizations`)
    await page.getByTestId('new-visualization').click()
    await page.getByTestId('visualization-type').selectOption('bar')
    await expect(page.getByTestId('visualization-preview').getByTestId('chart-view')).toHaveAttribute('data-points', /[1-9]/, { timeout: 90_000 })
    await page.waitForTimeout(500)
    await page.screenshot({ path: `docs/screenshots/date-chart${suffix}.png`, fullPage: true })

    await page.goto(`/queries/${await queryId(page, 'Latest unrestored outages')}`)
    await page.getByTestId('run-query').click()
    await expectRunStatus(page, 'succeeded')
    await page.locator('[data-head="6"]').click()
    await page.locator('[data-head="6"]').click()
    await expect(page.locator('[data-head="6"] [data-testid="sort-mark"]')).toHaveText('▼')
    await page.screenshot({ path: `docs/screenshots/results-grid${suffix}.png`, fullPage: true })

    // the light dashboard is docs.spec.ts's picture
    if (scheme === 'light') return
    await page.goto('/dashboards')
    await page.getByRole('link', { name: /Operations overview/ }).click()
    await expect(page.getByTestId('chart-view').first()).toHaveAttribute('data-total', /[1-9]/, { timeout: 90_000 })
    await expect(page.getByTestId('tile-spinner')).toHaveCount(0, { timeout: 60_000 })
    await page.waitForTimeout(500)
    await page.screenshot({ path: 'docs/screenshots/demo-dashboard-dark.png', fullPage: true })
  })
}
