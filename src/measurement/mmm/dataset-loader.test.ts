import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv-table.ts'
import { datasetFromCsv } from './dataset-loader.ts'

const mapping = {
  date: 'DATE',
  outcome: 'revenue',
  channels: [
    { name: 'tv', spend: 'tv_S' },
    { name: 'search', spend: 'search_S' },
  ],
  controls: ['events'],
}

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, keeping line numbers', () => {
    const table = parseCsv('\uFEFFa,b\r\n"1,5","say ""hi"""\r\n\r\n"multi\nline",2\n3,4')
    expect(table.header).toEqual(['a', 'b'])
    expect(table.records).toEqual([
      { line: 2, cells: ['1,5', 'say "hi"'] },
      { line: 4, cells: ['multi\nline', '2'] },
      { line: 6, cells: ['3', '4'] },
    ])
  })

  it('honours another delimiter and reports an unclosed quote with its line', () => {
    expect(parseCsv('a;b\n1;2\n', ';').records[0]?.cells).toEqual(['1', '2'])
    expect(() => parseCsv('a,b\n1,2\n"open,3\n')).toThrow(/unclosed quote.*line 3/)
  })
})

describe('datasetFromCsv', () => {
  it('maps columns, one-hot encodes a categorical control against its most frequent level', () => {
    const csv = [
      'DATE,revenue,tv_S,search_S,events',
      '2024-01-01,100,10,5,"na"',
      '2024-01-08,120,0,6,"na"',
      '2024-01-15,130,20,7,"launch"',
    ].join('\n')
    const load = datasetFromCsv(csv, mapping)
    expect(load.kind).toBe('loaded')
    if (load.kind !== 'loaded') return
    expect(load.rejected).toEqual([])
    expect(load.dataset.dates).toEqual(['2024-01-01', '2024-01-08', '2024-01-15'])
    expect(load.dataset.outcome).toEqual({ name: 'revenue', values: [100, 120, 130] })
    expect(load.dataset.channels.map((c) => [c.name, c.spend])).toEqual([
      ['tv', [10, 0, 20]],
      ['search', [5, 6, 7]],
    ])
    expect(load.dataset.controls).toEqual([{ name: 'events=launch', values: [0, 0, 1] }])
    expect(load.warnings.join(' ')).toMatch(/baseline 'na'/)
  })

  it('reports every bad row with its line number and reasons, and keeps the good rows', () => {
    const csv = [
      'DATE,revenue,tv_S,search_S,events',
      '2024-01-01,100,10,5,na',
      '2024-01-08,,abc,6,na',
      '2024-13-40,130,-2,7,na',
      '2024-01-22,140,20',
      '2024-01-29,150,20,7,na',
      '2024-01-01,99,1,1,na',
    ].join('\n')
    const load = datasetFromCsv(csv, mapping)
    if (load.kind !== 'loaded') throw new Error(load.message)
    expect(load.rejected).toEqual([
      { line: 3, reasons: ['revenue is missing', "tv_S is 'abc', not a number"] },
      { line: 4, reasons: ["DATE is '2024-13-40', not a YYYY-MM-DD date", 'tv_S is negative (-2)'] },
      { line: 5, reasons: ['has 3 cells, the header has 5'] },
      { line: 7, reasons: ['date 2024-01-01 repeats line 2'] },
    ])
    expect(load.dataset.dates).toEqual(['2024-01-01', '2024-01-29'])
    expect(load.warnings.join(' ')).toMatch(/not in date order/)
  })

  it('multiplies conversions by revenue per conversion and keeps impressions', () => {
    const csv = ['time,conversions,rpc,c0_spend,c0_imp', '2024-01-01,10,2.5,4,400', '2024-01-08,20,2.5,5,500'].join('\n')
    const load = datasetFromCsv(csv, {
      date: 'time',
      outcome: 'conversions',
      revenuePerConversion: 'rpc',
      channels: [{ name: 'c0', spend: 'c0_spend', impressions: 'c0_imp' }],
    })
    if (load.kind !== 'loaded') throw new Error('not loaded')
    expect(load.dataset.outcome).toEqual({ name: 'revenue', values: [25, 50] })
    expect(load.dataset.channels[0]?.impressions).toEqual([400, 500])
  })

  it('names the missing columns and lists the available ones', () => {
    const load = datasetFromCsv('DATE,revenue,tv_S\n2024-01-01,1,2\n', mapping)
    expect(load.kind).toBe('MissingColumns')
    if (load.kind !== 'MissingColumns') return
    expect(load.missing).toEqual(['search_S', 'events'])
    expect(load.message).toMatch(/available: DATE, revenue, tv_S/)
  })

  it('refuses a file without two usable rows', () => {
    const load = datasetFromCsv('DATE,revenue,tv_S,search_S,events\n2024-01-01,x,1,1,na\n', mapping)
    expect(load.kind).toBe('NoUsableRows')
  })

  it('warns about gaps in the period sequence', () => {
    const csv = ['DATE,revenue,tv_S,search_S,events', '2024-01-01,1,1,1,a', '2024-01-08,1,1,1,a', '2024-01-15,1,1,1,a', '2024-01-29,1,1,1,a'].join('\n')
    const load = datasetFromCsv(csv, mapping)
    if (load.kind !== 'loaded') throw new Error('not loaded')
    expect(load.warnings.join(' ')).toMatch(/usually 7 days apart.*2024-01-15 → 2024-01-29 \(14 days\)/)
  })
})
