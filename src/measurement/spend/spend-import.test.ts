import { describe, expect, it } from 'vitest'
import { simulateDemo, spendCsv } from '../../demo/index.ts'
import { parseSpendCsv, parseSpendMapping } from './spend-import.ts'
import { spendChannel } from './spend-row.ts'

describe('parseSpendCsv', () => {
  it('reads the demo brand’s spend.csv to the fen', () => {
    const { spend } = simulateDemo({ people: 300, days: 14, seed: 5, start: '2025-03-01' })
    const result = parseSpendCsv(spendCsv(spend))
    expect(result.kind).toBe('parsed')
    if (result.kind !== 'parsed') return
    expect(result.report.rejected).toEqual([])
    expect(result.report.rowsRead).toBe(spend.length)
    const total = (rows: { costMinor: number }[]) => rows.reduce((s, r) => s + r.costMinor, 0)
    expect(total(result.records)).toBe(total(spend))
    const channels = new Set(result.records.map((r) => r.channel))
    expect([...channels].sort()).toEqual([...new Set(spend.map((r) => r.channel))].sort())
  })

  it('reports every bad row by its line number and every reason, and keeps the good rows', () => {
    const csv = [
      'date,channel,campaign,impressions,clicks,cost',
      '2025-03-01,douyin,launch,1000,10,150.00',
      '2025-02-30,douyin,launch,1000,10,150.00',
      '2025-03-02,,launch,1000,10,12.5',
      '2025-03-02,weibo,"热搜, 话题",1000,ten,-3',
      '"2025-03-03",baidu,品牌词,"1,200",30,"1,234.50"',
      '2025-03-03,baidu,品牌词,800,20,65.5',
    ].join('\r\n')
    const result = parseSpendCsv(csv)
    if (result.kind !== 'parsed') throw new Error(result.message)
    expect(result.report).toEqual({
      rowsRead: 6,
      rowsAccepted: 3,
      rejected: [
        { line: 3, reasons: ["date '2025-02-30' is not a date (use YYYY-MM-DD)"] },
        { line: 4, reasons: ['channel is missing (map a column to channel, or give one channel for the whole file)'] },
        { line: 5, reasons: ["clicks 'ten' must be a whole number ≥ 0", "cost '-3' is negative"] },
      ],
    })
    // Two rows of one day and campaign (an export by keyword) are added up.
    expect(result.records).toEqual([
      { date: '2025-03-01', channel: 'douyin', campaign: 'launch', impressions: 1000, clicks: 10, costMinor: 15_000, currency: 'CNY' },
      { date: '2025-03-03', channel: 'baidu_search', campaign: '品牌词', impressions: 2000, clicks: 50, costMinor: 130_000, currency: 'CNY' },
    ])
  })

  it('recognises a Chinese platform export and maps the rest', () => {
    const csv = ['日期,计划名称,展示数,点击数,消耗(元),备注', '2025/3/1,新品上市,12000,96,¥456.10,x', '20250302,新品上市,-,-,0'].join('\n')
    const result = parseSpendCsv(csv, { channel: '巨量引擎' })
    if (result.kind !== 'parsed') throw new Error(result.message)
    expect(result.records).toEqual([
      { date: '2025-03-01', channel: 'douyin', campaign: '新品上市', impressions: 12000, clicks: 96, costMinor: 45_610, currency: 'CNY' },
      { date: '2025-03-02', channel: 'douyin', campaign: '新品上市', impressions: 0, clicks: 0, costMinor: 0, currency: 'CNY' },
    ])
    const mapped = parseSpendCsv('day;media;plan;spent\n2025-03-01;xhs;KOL;99.9\n', { mapping: parseSpendMapping('campaign=plan,cost=spent'), delimiter: ';' })
    if (mapped.kind !== 'parsed') throw new Error(mapped.message)
    expect(mapped.records[0]).toMatchObject({ channel: 'xiaohongshu', campaign: 'KOL', costMinor: 9990 })
  })

  it('keeps money in the currency’s own minor units', () => {
    const result = parseSpendCsv('date,channel,cost,currency\n2025-03-01,google,1200,JPY\n2025-03-01,facebook,12.345,KWD\n2025-03-01,x,1,RMB\n2025-03-01,y,1,XYZ\n')
    if (result.kind !== 'parsed') throw new Error(result.message)
    expect(result.records.map((r) => [r.channel, r.costMinor, r.currency])).toEqual([['google_ads', 1200, 'JPY'], ['facebook', 12_345, 'KWD'], ['x', 100, 'CNY']])
    expect(result.report.rejected).toEqual([{ line: 5, reasons: ["currency 'XYZ' is not an ISO 4217 code such as CNY"] }])
  })

  it('refuses a file it cannot read, naming the columns it has', () => {
    const missing = parseSpendCsv('when,platform,price\n2025-03-01,douyin,3\n')
    expect(missing).toEqual({ kind: 'BadFile', message: expect.stringContaining('the file has no date, cost column; its columns are "when", "platform", "price"') })
    expect(parseSpendCsv('')).toMatchObject({ kind: 'BadFile', message: expect.stringContaining('empty') })
    expect(parseSpendCsv('date,channel,cost\n"2025-03-01,douyin,3\n')).toMatchObject({ kind: 'BadFile', message: expect.stringContaining('unclosed quote') })
    expect(() => parseSpendMapping('cost')).toThrow('column=header')
    expect(() => parseSpendMapping('price=消耗')).toThrow('unknown column "price"')
  })
})

describe('spendChannel', () => {
  it.each([
    ['baidu', 'baidu_search'],
    ['百度', 'baidu_search'],
    ['巨量引擎', 'douyin'],
    ['Xiaohongshu', 'xiaohongshu'],
    ['小红书', 'xiaohongshu'],
    ['微博', 'weibo'],
    ['wechat', 'wechat_ads'],
    ['广点通', 'tencent_ads'],
    ['Tmall', 'tmall'],
    ['My Agency', 'my_agency'],
  ])('%s → %s', (name, channel) => expect(spendChannel(name)).toBe(channel))
})
