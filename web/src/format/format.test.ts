import { describe, expect, it } from 'vitest'
import { currencyDigits, formatCompact, formatDate, formatDateTime, formatMoney, formatMoneyCompact, formatNumber, formatPercent, formatRelative, formatSignedPercent, formatWindow } from './format.ts'

describe('formatting for zh-CN and English', () => {
  it('formats money from minor units in each locale', () => {
    expect(formatMoney(123456, 'CNY', 'zh-CN')).toBe('¥1,234.56')
    expect(formatMoney(123456, 'CNY', 'en')).toBe('CN¥1,234.56')
    expect(formatMoney(-5, 'CNY', 'zh-CN')).toBe('-¥0.05')
    // JPY has no minor unit: 1234 is ¥1,234, not ¥12.34.
    expect(currencyDigits('JPY')).toBe(0)
    expect(formatMoney(1234, 'JPY', 'en')).toBe('¥1,234')
  })

  it('abbreviates large amounts with 万 and 亿 in Chinese and K/M in English', () => {
    expect(formatCompact(123_456_789, 'zh-CN')).toBe('1.2亿')
    expect(formatCompact(12_345, 'zh-CN')).toBe('1.2万')
    expect(formatCompact(123_456_789, 'en')).toBe('123.5M')
    expect(formatCompact(999, 'zh-CN')).toBe('999')
    expect(formatMoneyCompact(12_345_678_900, 'CNY', 'zh-CN')).toBe('¥1.2亿')
    expect(formatMoneyCompact(1_234_567, 'CNY', 'zh-CN')).toBe('¥1.2万')
    // Nothing to abbreviate: the amount as money, with its minor unit.
    expect(formatMoneyCompact(87_950, 'CNY', 'en')).toBe('CN¥879.50')
  })

  it('formats plain numbers and percentages', () => {
    expect(formatNumber(1234567.891, 'en')).toBe('1,234,567.89')
    expect(formatNumber(1234567.891, 'zh-CN', 0)).toBe('1,234,568')
    expect(formatPercent(0.1234, 'zh-CN')).toBe('12.3%')
    expect(formatSignedPercent(0.045, 'en')).toBe('+4.5%')
    expect(formatSignedPercent(-0.04, 'zh-CN')).toBe('-4%')
  })

  it('says how long ago in the largest whole unit', () => {
    const now = Date.UTC(2026, 10, 20, 12, 0, 0)
    expect(formatRelative(now - 3 * 86_400_000, 'zh-CN', now)).toBe('3天前')
    expect(formatRelative(now - 3 * 86_400_000, 'en', now)).toBe('3 days ago')
    expect(formatRelative(now - 86_400_000, 'zh-CN', now)).toBe('昨天')
    expect(formatRelative(now - 90 * 60_000, 'en', now)).toBe('1 hour ago')
    expect(formatRelative(now + 2 * 3_600_000, 'en', now)).toBe('in 2 hours')
    expect(formatRelative(new Date(now - 10_000).toISOString(), 'zh-CN', now)).toBe('10秒钟前')
  })

  it('shows dates in the workspace time zone', () => {
    // 16:30 UTC is already the next day in Shanghai.
    expect(formatDate('2026-11-10T16:30:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月11日')
    expect(formatDateTime('2026-11-10T16:30:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月11日 00:30')
    expect(formatDateTime('2026-11-10T16:30:00Z', 'en', 'UTC')).toBe('Nov 10, 2026, 16:30')
  })

  it('reads definition windows as words', () => {
    expect(formatWindow('30d', 'zh-CN')).toBe('30天')
    expect(formatWindow('2w', 'en')).toBe('2 weeks')
    expect(formatWindow('garbage', 'en')).toBe('garbage')
  })
})
