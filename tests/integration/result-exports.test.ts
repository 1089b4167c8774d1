import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, grantEveryone, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { settingsForUrl } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let web: RunningApp
let worker: RunningApp
let viewer: ApiClient
let runId: string

// every text value a spreadsheet would start a formula with, next to values that must not change
const HOSTILE = ['=1+1', '@SUM(A1)', '-2+3', '+cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1']
const SQL = `SELECT t.text, -5 AS negative, (-5)::bigint AS big_negative, '-5' AS negative_text, -2.5::numeric AS amount, 'plain' AS plain
             FROM unnest(ARRAY[${HOSTILE.map((_, index) => `$v${index}$${HOSTILE[index]}$v${index}$`).join(', ')}]) WITH ORDINALITY AS t(text, position)
             ORDER BY t.position`

async function signedIn(orgId: string, role: 'viewer' | 'admin') {
  const member = await buildMember(orgId, role)
  const client = new ApiClient(web.url)
  await client.login(member.email, TEST_PASSWORD)
  return client
}

async function download(path: string) {
  const response = await fetch(web.url + path, { headers: { cookie: viewer.sessionCookie } })
  expect(response.status, path).toBe(200)
  return response
}

async function xlsxCells(path: string) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await (await download(path)).arrayBuffer())
  const sheet = workbook.getWorksheet('Result')!
  return sheet.getRows(2, HOSTILE.length)!.map(row => [1, 2, 3, 4, 5, 6].map(column => row.getCell(column)))
}

// XML parsers read a raw carriage return in a sheet as a line feed (Excel too), so that is what comes back
const asXlsxReadsIt = (text: string) => text.replaceAll('\r', '\n')

function csvRows(text: string): string[][] {
  // the exporter quotes fields with quotes, commas or line breaks; none of this file's values has a comma
  return text.split('\r\n').filter(Boolean).slice(1).map(line => line.split(',').map(field => field.replace(/^"([\s\S]*)"$/, '$1').replaceAll('""', '"')))
}

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  ;[web, worker] = await Promise.all([
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' }),
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' }),
  ])
  const orgId = (await buildOrg()).id
  const admin = await signedIn(orgId, 'admin')
  viewer = await signedIn(orgId, 'viewer')
  const settings = settingsForUrl(databaseUrl)
  const datasource = await admin.post('/api/datasources', { name: 'Test DB', type: 'postgres', config: { ...settings.config, password: settings.password } })
  await grantEveryone(orgId, datasource.json.id)
  const query = await admin.post('/api/queries', { datasourceId: datasource.json.id, name: 'hostile cells', sql: SQL })
  expect(query.status, query.text).toBe(201)
  const started = await viewer.post(`/api/queries/${query.json.id}/runs`, { maxAgeSeconds: 0 })
  runId = started.json.id
  for (const deadline = Date.now() + 30_000; ;) {
    const { json } = await viewer.get(`/api/runs/${runId}`)
    if (json.status === 'succeeded') break
    if (json.status !== 'queued' && json.status !== 'running') throw new Error(`run ${json.status}: ${json.error}`)
    if (Date.now() > deadline) throw new Error('run did not finish')
    await new Promise(done => setTimeout(done, 50))
  }
})

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()])
})

describe('exports opened in a spreadsheet', () => {
  it('prefixes formula-like text with an apostrophe in CSV and leaves numbers alone', async () => {
    const rows = csvRows(await (await download(`/api/runs/${runId}/result.csv`)).text())
    expect(rows.map(row => row[0])).toEqual(HOSTILE.map(text => `'${text}`))
    expect(rows[0]).toEqual(['\'=1+1', '-5', '-5', '-5', '-2.5', 'plain'])
  })

  it('writes formula-like text to XLSX as strings with the apostrophe, never as formulas, and numbers as numbers', async () => {
    const cells = await xlsxCells(`/api/runs/${runId}/result.xlsx`)
    for (const [index, [text]] of cells.entries()) {
      expect(text!.type).toBe(ExcelJS.ValueType.String)
      expect(text!.formula).toBeUndefined()
      expect(text!.value).toBe(asXlsxReadsIt(`'${HOSTILE[index]}`))
    }
    expect(cells[0]!.slice(1).map(cell => cell.value)).toEqual([-5, -5, '-5', -2.5, 'plain'])
    expect(cells[0]![1]!.type).toBe(ExcelJS.ValueType.Number)
  })

  it('gives the values unchanged with ?raw=1, for scripts', async () => {
    const rows = csvRows(await (await download(`/api/runs/${runId}/result.csv?raw=1`)).text())
    expect(rows.map(row => row[0])).toEqual(HOSTILE)
    const cells = await xlsxCells(`/api/runs/${runId}/result.xlsx?raw=1`)
    expect(cells.map(([text]) => text!.value)).toEqual(HOSTILE.map(asXlsxReadsIt))
    expect(cells.every(([text]) => text!.type === ExcelJS.ValueType.String)).toBe(true)
    expect((await viewer.get(`/api/runs/${runId}/result.csv?raw=maybe`)).status).toBe(400)
  })
})
