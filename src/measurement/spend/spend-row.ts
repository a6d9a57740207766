import { channelSlug } from '../grouping/classify.ts'
import { PLATFORMS, WECHAT_SOURCES } from '../grouping/platforms.ts'
import { isCurrency, minorDigits } from './currency.ts'

/** One day of one campaign's spend, as stored: money in integer minor units with its currency. */
export interface SpendRecord {
  /** The ad account's local date, YYYY-MM-DD. */
  date: string
  channel: string
  /** '' when the export has no campaign. */
  campaign: string
  impressions: number
  clicks: number
  costMinor: number
  currency: string
}

/** The fields of one input row, as text (CSV) or JSON values. */
export interface SpendFields {
  date?: unknown
  channel?: unknown
  campaign?: unknown
  impressions?: unknown
  clicks?: unknown
  /** In major units (yuan): `30.86`, `"1,234.50"`, `"¥30.86"`. */
  cost?: unknown
  /** In minor units (fen), an integer. */
  costMinor?: unknown
  currency?: unknown
}

const CURRENCY_ALIASES: Record<string, string> = { RMB: 'CNY', '元': 'CNY', '¥': 'CNY', '￥': 'CNY', '人民币': 'CNY' }

/**
 * Validates one row of an ad platform's export and turns it into a {@link SpendRecord}, or says
 * everything that is wrong with it (a person fixes a row once, not once per problem).
 *
 * @example
 * spendRecord({ date: '2025/03/01', channel: '巨量引擎', campaign: '新品上市', impressions: '12,000', clicks: '96', cost: '¥456.10' }, 'CNY')
 * // { ok: true, record: { date: '2025-03-01', channel: 'douyin', campaign: '新品上市', impressions: 12000, clicks: 96, costMinor: 45610, currency: 'CNY' } }
 */
export function spendRecord(fields: SpendFields, defaultCurrency: string): { ok: true; record: SpendRecord } | { ok: false; reasons: string[] } {
  const reasons: string[] = []
  const date = dateOf(fields.date)
  if (date === null) reasons.push(fields.date === undefined || text(fields.date) === '' ? 'date is missing' : `date '${text(fields.date)}' is not a date (use YYYY-MM-DD)`)
  const rawChannel = text(fields.channel)
  if (rawChannel === '') reasons.push('channel is missing (map a column to channel, or give one channel for the whole file)')
  const currencyText = text(fields.currency).toUpperCase()
  const currency = currencyText === '' ? defaultCurrency : (CURRENCY_ALIASES[currencyText] ?? currencyText)
  if (!isCurrency(currency)) reasons.push(`currency '${currencyText}' is not an ISO 4217 code such as CNY`)
  const impressions = countOf(fields.impressions, 'impressions', reasons)
  const clicks = countOf(fields.clicks, 'clicks', reasons)
  let costMinor: number | null = null
  if (fields.costMinor !== undefined && fields.costMinor !== null && fields.costMinor !== '') {
    const n = typeof fields.costMinor === 'number' ? fields.costMinor : Number(text(fields.costMinor))
    if (!Number.isSafeInteger(n) || n < 0) reasons.push(`costMinor '${text(fields.costMinor)}' must be a whole number ≥ 0 of minor units (fen)`)
    else costMinor = n
  } else if (fields.cost === undefined || text(fields.cost) === '') {
    reasons.push('cost is missing')
  } else if (isCurrency(currency)) {
    const amount = decimalOf(fields.cost)
    if (amount === null) reasons.push(`cost '${text(fields.cost)}' is not an amount (e.g. 1234.50)`)
    else if (amount < 0) reasons.push(`cost '${text(fields.cost)}' is negative`)
    else costMinor = Math.round(amount * 10 ** minorDigits(currency))
  }
  if (reasons.length > 0) return { ok: false, reasons }
  return {
    ok: true,
    record: { date: date!, channel: spendChannel(rawChannel), campaign: text(fields.campaign), impressions, clicks, costMinor: costMinor!, currency },
  }
}

/**
 * An ad platform's name as the channel attribution uses for its paid traffic, so spend and
 * credited conversions meet: `baidu` and `百度` → `baidu_search`, `巨量引擎` → `douyin`, `xhs` →
 * `xiaohongshu`, `wechat` → `wechat_ads`, `广点通` → `tencent_ads`. Unknown names are kept
 * (lower-case, spaces as `_`).
 *
 * @example spendChannel('巨量引擎') // 'douyin'
 */
export function spendChannel(name: string): string {
  const key = name.trim().toLowerCase()
  if ((WECHAT_SOURCES as readonly string[]).includes(key) && key !== 'wechat_official_account' && key !== 'official_account' && key !== '公众号') return 'wechat_ads'
  for (const p of PLATFORMS) if (p.sources.includes(key) || p.paid.channel === key) return p.paid.channel
  return channelSlug(name)
}

function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  return String(value).trim()
}

function countOf(value: unknown, name: string, reasons: string[]): number {
  const raw = text(value)
  if (raw === '' || raw === '-' || raw === '--') return 0
  const n = Number(raw.replace(/[,\s]/g, ''))
  if (!Number.isSafeInteger(n) || n < 0) {
    reasons.push(`${name} '${raw}' must be a whole number ≥ 0`)
    return 0
  }
  return n
}

/** `1,234.50`, `¥30.86`, `30.86元`, `-` (nothing) → a number; `null` when it is not an amount. */
function decimalOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  const raw = text(value).replace(/[¥￥$,\s]|元|RMB|CNY/gi, '')
  if (raw === '-' || raw === '--') return 0
  if (!/^-?\d+(\.\d+)?$/.test(raw)) return null
  return Number(raw)
}

/** `2025-03-01`, `2025/3/1`, `2025.03.01`, `20250301`, `2025年3月1日`, with or without a time. */
function dateOf(value: unknown): string | null {
  const raw = text(value)
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(raw) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(raw)
  if (!match) return null
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const at = new Date(Date.UTC(y, m - 1, d))
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) return null
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}
