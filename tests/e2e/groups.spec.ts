// Groups decide which datasources' data a user reaches. An admin makes a group on the
// Groups page, grants it `view` on the demo datasource and adds a member; that member sees
// a dashboard on the demo datasource, is refused their own SQL on it (their role would
// allow SQL: the grant's level is what refuses it), and sees "No access" on a tile whose
// query reads a datasource no group of theirs reaches.
import { expect, test, type APIRequestContext } from '@playwright/test'
import { E2E_ADMIN } from '../../playwright.config'
import { signInAsAdmin, signInAsNewMember } from './support'

interface Named { id: string, name: string }

async function everyoneGroup(request: APIRequestContext): Promise<Named> {
  const groups = await (await request.get('/api/groups')).json() as (Named & { systemKind: string | null })[]
  return groups.find(group => group.systemKind === 'everyone')!
}

async function demoDatasource(request: APIRequestContext): Promise<Named> {
  const datasources = await (await request.get('/api/datasources')).json() as Named[]
  return datasources.find(datasource => datasource.name === 'Demo ops database')!
}

// The demo datasource is granted `query` to Everyone; this test narrows it for its own
// member and gives it back afterwards, whatever happened, for the specs that follow.
test.afterEach(async ({ page }) => {
  // through the API: the page may be signed in already, or not at all if the test failed early
  expect((await page.request.post('/api/auth/login', { data: E2E_ADMIN })).status()).toBe(200)
  const [everyone, demo] = await Promise.all([everyoneGroup(page.request), demoDatasource(page.request)])
  const restored = await page.request.put(`/api/datasources/${demo.id}/grants/${everyone.id}`, { data: { level: 'query' } })
  expect(restored.status()).toBe(200)
})

test('a group granted view shows its member the dashboard, refuses their own SQL, and shows "No access" on another datasource\'s tile', async ({ page, browser }) => {
  test.setTimeout(180_000)
  await signInAsAdmin(page)
  const stamp = Date.now()
  const [everyone, demo] = await Promise.all([everyoneGroup(page.request), demoDatasource(page.request)])

  // a second datasource no group reaches (it is never connected to: nobody who may see it
  // views the dashboard), a query and a visualization on it, and a dashboard on both
  const payroll = await page.request.post('/api/datasources', { data: { name: `Payroll ${stamp}`, type: 'postgres', config: { host: '127.0.0.1', port: 1, database: 'payroll', user: 'payroll_reader', sslmode: 'disable' } } })
  expect(payroll.status(), await payroll.text()).toBe(201)
  const payrollQuery = await page.request.post('/api/queries', { data: { name: `Salaries ${stamp}`, datasourceId: (await payroll.json()).id, sql: 'SELECT salary_secret FROM payroll.salaries' } })
  expect(payrollQuery.status(), await payrollQuery.text()).toBe(201)
  const payrollChart = await page.request.post(`/api/queries/${(await payrollQuery.json()).id}/visualizations`, { data: { name: `Salary table ${stamp}`, type: 'table', config: { columns: [{ name: 'salary_secret' }] } } })
  expect(payrollChart.status()).toBe(201)
  const visualizations = await (await page.request.get('/api/visualizations')).json() as Named[]
  const customers = visualizations.find(visualization => visualization.name === 'Customers affected')!
  const dashboard = await page.request.post('/api/dashboards', {
    data: {
      name: `Ops and payroll ${stamp}`,
      tiles: [
        { visualizationId: customers.id, x: 0, y: 0, w: 6, h: 3 },
        { visualizationId: (await payrollChart.json()).id, x: 6, y: 0, w: 6, h: 3 },
      ],
    },
  })
  expect(dashboard.status()).toBe(201)
  const dashboardId = (await dashboard.json()).id as string
  // only the new group will reach the demo datasource for this member
  expect((await page.request.delete(`/api/datasources/${demo.id}/grants/${everyone.id}`)).status()).toBe(204)

  const member = await signInAsNewMember(page, browser, 'editor')

  // the admin's part, on the Groups page
  const groupName = `Ops readers ${stamp}`
  await page.goto('/admin/groups')
  await page.getByLabel('New group name').fill(groupName)
  await page.getByRole('button', { name: 'Create group' }).click()
  const detail = page.getByTestId('group-detail')
  await expect(detail.getByRole('heading', { name: groupName })).toBeVisible()
  await detail.getByLabel(`Access of ${groupName} to Demo ops database`).selectOption('view')
  await expect(detail.getByTestId('grant-saved')).toContainText(`${groupName} now has view on Demo ops database`)
  const candidate = detail.getByLabel('Member to add').locator('option', { hasText: member.email })
  await detail.getByLabel('Member to add').selectOption((await candidate.getAttribute('value'))!)
  await detail.getByRole('button', { name: 'Add member' }).click()
  await expect(detail.getByTestId('group-members')).toContainText(member.email)
  await expect(page.getByTestId('group-list')).toContainText('Demo ops database: view')

  // the member sees the dashboard's demo tile with its data, and only "No access" on the other
  await member.page.goto(`/dashboards/${dashboardId}`)
  await expect(member.page.getByTestId('tile-Customers affected').getByTestId('stat-value')).not.toBeEmpty({ timeout: 60_000 })
  const hidden = member.page.getByTestId('tile-no-access')
  await expect(hidden).toHaveCount(1)
  await expect(hidden).toContainText('No access')
  await expect(member.page.locator('main')).not.toContainText('Salary')
  await expect(member.page.locator('main')).not.toContainText('salary_secret')

  // and is refused their own SQL on the demo datasource, in the editor and by the API
  await member.page.goto('/queries/new')
  await expect(member.page.getByTestId('view-only-note')).toContainText('View only')
  await member.page.getByTestId('run-query').click()
  await expect(member.page.getByTestId('query-message')).toContainText('may view this datasource\'s results but not query it')
  const adhoc = await member.page.request.post('/api/runs', { data: { datasourceId: demo.id, sql: 'SELECT 1' } })
  expect(adhoc.status()).toBe(403)
  // the other datasource is not even there for them
  const datasources = await (await member.page.request.get('/api/datasources')).json() as (Named & { access: string })[]
  expect(datasources.map(datasource => [datasource.name, datasource.access])).toEqual([['Demo ops database', 'view']])
  await member.context.close()
})
