// Issue #16 items 1, 5 and 9: charts over a `date` column draw, their PNG is the finished
// drawing, a new chart starts from guessed columns, series keep their colours and legend
// order, axes carry titles, and a narrow tile shows its whole title.
import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import { signInAsAdmin } from './support'

async function demoQueryId(page: Page, name: string): Promise<string> {
  const list = await (await page.request.get('/api/queries', { params: { q: name } })).json() as { queries: { id: string, name: string }[] }
  const query = list.queries.find(entry => entry.name === name)
  expect(query, `the demo query "${name}"`).toBeTruthy()
  return query!.id
}

/** Counts the coloured (not white, not grey) pixels of a PNG, decoded by the browser. */
async function colouredPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (base64) => {
    const image = new Image()
    image.src = `data:image/png;base64,${base64}`
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = image.width
    canvas.height = image.height
    const context = canvas.getContext('2d')!
    context.drawImage(image, 0, 0)
    const data = context.getImageData(0, 0, image.width, image.height).data
    let count = 0
    for (let index = 0; index < data.length; index += 4) {
      const [red, green, blue] = [data[index]!, data[index + 1]!, data[index + 2]!]
      if (Math.max(red, green, blue) - Math.min(red, green, blue) > 60) count++
    }
    return count
  }, png.toString('base64'))
}

async function downloadPng(page: Page): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()])
  return readFile((await download.path())!)
}

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page)
})

test('a new line chart over the date column of "Daily outages" draws dated points, titled axes and a PNG that is not blank', async ({ page }) => {
  test.setTimeout(120_000)
  const queryId = await demoQueryId(page, 'Daily outages')
  await page.goto(`/queries/${queryId}/visualizations`)
  await page.getByTestId('new-visualization').click()
  const chart = page.getByTestId('visualization-preview').getByTestId('chart-view')
  // the new chart guesses x = day, y = outages instead of naming an "undefined" column
  await expect(chart).toHaveAttribute('data-points', /^[1-9]\d*$/, { timeout: 60_000 })
  await expect(page.getByTestId('chart-problem')).toHaveCount(0)
  await expect(page.getByTestId('config-x')).toHaveValue('day')
  const ticks = (await chart.getAttribute('data-x-ticks'))!.split('|')
  expect(ticks.length).toBeGreaterThan(1)
  for (const tick of ticks) expect(tick).toMatch(/^\d{4}-\d\d-\d\d$/)
  await expect(chart).toHaveAttribute('data-axis-titles', 'day|outages')
  // the line starts at the first day and ends at the last: no blank days before or after
  await expect(chart).toHaveAttribute('data-x-margins', '0|0')

  // renamed and hidden axis titles
  await page.getByTestId('config-y-title').fill('Outages per day')
  await page.getByTestId('config-y-title').blur()
  await expect(chart).toHaveAttribute('data-axis-titles', 'day|Outages per day')
  await page.getByTestId('config-axis-titles').uncheck()
  await expect(chart).toHaveAttribute('data-axis-titles', '|')
  await page.getByTestId('config-date-format').selectOption('month')
  await expect(chart).toHaveAttribute('data-x-ticks', /^[A-Z][a-z]{2} \d{4}(\|[A-Z][a-z]{2} \d{4})*$/)

  // bar and area over the same date column draw too
  for (const type of ['bar', 'area']) {
    await page.getByTestId('visualization-type').selectOption(type)
    await expect(chart).toHaveAttribute('data-points', /^[1-9]\d*$/)
  }

  // a PNG taken right after a change (animation running) is the finished drawing
  await page.getByTestId('visualization-type').selectOption('bar')
  const immediate = await colouredPixels(page, await downloadPng(page))
  await page.waitForTimeout(1000)
  const settled = await colouredPixels(page, await downloadPng(page))
  expect(settled).toBeGreaterThan(1000)
  expect(immediate).toBeGreaterThan(settled * 0.95)
})

test('series keep their colours and legend order when the rows come back in another order', async ({ page }) => {
  test.setTimeout(120_000)
  const datasources = await (await page.request.get('/api/datasources')).json() as { id: string }[]
  const created = await page.request.post('/api/queries', {
    data: {
      name: `Shuffled venues ${Date.now()}`,
      datasourceId: datasources[0]!.id,
      // random row order on every run
      sql: `SELECT (date '2026-01-01' + day) AS day, venue, (day * 10 + length(venue))::int AS value
FROM generate_series(0, 9) AS day, unnest(ARRAY['TSX', 'NEO', 'CSE']) AS venue
ORDER BY random()`,
    },
  })
  const query = await created.json() as { id: string }
  const visualization = await page.request.post(`/api/queries/${query.id}/visualizations`, { data: { name: 'Venues', type: 'line', config: { x: 'day', y: ['value'], series: 'venue' } } })
  expect(visualization.status()).toBe(201)

  const seen: string[] = []
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.request.post(`/api/queries/${query.id}/runs`, { data: { maxAgeSeconds: 0 } })
    await page.goto(`/queries/${query.id}/visualizations`)
    await page.getByRole('button', { name: 'Re-run' }).click()
    const chart = page.getByTestId('visualization-preview').getByTestId('chart-view')
    await expect(chart).toHaveAttribute('data-points', '30', { timeout: 60_000 })
    seen.push((await chart.getAttribute('data-series'))!)
  }
  expect(seen[0]).toMatch(/^CSE:#[0-9a-f]{6}\|NEO:#[0-9a-f]{6}\|TSX:#[0-9a-f]{6}$/)
  expect(seen[1]).toBe(seen[0])
})

test('a narrow dashboard tile shows its whole title', async ({ page }) => {
  test.setTimeout(120_000)
  const stamp = Date.now()
  const queryId = await demoQueryId(page, 'Daily outages')
  const name = `Customers affected by outages, every day of the period ${stamp}`
  const visualization = await (await page.request.post(`/api/queries/${queryId}/visualizations`, { data: { name, type: 'line', config: { x: 'day', y: ['outages'] } } })).json() as { id: string }
  const dashboard = await page.request.post('/api/dashboards', { data: { name: `Narrow ${stamp}`, filters: [], tiles: [{ visualizationId: visualization.id, x: 0, y: 0, w: 2, h: 4, bindings: {} }] } })
  expect(dashboard.status(), await dashboard.text()).toBe(201)
  await page.goto(`/dashboards/${(await dashboard.json() as { id: string }).id}`)
  const title = page.getByTestId(`tile-${name}`).locator('.tile-title')
  await expect(title).toHaveText(name)
  const fits = await title.evaluate(element => element.scrollWidth <= element.clientWidth + 1 && element.scrollHeight <= element.clientHeight + 1)
  expect(fits).toBe(true)
})
