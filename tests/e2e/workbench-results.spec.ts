// Issue #16 items 2, 3, 4 and 6: the cache shows itself, a saved query opens on its last
// stored result, parameter widgets show the values a run will use, a parameter error
// takes the old result off the screen, and the grid sorts the whole result, resizes,
// groups digits and copies a selection.
import { expect, test, type Page } from '@playwright/test'
import { signInAsAdmin } from './support'
import { cell, ensureDemoDatasource, expectRunStatus, runWithShortcut, writeSql } from './query-support'

async function openDemoQuery(page: Page, name: string) {
  const list = await (await page.request.get('/api/queries', { params: { q: name } })).json() as { queries: { id: string, name: string }[] }
  const query = list.queries.find(entry => entry.name === name)
  expect(query, `the demo query "${name}"`).toBeTruthy()
  await page.goto(`/queries/${query!.id}`)
  return query!.id
}

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page)
  await ensureDemoDatasource(page)
})

test('a cached answer says when it was computed and offers Refresh; the query reopens on its last stored result', async ({ page }) => {
  await openDemoQuery(page, 'Utilities')
  await page.getByTestId('run-query').click()
  await expectRunStatus(page, 'succeeded')
  await page.getByTestId('run-query').click()
  await expect(page.getByTestId('cache-badge')).toHaveText('from cache · computed just now')
  await page.getByTestId('refresh-run').click()
  await expectRunStatus(page, 'succeeded')
  await expect(page.getByTestId('cache-badge')).toHaveCount(0)
  await expect(cell(page, 0, 0)).not.toBeEmpty()

  await page.reload()
  // no Run pressed: the stored result is on screen, labelled as such
  await expect(page.getByTestId('cache-badge')).toHaveText('last stored result · computed just now')
  await expect(cell(page, 0, 0)).not.toBeEmpty()
  await expect(page.getByTestId('refresh-run')).toBeVisible()
})

test('parameter widgets show their defaults: every selected venue, last 90 days with its dates, an optional boolean that goes back to empty', async ({ page }) => {
  await openDemoQuery(page, 'p99 latency per venue per hour')
  const venues = page.locator('[data-parameter="venues"] select')
  await expect.poll(() => venues.evaluate(select => [...(select as HTMLSelectElement).selectedOptions].map(option => option.value))).toEqual(['TSX', 'NEO', 'CSE'])

  await openDemoQuery(page, 'Daily outages')
  await expect(page.locator('[data-parameter="period"] select')).toHaveValue('last_90_days')
  await expect(page.locator('[data-parameter="period"] [data-testid="resolved-dates"]')).toHaveText(/^\d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d$/)
  const periods = await page.locator('[data-parameter="period"] select option').allTextContents()
  expect(periods).toEqual(expect.arrayContaining(['Last 7 days', 'Last 30 days', 'Last 90 days', 'Last 365 days', 'Last year']))

  await openDemoQuery(page, 'Outages by province')
  const planned = page.locator('[data-parameter="planned"] select')
  await expect(planned).toHaveValue('')
  await planned.selectOption('true')
  await planned.selectOption('')
  const request = page.waitForRequest(sent => sent.url().endsWith('/runs') && sent.method() === 'POST')
  await page.getByTestId('run-query').click()
  const body = (await request).postDataJSON() as { params: Record<string, unknown> }
  // sent as empty (null), never as false: the server runs it empty, not with a default
  expect(body.params).toHaveProperty('planned', null)
  await expectRunStatus(page, 'succeeded')
})

test('a parameter error takes the old result and its badge off the screen, and an empty required value does not run', async ({ page }) => {
  await openDemoQuery(page, 'Latest unrestored outages')
  await page.getByTestId('run-query').click()
  await expectRunStatus(page, 'succeeded')
  await expect(page.getByTestId('results-scroller')).toBeVisible()

  const minimum = page.getByLabel('min_customers', { exact: true })
  await minimum.fill('abc')
  await page.getByTestId('run-query').click()
  await expect(page.getByTestId('query-message')).toContainText('must be a whole number')
  await expect(page.getByTestId('run-status')).toHaveCount(0)
  await expect(page.getByTestId('results-scroller')).toHaveCount(0)

  let posted = 0
  page.on('request', (sent) => { if (sent.method() === 'POST' && sent.url().includes('/runs')) posted++ })
  await minimum.fill('')
  await page.getByTestId('run-query').click()
  await expect(page.getByTestId('query-message')).toContainText('required')
  await page.waitForTimeout(500)
  expect(posted).toBe(0)

  // half a date range
  await openDemoQuery(page, 'Daily outages')
  await page.locator('[data-parameter="period"] select').selectOption('')
  await page.getByLabel('period start').fill('2026-01-01')
  await page.getByTestId('run-query').click()
  await expect(page.getByTestId('query-message')).toContainText('choose both the first and the last day')
})

test('the grid groups digits, fits and resizes columns, copies a selection and sorts the whole result', async ({ page, context }) => {
  test.setTimeout(120_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.goto('/queries/new')
  await writeSql(page, 'select g as n, md5(g::text) as hash, g::int8 * 1000 as customers_affected from generate_series(1, 2000) g')
  await runWithShortcut(page)
  await expectRunStatus(page, 'succeeded')
  await expect(cell(page, 0, 2)).toHaveText('1,000')

  // headers and md5 values fit their columns
  for (const column of [1, 2]) {
    const head = page.locator(`[data-head="${column}"] strong`)
    expect(await head.evaluate(element => element.scrollWidth <= (element.parentElement as HTMLElement).clientWidth)).toBe(true)
  }
  expect(await cell(page, 0, 1).evaluate(element => element.scrollWidth <= element.clientWidth)).toBe(true)

  // drag the edge of the hash column 120 px to the right
  const before = (await page.locator('[data-head="1"]').boundingBox())!
  const edge = (await page.getByTestId('resize-1').boundingBox())!
  await page.mouse.move(edge.x + 3, edge.y + 10)
  await page.mouse.down()
  await page.mouse.move(edge.x + 123, edge.y + 10, { steps: 6 })
  await page.mouse.up()
  const after = (await page.locator('[data-head="1"]').boundingBox())!
  expect(Math.round(after.width - before.width)).toBe(120)

  // a shift-click selection copies as tab-separated text, raw values
  await cell(page, 0, 0).click()
  await cell(page, 1, 2).click({ modifiers: ['Shift'] })
  await page.keyboard.press('ControlOrMeta+C')
  await expect(page.getByTestId('copied')).toHaveText('copied 6 cells')
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied.split('\n').map(line => line.split('\t'))).toEqual([['1', 'c4ca4238a0b923820dcc509a6f75849b', '1000'], ['2', 'c81e728d9d4c2f636f067f89cc14862c', '2000']])

  // a small result sorts in the tab: every row, not just the loaded page
  await page.locator('[data-head="2"]').click()
  await page.locator('[data-head="2"]').click()
  await expect(page.locator('[data-head="2"] [data-testid="sort-mark"]')).toHaveText('▼')
  await expect(cell(page, 0, 2)).toHaveText('2,000,000')
  await expect(page.getByTestId('sort-notice')).toHaveCount(0)

  // a large one runs again on the worker wrapped in ORDER BY, and says so
  await writeSql(page, 'select g as n from generate_series(1, 25000) g')
  await runWithShortcut(page)
  await expectRunStatus(page, 'succeeded')
  await page.locator('[data-head="0"]').click()
  await page.locator('[data-head="0"]').click()
  await expect(page.getByTestId('sort-notice')).toContainText('ran again on the worker wrapped in ORDER BY')
  await expect(cell(page, 0, 0)).toHaveText('25,000', { timeout: 60_000 })
  await page.getByTestId('clear-sort').click()
  await expect(cell(page, 0, 0)).toHaveText('1', { timeout: 60_000 })
})
