import { describe, expect, it } from 'vitest'
import { DISPLAY_CAMPAIGNS } from './channels.ts'
import { simulateDemo } from './generator.ts'
import { SpendRow, spendCsv } from './spend.ts'

const { spend } = simulateDemo({ people: 1500, days: 42, seed: 9, start: '2025-04-07' })

describe('spend rows', () => {
  it('are non-negative integers in CNY fen, one per day and running campaign', () => {
    expect(spend.length).toBeGreaterThan(42 * 4)
    const seen = new Set<string>()
    for (const row of spend) {
      expect(SpendRow.parse(row)).toEqual(row)
      const key = `${row.date}|${row.channel}|${row.campaign}`
      expect(seen.has(key)).toBe(false)
      seen.add(key)
    }
    expect(spend[0]!.date).toBe('2025-04-07')
    expect(spend.at(-1)!.date).toBe('2025-05-18')
  })

  it('cost what the delivered volume costs: display by impressions (CPM), search by clicks (CPC)', () => {
    for (const row of spend) {
      if (row.channel === 'baidu_search') {
        if (row.clicks === 0) expect(row.costMinor).toBe(0)
        else expect(row.costMinor / row.clicks).toBeGreaterThan(50)
      } else if (row.impressions > 0) {
        const cpm = (row.costMinor / row.impressions) * 1000
        const listed = DISPLAY_CAMPAIGNS.find((c) => c.channel === row.channel && c.name === row.campaign)!.cpmMinor
        expect(cpm).toBeGreaterThan(listed * 0.5)
        expect(cpm).toBeLessThan(listed * 2)
      } else {
        expect(row.costMinor).toBe(0)
      }
      expect(row.clicks).toBeLessThanOrEqual(Math.max(row.impressions, row.clicks))
    }
  })

  it('vary from week to week, so a media-mix model has signal', () => {
    for (const channel of ['douyin', 'xiaohongshu', 'baidu_search'] as const) {
      const weekly = new Map<number, number>()
      for (const row of spend.filter((r) => r.channel === channel)) {
        const week = Math.floor((Date.parse(row.date) - Date.parse('2025-04-07')) / (7 * 86_400_000))
        weekly.set(week, (weekly.get(week) ?? 0) + row.costMinor)
      }
      const values = [...weekly.values()]
      const mean = values.reduce((a, b) => a + b, 0) / values.length
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)
      expect(values.length).toBe(6)
      expect(sd / mean).toBeGreaterThan(0.08)
    }
  })
})

describe('spendCsv', () => {
  it('writes an ad-platform export: header, one line per row, cost in yuan with two decimals', () => {
    const csv = spendCsv(spend)
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe('date,channel,campaign,impressions,clicks,cost,currency')
    expect(lines.length).toBe(spend.length + 1)
    const first = lines[1]!.split(',')
    expect(first[0]).toBe(spend[0]!.date)
    expect(Math.round(Number(first[5]) * 100)).toBe(spend[0]!.costMinor)
    expect(first[5]).toMatch(/^\d+\.\d{2}$/)
    expect(first[6]).toBe('CNY')
  })

  it('quotes campaign names that contain commas or quotes (RFC 4180)', () => {
    const csv = spendCsv([{ date: '2025-01-01', channel: 'weibo', campaign: '活力,"元气"', impressions: 1, clicks: 0, costMinor: 5, currency: 'CNY' }])
    expect(csv.split('\r\n')[1]).toBe('2025-01-01,weibo,"活力,""元气""",1,0,0.05,CNY')
  })
})
