import { describe, expect, it } from 'vitest'
import { contentDisposition, exportFileName } from '../../server/exports/file-name'

describe('export file names', () => {
  it('name the download after the query and the time the run finished', () => {
    expect(exportFileName('Daily outages', new Date('2026-12-01T06:14:09Z'), 'csv')).toBe('daily-outages-2026-12-01-0614.csv')
  })

  it('call an ad-hoc run "result" and keep letters of any script', () => {
    expect(exportFileName(null, new Date('2026-12-01T06:14:09Z'), 'xlsx')).toBe('result-2026-12-01-0614.xlsx')
    expect(exportFileName('Pannes — Québec / été', null, 'json')).toBe('pannes-québec-été.json')
  })

  it('send an ASCII name and the exact UTF-8 one in the header', () => {
    expect(contentDisposition('pannes-québec.csv')).toBe('attachment; filename="pannes-quebec.csv"; filename*=UTF-8\'\'pannes-qu%C3%A9bec.csv')
  })
})
