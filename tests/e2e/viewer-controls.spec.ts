// A viewer's pages offer no control the server would refuse: no edit, save, delete, new
// or add button or link anywhere on the query, visualization, dashboard, datasource and
// users pages (the pages read the same action table as the server's requireCan).
import { expect, test, type Page } from '@playwright/test'
import { signInAsAdmin, signInAsNewMember } from './support'

const WRITE_CONTROL = /^\s*(\+\s*)?(save|delete|remove|edit|new|add|clone|create|format|restore|archive)\b/i

async function writeControls(page: Page): Promise<string[]> {
  // pages keep SSE and polls open, so "network idle" never comes: wait for the content
  await page.locator('main h1, main h2, main .workbench').first().waitFor({ timeout: 15_000 })
  await page.waitForLoadState('load')
  const labels = await page.locator('button:visible, a:visible').allInnerTexts()
  return labels.filter(label => WRITE_CONTROL.test(label))
}

test('a viewer sees no edit, save or delete control on any page', async ({ page, browser }) => {
  test.setTimeout(180_000) // ten pages on a shared machine
  await signInAsAdmin(page)
  const { queries: [query] } = await (await page.request.get('/api/queries')).json() as { queries: { id: string }[] }
  const [dashboard] = await (await page.request.get('/api/dashboards')).json() as { id: string }[]
  const [datasource] = await (await page.request.get('/api/datasources')).json() as { id: string }[]
  const viewer = await signInAsNewMember(page, browser, 'viewer')

  const pages = [
    '/queries', `/queries/${query!.id}`, `/queries/${query!.id}/visualizations`,
    '/dashboards', `/dashboards/${dashboard!.id}`, `/dashboards/${dashboard!.id}?edit=1`,
    '/datasources', `/datasources/${datasource!.id}`, '/schedules', '/admin/users',
  ]
  for (const path of pages) {
    await viewer.page.goto(path)
    expect(await writeControls(viewer.page), `write controls on ${path}`).toEqual([])
  }
  await viewer.page.goto(`/queries/${query!.id}`)
  await expect(viewer.page.getByLabel('Query name')).toHaveAttribute('readonly', '')
  await expect(viewer.page.getByTestId('run-query')).toBeVisible()
  await viewer.page.goto(`/datasources/${datasource!.id}`)
  await expect(viewer.page.getByLabel('Name')).toBeDisabled()
  await viewer.context.close()
})

test('an editor is not offered "New datasource", which only admins may use', async ({ page, browser }) => {
  await signInAsAdmin(page)
  await page.goto('/datasources')
  await expect(page.getByTestId('new-datasource')).toBeVisible()
  const editor = await signInAsNewMember(page, browser, 'editor')
  await editor.page.goto('/datasources')
  await expect(editor.page.getByTestId('datasource-list')).toBeVisible()
  await expect(editor.page.getByTestId('new-datasource')).toHaveCount(0)
  await editor.page.goto('/queries')
  await expect(editor.page.getByTestId('new-query')).toBeVisible()
  await editor.context.close()
})
