// Issue #16 items 7, 8, 9 and 10: dashboard filter validation, TV mode on a wall screen,
// the auto-refresh floor, lists while loading, error labels, signed-out visits, tags,
// archive, favorites, the dark theme, shortcut help, export names, demo names and owners,
// the status page's storage figure, adding a user, and what a viewer may touch.
import { expect, test, type Page } from '@playwright/test'
import { signInAsAdmin } from './support'
import { expectRunStatus } from './query-support'

async function demoDashboardId(page: Page): Promise<string> {
  const list = await (await page.request.get('/api/dashboards')).json() as { id: string, name: string }[]
  return list.find(dashboard => dashboard.name === 'Operations overview')!.id
}

async function queryNamed(page: Page, name: string) {
  const list = await (await page.request.get('/api/queries', { params: { q: name } })).json() as { queries: { id: string, name: string, ownerName: string | null }[] }
  return list.queries.find(entry => entry.name === name)!
}

test('a negative "Last N days" gets a message instead of empty charts, and the API refuses a 1 s auto-refresh', async ({ page }) => {
  await signInAsAdmin(page)
  const id = await demoDashboardId(page)
  await page.goto(`/dashboards/${id}`)
  await page.getByTestId('filter-days').fill('-5')
  await page.getByTestId('filter-days').press('Enter')
  await expect(page.getByTestId('filter-problem-days')).toHaveText('Last N days must be at least 1')
  await expect(page).not.toHaveURL(/days=-5/)
  // a shared link with the bad value gets the server's answer, not empty charts
  const response = await page.request.get(`/api/dashboards/${id}`, { params: { days: '-5' } })
  expect(response.status()).toBe(400)
  expect((await response.json()).message).toContain('Last N days must be at least 1')

  const refresh = await page.request.patch(`/api/dashboards/${id}`, { data: { refreshIntervalSeconds: 1 } })
  expect(refresh.status()).toBe(400)
  expect(JSON.stringify(await refresh.json())).toContain('at least 60 seconds')
})

test('TV mode fits the whole demo dashboard on a 1080 px screen', async ({ page }) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1920, height: 1080 })
  await signInAsAdmin(page)
  await page.goto(`/dashboards/${await demoDashboardId(page)}?tv=1`)
  await expect(page.getByTestId('chart-view').first()).toHaveAttribute('data-points', /[1-9]/, { timeout: 90_000 })
  const box = await page.getByTestId('dashboard-grid').boundingBox()
  expect(box!.y + box!.height).toBeLessThanOrEqual(1080)
  // and on a screen too short for every row, the pages cycle instead of cutting tiles off
  await page.setViewportSize({ width: 1280, height: 420 })
  await expect(page.getByTestId('tv-pages')).toContainText('page 1 of')
  const short = await page.getByTestId('dashboard-grid').boundingBox()
  expect(short!.y + short!.height).toBeLessThanOrEqual(420)
})

test('lists say Loading… rather than "No queries yet.", errors are labelled by status, and a signed-out visit logs no 401', async ({ page, browser, baseURL }) => {
  await signInAsAdmin(page)
  await page.route('**/api/queries?*', async (route) => {
    await new Promise(resolve => setTimeout(resolve, 1500))
    await route.continue()
  })
  await page.route('**/api/dashboards', route => route.fulfill({ json: [] }))
  await page.goto('/')
  await expect(page.getByTestId('list-loading').first()).toBeVisible()
  await expect(page.getByText('No queries yet.')).toHaveCount(0)
  await expect(page.getByTestId('recent-dashboards-empty')).toContainText('No dashboards yet')
  await page.unrouteAll({ behavior: 'ignoreErrors' })

  await page.goto('/queries/00000000-0000-4000-8000-000000000000')
  await expect(page.getByTestId('query-message')).toHaveText('Query not found')
  await expect(page.getByText('Server Error')).toHaveCount(0)

  const visitor = await (await browser.newContext({ baseURL })).newPage()
  const failures: string[] = []
  visitor.on('response', (response) => { if (response.status() === 401) failures.push(response.url()) })
  visitor.on('console', (message) => { if (message.type() === 'error' && message.text().includes('401')) failures.push(message.text()) })
  await visitor.goto('/login')
  await visitor.goto('/queries')
  await expect(visitor).toHaveURL(/\/login/)
  expect(failures).toEqual([])
  await visitor.close()
})

test('tags are edited and saved, a query is archived and starred, and the home page lists the stars', async ({ page }) => {
  await signInAsAdmin(page)
  const datasources = await (await page.request.get('/api/datasources')).json() as { id: string }[]
  const name = `Tagged ${Date.now()}`
  const created = await (await page.request.post('/api/queries', { data: { name, datasourceId: datasources[0]!.id, sql: 'select 1 as one' } })).json() as { id: string }
  await page.goto(`/queries/${created.id}`)
  await expect(page.getByTestId('query-owner')).toHaveText('by Admin')
  await page.getByTestId('tag-input').fill('finance')
  await page.getByTestId('tag-input').press('Enter')
  await page.getByTestId('save-query').click()
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
  await page.reload()
  await expect(page.getByTestId('query-tags')).toContainText('finance')

  await page.getByTestId('favorite-star').click()
  await expect(page.getByTestId('favorite-star')).toHaveAttribute('aria-pressed', 'true')
  await page.goto('/')
  await expect(page.getByTestId('starred-list').getByRole('link', { name })).toBeVisible()

  await page.goto(`/queries/${created.id}`)
  await page.getByTestId('archive-query').click()
  await expect(page.getByTestId('archived-badge')).toBeVisible()
  await page.goto('/queries')
  await page.getByTestId('query-search').fill(name)
  await expect(page.getByTestId('list-empty')).toBeVisible()
})

test('the dark theme follows the system, ? shows the shortcuts, exports are named after the query, demo names are unique with owners', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await signInAsAdmin(page)
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
  const [red, green, blue] = background.match(/\d+/g)!.map(Number)
  expect(red! + green! + blue!).toBeLessThan(150)

  await page.locator('body').press('?')
  await expect(page.getByTestId('shortcut-help')).toContainText('Ctrl/⌘ + Enter')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('shortcut-help')).toHaveCount(0)

  const utilities = await queryNamed(page, 'Utilities')
  expect(utilities.ownerName).toBe('Admin')
  await page.goto(`/queries/${utilities.id}`)
  await page.getByTestId('run-query').click()
  await expectRunStatus(page, 'succeeded')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  expect(download.suggestedFilename()).toMatch(/^utilities-\d{4}-\d\d-\d\d-\d{4}\.csv$/)

  // other tests add queries of their own; the seeded ones must not repeat a name
  const all = await (await page.request.get('/api/queries', { params: { limit: 500 } })).json() as { queries: { name: string, tags?: string[] }[] }
  const province = all.queries.filter(query => query.name === 'Outages by province')
  expect(province).toHaveLength(1)
  const seeded = all.queries.filter(query => query.tags?.includes('demo')).map(query => query.name)
  expect(seeded.length).toBeGreaterThan(5)
  expect(new Set(seeded).size).toBe(seeded.length)
})

test('the status page shows result storage, adding a user is confirmed, and a viewer sees no edit controls', async ({ page, browser, baseURL }) => {
  await signInAsAdmin(page)
  await page.goto('/admin/status')
  await expect(page.getByTestId('result-storage')).toContainText(/Result storage\s*\d/)

  await page.goto('/admin/users')
  const email = `viewer-${Date.now()}@e2e.test`
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Name', { exact: true }).fill('Vera Viewer')
  await page.getByLabel('Password', { exact: true }).fill('viewer-password')
  await page.getByRole('button', { name: 'Add user' }).click()
  await expect(page.getByTestId('user-added')).toContainText(`Added Vera Viewer (${email}) as viewer`)

  const viewer = await (await browser.newContext({ baseURL })).newPage()
  await viewer.goto('/login')
  await viewer.getByLabel('Email', { exact: true }).fill(email)
  await viewer.getByLabel('Password').fill('viewer-password')
  await viewer.getByRole('button', { name: 'Sign in' }).click()
  await viewer.waitForURL(url => !url.pathname.startsWith('/login'))
  const utilities = await queryNamed(viewer, 'Utilities')
  await viewer.goto(`/queries/${utilities.id}`)
  await expect(viewer.getByTestId('run-query')).toBeVisible()
  await expect(viewer.getByTestId('save-query')).toHaveCount(0)
  await expect(viewer.getByTestId('tag-input')).toHaveCount(0)
  await expect(viewer.getByTestId('archive-query')).toHaveCount(0)
  await expect(viewer.getByTestId('favorite-star')).toBeVisible()
  await viewer.goto(`/dashboards/${await demoDashboardId(viewer)}`)
  await expect(viewer.getByTestId('dashboard-title')).toBeVisible()
  await expect(viewer.getByTestId('edit-dashboard')).toHaveCount(0)
  await viewer.close()
})
