import type { Fact } from '../report.ts'
import type { VariantText } from '../variant.ts'

/**
 * Pulls the checkable facts out of copy — prices, dates, discounts and spend-and-save thresholds
 * — in one normal form each, so "¥199", "199元", "RMB 199" and "199.00" compare equal, as do
 * "5折", "50% off" and "半价", or "11月11日", "11.11", "双11" and "2026-11-11".
 *
 * Order matters: thresholds (满300减50) are read first, then discounts, dates and prices, and a
 * span claimed by one kind is not read again, so the 300 of 满300减50 is not also a price.
 */

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`
const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
}

// Chinese price cues; English ones ("only 3 days") are too often not prices, so English needs a currency.
const PRICE_CUE = String.raw`(?:到手价|券后价|秒杀价|活动价|特价|售价|原价|现价|零售价|价格|仅需|只需|只要|低至|price)\s*[:：]?\s*`

const THRESHOLD = [
  new RegExp(String.raw`每?满\s*[¥￥]?\s*(${NUMBER})\s*元?\s*(?:立|再)?减\s*[¥￥]?\s*(${NUMBER})\s*元?`, 'g'),
  new RegExp(String.raw`spend\s*[¥￥$]?\s*(${NUMBER})\s*(?:or more)?\s*,?\s*(?:and\s+)?(?:get|save)\s*[¥￥$]?\s*(${NUMBER})(?:\s*off)?`, 'gi'),
]
const DISCOUNT: { pattern: RegExp; pay: (m: RegExpExecArray) => number }[] = [
  // 5折 = pay 50%; 8.5折 and 85折 = pay 85%.
  { pattern: /(\d{1,2}(?:\.\d)?)\s*折/g, pay: (m) => { const n = Number(m[1]); return n <= 10 ? n * 10 : n } },
  { pattern: /(\d{1,2}(?:\.\d+)?)\s*%\s*(?:off|discount)/gi, pay: (m) => 100 - Number(m[1]) },
  { pattern: /(?:save|up to)\s*(\d{1,2}(?:\.\d+)?)\s*%/gi, pay: (m) => 100 - Number(m[1]) },
  { pattern: /半价|half[ -]price/gi, pay: () => 50 },
]
const DATES: { pattern: RegExp; read: (m: RegExpExecArray) => [year: number | null, month: number, day: number] }[] = [
  { pattern: /(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?/g, read: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  { pattern: /(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g, read: (m) => [null, Number(m[1]), Number(m[2])] },
  { pattern: /双\s*(11|12|十一|十二)/g, read: (m) => (m[1] === '11' || m[1] === '十一' ? [null, 11, 11] : [null, 12, 12]) },
  {
    pattern: /\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b/gi,
    read: (m) => [m[3] ? Number(m[3]) : null, MONTHS[m[1]!.toLowerCase()]!, Number(m[2])],
  },
  {
    pattern: /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?(?:\s+(\d{4}))?\b/gi,
    read: (m) => [m[3] ? Number(m[3]) : null, MONTHS[m[2]!.toLowerCase()]!, Number(m[1])],
  },
  // 11.11, 6.18, 5.20: a bare month.day; "9.90" (day 90) is left for the price reader.
  {
    pattern: new RegExp(String.raw`(?<!(?:[\d.¥￥$]|RMB\s*|CNY\s*|USD\s*|${PRICE_CUE}))(\d{1,2})\.(\d{2})(?![\d.%折元块])`, 'gi'),
    read: (m) => [null, Number(m[1]), Number(m[2])],
  },
]
const PRICES: { pattern: RegExp; currency: (m: RegExpExecArray) => string }[] = [
  { pattern: new RegExp(String.raw`(?:[¥￥]|RMB|CNY)\s*(${NUMBER})`, 'gi'), currency: () => 'CNY' },
  { pattern: new RegExp(String.raw`(?:US\$|\$|USD)\s*(${NUMBER})`, 'gi'), currency: () => 'USD' },
  { pattern: new RegExp(String.raw`(${NUMBER})\s*(?:元|块钱|块|RMB|CNY)`, 'gi'), currency: () => 'CNY' },
  { pattern: new RegExp(String.raw`(${NUMBER})\s*(?:USD|美元)`, 'gi'), currency: () => 'USD' },
  { pattern: new RegExp(PRICE_CUE + String.raw`(${NUMBER})`, 'gi'), currency: () => 'CNY' },
  // A bare amount with cents (199.00, 9.90) reads as a price; a valid month.day was taken above.
  { pattern: /(?<![\d.,])(\d+\.\d{2})(?![\d%折])/g, currency: () => 'CNY' },
]

function validDate(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The amount as fixed two-decimal text: 199 → "199.00", "1,299" → "1299.00". */
function amount(raw: string): string {
  return Number(raw.replace(/,/g, '')).toFixed(2)
}

function formatPercent(pay: number): string {
  return `pay ${Number(pay.toFixed(2))}%`
}

/**
 * Every fact in the given fields.
 *
 * @example
 * extractFacts([{ field: 'body', text: '双11到手价¥199，满300减50' }]).map((f) => f.value)
 * // ['满300减50', '11-11', 'CNY 199.00']
 */
export function extractFacts(texts: readonly VariantText[]): Fact[] {
  const all: Fact[] = []
  for (const { field, text } of texts) {
    const facts: Fact[] = []
    const taken: [number, number][] = []
    const free = (start: number, end: number) => taken.every(([s, e]) => end <= s || start >= e)
    const add = (kind: Fact['kind'], value: string, start: number, end: number) => {
      taken.push([start, end])
      facts.push({ kind, value, field, start, end, text: text.slice(start, end) })
    }
    const scan = (pattern: RegExp, onMatch: (m: RegExpExecArray, start: number, end: number) => void) => {
      pattern.lastIndex = 0
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        const start = m.index
        const end = start + m[0].trimEnd().length
        if (free(start, end)) onMatch(m, start, end)
      }
    }
    for (const pattern of THRESHOLD) {
      scan(pattern, (m, s, e) => add('threshold', `满${Number(m[1]!.replace(/,/g, ''))}减${Number(m[2]!.replace(/,/g, ''))}`, s, e))
    }
    for (const { pattern, pay } of DISCOUNT) scan(pattern, (m, s, e) => add('discount', formatPercent(pay(m)), s, e))
    for (const { pattern, read } of DATES) {
      scan(pattern, (m, s, e) => {
        const [year, month, day] = read(m)
        if (!validDate(month, day)) return
        add('date', year === null ? `${pad(month)}-${pad(day)}` : `${year}-${pad(month)}-${pad(day)}`, s, e)
      })
    }
    for (const { pattern, currency } of PRICES) {
      scan(pattern, (m, s, e) => add('price', `${currency(m)} ${amount(m[1]!)}`, s, e))
    }
    all.push(...facts.sort((a, b) => a.start - b.start))
  }
  return all
}
