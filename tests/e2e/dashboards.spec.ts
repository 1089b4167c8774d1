import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { signInAsAdmin } from './support'

const perDay = `SELECT date_trunc('day', started_at) AS day, count(*)::int AS outages
FROM ops.outages WHERE customers_affected >= {{min_customers}} GROUP BY 1 ORDER BY 1`
const total = `SELECT count(*)::int AS outages FROM ops.outages WHERE customers_affected >= {{min_customers}}`
const minCustomers = [{ name: 'min_customers', type: 'integer', required: true, default: 0 }]

async function createQuery(request: APIRequestContext, name: string, sql: string, parameters: unknown[] = []) {
  const datasources = await (await request.get('/api/datasources')).json() as { id: string }[]
  const response = await request.post('/api/queries', { data: { name, datasourceId: datasources[0]!.id, sql, parameters } })
  expect(response.status(), await response.text()).toBe(201)
  return (await response.json()) as { id: string }
}

async function createVisualizationInEditor(page: Page, queryId: string, name: string, type: string, columns: { x?: string, y?: string, value?: string }) {
  await page.goto(`/queries/${queryId}/visualizations`)
  await expect(page.getByTestId('config-panel')).toBeVisible()
  await page.getByTestId('visualization-name').fill(name)
  await page.getByTestId('visualization-type').selectOption(type)
  // the column pickers fill in once the query's result has arrived
  if (columns.x) {
    await expect(page.getByTestId('config-x').locator('option', { hasText: columns.x })).toHaveCount(1, { timeout: 30_000 })
    await page.getByTestId('config-x').selectOption(columns.x)
    await page.getByTestId(`config-y-${columns.y}`).check()
    await expect(page.getByTestId('visualization-preview').getByTestId('chart-canvas')).toBeVisible()
  }
  if (columns.value) {
    await expect(page.getByTestId('config-value').locator('option', { hasText: columns.value })).toHaveCount(1, { timeout: 30_000 })
    await page.getByTestId('config-value').selectOption(columns.value)
    await expect(page.getByTestId('visualization-preview').getByTestId('stat-value')).not.toBeEmpty()
  }
  await page.getByTestId('save-visualization').click()
  await expect(page.getByTestId('visualization-saved')).toBeVisible()
}

async function addTile(page: Page, label: RegExp) {
  const select = page.getByTestId('add-tile-select')
  const value = await select.locator('option', { hasText: label }).getAttribute('value')
  await select.selectOption(value!)
  await page.getByTestId('add-tile').click()
}

test('a dashboard from two queries follows its filter, keeps its layout, and shows a failed query on its tile only', async ({ page }) => {
  test.setTimeout(180_000)
  await signInAsAdmin(page)
  const stamp = Date.now()
  const perDayQuery = await createQuery(page.request, `Outages per day ${stamp}`, perDay, minCustomers)
  const totalQuery = await createQuery(page.request, `Outage count ${stamp}`, total, minCustomers)
  const brokenQuery = await createQuery(page.request, `Broken ${stamp}`, 'SELECT 1 / 0 AS boom')

  await createVisualizationInEditor(page, perDayQuery.id, 'Outages per day', 'line', { x: 'day', y: 'outages' })
  await createVisualizationInEditor(page, totalQuery.id, 'Outage count', 'stat', { value: 'outages' })
  // its result never arrives, so it is made through the API
  const broken = await page.request.post(`/api/queries/${brokenQuery.id}/visualizations`, { data: { name: 'Broken stat', type: 'stat', config: { value: 'boom' } } })
  expect(broken.status()).toBe(201)

  await page.goto('/dashboards')
  await page.getByTestId('new-dashboard-name').fill(`Outages ${stamp}`)
  await page.getByTestId('create-dashboard').click()
  await expect(page).toHaveURL(/edit=1/)
  await addTile(page, new RegExp(`Outages per day ${stamp}`))
  await addTile(page, new RegExp(`Outage count ${stamp}`))
  await addTile(page, new RegExp(`Broken ${stamp}`))

  // one filter drives both tiles
  await page.getByTestId('add-filter').click()
  await page.getByTestId('filter-name').fill('min_customers')
  await page.getByTestId('filter-name').blur()
  await page.getByTestId('filter-type').selectOption('integer')
  await page.getByTestId('filter-default').fill('0')
  await page.getByTestId('filter-default').blur()
  for (const name of ['Outages per day', 'Outage count']) {
    await page.getByTestId(`tile-${name}`).getByTestId('tile-configure').click()
    await page.getByTestId('bind-min_customers').selectOption('min_customers')
    await page.getByRole('button', { name: 'Done' }).click()
  }

  // drag the stat tile to the right of the line and make it narrower
  const statCell = page.locator('[data-testid^="grid-cell-"]').filter({ has: page.getByTestId('tile-Outage count') })
  const grid = await page.getByTestId('dashboard-grid').boundingBox()
  const handle = await statCell.getByTestId('drag-handle').boundingBox()
  const cellWidth = (grid!.width + 12) / 12
  await page.mouse.move(handle!.x + 10, handle!.y + 5)
  await page.mouse.down()
  await page.mouse.move(handle!.x + 10 + cellWidth * 6, handle!.y + 5 - 4 * 82, { steps: 8 })
  await page.mouse.up()
  await expect(statCell).toHaveAttribute('data-layout', '6,0,6,4')
  const resize = await statCell.getByTestId('resize-handle').boundingBox()
  await page.mouse.move(resize!.x + 8, resize!.y + 8)
  await page.mouse.down()
  await page.mouse.move(resize!.x + 8 - cellWidth * 3, resize!.y + 8 - 2 * 82, { steps: 8 })
  await page.mouse.up()
  await expect(statCell).toHaveAttribute('data-layout', '6,0,3,2')

  await page.getByTestId('save-dashboard').click()
  await expect(page).not.toHaveURL(/edit=1/)
  await expect(page.getByTestId('drag-handle')).toHaveCount(0)

  const line = page.getByTestId('tile-Outages per day')
  const stat = page.getByTestId('tile-Outage count')
  await expect(stat.getByTestId('stat-value')).toHaveText(/\d/, { timeout: 60_000 })
  await expect(line.getByTestId('chart-view')).toHaveAttribute('data-total', /[1-9]/, { timeout: 60_000 })
  const allStat = await stat.getByTestId('stat-value').textContent()
  const allTotal = await line.getByTestId('chart-view').getAttribute('data-total')
  expect(Number(allStat!.replace(/,/g, ''))).toBe(Number(allTotal))

  // the failure shows on its own tile, the others keep their results
  await expect(page.getByTestId('tile-Broken stat').getByTestId('tile-error')).toContainText('division by zero', { timeout: 60_000 })
  await expect(line.getByTestId('tile-error')).toHaveCount(0)
  await expect(stat.getByTestId('tile-error')).toHaveCount(0)

  await page.getByTestId('filter-min_customers').fill('5000')
  await page.getByTestId('filter-min_customers').press('Enter')
  await expect(page).toHaveURL(/min_customers=5000/)
  await expect(stat.getByTestId('stat-value')).not.toHaveText(allStat!, { timeout: 60_000 })
  await expect(line.getByTestId('chart-view')).not.toHaveAttribute('data-total', allTotal!, { timeout: 60_000 })
  const filteredStat = Number((await stat.getByTestId('stat-value').textContent())!.replace(/,/g, ''))
  await expect(line.getByTestId('chart-view')).toHaveAttribute('data-total', String(filteredStat))
  expect(filteredStat).toBeLessThan(Number(allStat!.replace(/,/g, '')))

  // reload: the filter value (URL) and the saved layout hold
  await page.reload()
  await expect(page.getByTestId('filter-min_customers')).toHaveValue('5000')
  await expect(stat.getByTestId('stat-value')).toHaveText(String(filteredStat.toLocaleString('en-US')), { timeout: 60_000 })
  await expect(statCell).toHaveAttribute('data-layout', '6,0,3,2')
})

test('the demo dashboard opens with its charts and TV mode hides the chrome', async ({ page }) => {
  test.setTimeout(150_000)
  await signInAsAdmin(page)
  await page.goto('/dashboards')
  await page.getByRole('link', { name: /Operations overview/ }).click()
  await expect(page.getByTestId('chart-view').first()).toHaveAttribute('data-total', /[1-9]/, { timeout: 90_000 })
  await expect(page.getByTestId('stat-value').first()).toHaveText(/\d/, { timeout: 60_000 })
  await expect(page.getByTestId('tile-spinner')).toHaveCount(0, { timeout: 60_000 })
  await expect(page.getByTestId('tile-error')).toHaveCount(0)
  await expect(page.getByTestId('chart-view')).toHaveCount(5)
  await page.getByTestId('tv-mode').click()
  await expect(page).toHaveURL(/tv=1/)
  await expect(page.getByTestId('edit-dashboard')).toHaveCount(0)
  await page.getByTestId('leave-tv').click()
  await expect(page.getByTestId('edit-dashboard')).toBeVisible()
  await page.getByTestId('edit-dashboard').click()
  await expect(page.getByTestId('drag-handle').first()).toBeVisible()
})

test('a tile whose refresh was still being queued keeps its spinner until the page, reading the view again, follows its run', async ({ page }) => {
  test.setTimeout(150_000)
  await signInAsAdmin(page)
  const dashboards = await (await page.request.get('/api/dashboards')).json() as { id: string, name: string }[]
  const demo = dashboards.find(dashboard => /Operations overview/.test(dashboard.name))!
  // The first view is answered as a server too busy to wait for the queueing answers it:
  // every tile without its run, refreshQueued. The views after it are the server's own.
  let views = 0
  let queuedTiles = 0
  await page.route(url => url.pathname === `/api/dashboards/${demo.id}`, async (route) => {
    if (route.request().method() !== 'GET') return route.continue()
    const response = await route.fetch()
    const view = await response.json() as { tiles: { visualization: unknown }[] }
    if (views++ === 0) {
      view.tiles = view.tiles.map(tile => tile.visualization ? { ...tile, run: null, refreshQueued: true } : tile)
      queuedTiles = view.tiles.filter(tile => tile.visualization).length
    }
    await route.fulfill({ response, json: view })
  })
  await page.goto(`/dashboards/${demo.id}`)
  await expect.poll(() => queuedTiles).toBeGreaterThan(4)
  await expect(page.getByTestId('tile-spinner')).toHaveCount(queuedTiles)
  await expect(page.getByTestId('chart-view').first()).toHaveAttribute('data-total', /[1-9]/, { timeout: 90_000 })
  await expect(page.getByTestId('tile-spinner')).toHaveCount(0, { timeout: 60_000 })
  expect(views).toBeGreaterThanOrEqual(2)
})

test('a page whose views keep coming back refreshQueued reads the view again less and less often', async ({ page }) => {
  test.setTimeout(60_000)
  await signInAsAdmin(page)
  const dashboards = await (await page.request.get('/api/dashboards')).json() as { id: string, name: string }[]
  const demo = dashboards.find(dashboard => /Operations overview/.test(dashboard.name))!
  // a server that never gets the refreshes queued: every view answers refreshQueued
  const viewedAt: number[] = []
  await page.route(url => url.pathname === `/api/dashboards/${demo.id}`, async (route) => {
    if (route.request().method() !== 'GET') return route.continue()
    viewedAt.push(Date.now())
    const response = await route.fetch()
    const view = await response.json() as { tiles: { visualization: unknown }[] }
    view.tiles = view.tiles.map(tile => tile.visualization ? { ...tile, run: null, refreshQueued: true } : tile)
    await route.fulfill({ response, json: view })
  })
  await page.goto(`/dashboards/${demo.id}`)
  await expect.poll(() => viewedAt.length).toBeGreaterThan(0)
  await page.waitForTimeout(8_000)
  // read again after 1, 2 and 4 s (about 1, 3 and 7 s in): four views, not one a second
  const gaps = viewedAt.slice(1).map((at, index) => at - viewedAt[index]!)
  expect(viewedAt.length, `views at ${gaps.join(', ')} ms gaps`).toBeGreaterThanOrEqual(3)
  expect(viewedAt.length, `views at ${gaps.join(', ')} ms gaps`).toBeLessThanOrEqual(5)
  expect(gaps[1]!).toBeGreaterThan(gaps[0]! * 1.5)
})
