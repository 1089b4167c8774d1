// The production build under its Content-Security-Policy: signing in, the query page
// (CodeMirror, the results grid, a chart) and the demo dashboard (charts, a markdown tile,
// TV and edit mode) work, and the browser reports no violation of the policy.
import { expect, test, type Page } from '@playwright/test'
import { expectRunStatus } from './query-support'
import { E2E_ADMIN } from '../../playwright.config'

/** Every violation the browser reports, as a console message or as the document's event. */
async function recordViolations(page: Page): Promise<string[]> {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`)
    })
  })
  return violations
}

async function named(page: Page, kind: 'queries' | 'dashboards', name: string): Promise<string> {
  const answer = await (await page.request.get(`/api/${kind}`, { params: { q: name, limit: 500 } })).json()
  const list = (Array.isArray(answer) ? answer : answer.queries) as { id: string, name: string }[]
  return list.find(entry => entry.name === name)!.id
}

test('the login, query and dashboard pages run under the policy without a violation', async ({ page }) => {
  test.setTimeout(180_000)
  const violations = await recordViolations(page)

  const login = await page.goto('/login')
  expect(login!.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/)
  await page.getByLabel('Email').fill(E2E_ADMIN.email)
  await page.getByLabel('Password').fill(E2E_ADMIN.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => !url.pathname.startsWith('/login'))

  const queryId = await named(page, 'queries', 'Outages by province')
  await page.goto(`/queries/${queryId}`)
  await expect(page.locator('[data-testid="sql-editor"] .cm-content')).toBeVisible()
  await page.getByTestId('run-query').click()
  await expectRunStatus(page, 'succeeded')
  await expect(page.locator('[data-testid="results-scroller"] [data-row="0"]').first()).toBeVisible()
  await page.goto(`/queries/${queryId}/visualizations`)
  await expect(page.getByTestId('config-panel')).toBeVisible()

  await page.goto(`/dashboards/${await named(page, 'dashboards', 'Operations overview')}`)
  await expect(page.getByTestId('chart-view').first()).toHaveAttribute('data-total', /[1-9]/, { timeout: 90_000 })
  await expect(page.getByTestId('tile-spinner')).toHaveCount(0, { timeout: 60_000 })
  await expect(page.locator('.markdown').first()).toBeVisible()
  await page.getByTestId('tv-mode').click()
  await expect(page).toHaveURL(/tv=1/)
  await page.getByTestId('leave-tv').click()
  await page.getByTestId('edit-dashboard').click()
  await expect(page.getByTestId('drag-handle').first()).toBeVisible()

  expect(violations).toEqual([])
})
