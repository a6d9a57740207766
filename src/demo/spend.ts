import { z } from 'zod'
import { ALL_CAMPAIGNS, CAMPAIGN_COUNT, DISPLAY_CAMPAIGNS } from './channels.ts'
import type { MediaPlan } from './media-plan.ts'

/** One row of an ad platform's daily export: what a campaign bought and what it cost. */
export const SpendRow = z.object({
  /** Account-time-zone date (Asia/Shanghai), YYYY-MM-DD. */
  date: z.string(),
  channel: z.enum(['douyin', 'xiaohongshu', 'weibo', 'baidu_search']),
  campaign: z.string(),
  impressions: z.number().int().nonnegative(),
  clicks: z.number().int().nonnegative(),
  /** Cost in minor units (fen). */
  costMinor: z.number().int().nonnegative(),
  currency: z.literal('CNY'),
})
export type SpendRow = z.infer<typeof SpendRow>

/**
 * Counts what each paid campaign delivered in the actual world, day by day, and prices it with the
 * week's CPM (display) or CPC (search): spend follows delivered volume, the way platforms bill.
 */
export class SpendLedger {
  readonly #plan: MediaPlan
  readonly #impressions: Int32Array
  readonly #clicks: Int32Array

  constructor(plan: MediaPlan) {
    this.#plan = plan
    this.#impressions = new Int32Array(CAMPAIGN_COUNT * plan.days)
    this.#clicks = new Int32Array(CAMPAIGN_COUNT * plan.days)
  }

  add(campaign: number, day: number, impressions: number, clicks: number): void {
    const slot = campaign * this.#plan.days + day
    this.#impressions[slot] = this.#impressions[slot]! + impressions
    this.#clicks[slot] = this.#clicks[slot]! + clicks
  }

  /** Rows sorted by date, channel, campaign; a display campaign has rows only on days it ran. */
  rows(): SpendRow[] {
    const rows: SpendRow[] = []
    const displayCount = DISPLAY_CAMPAIGNS.length
    for (let d = 0; d < this.#plan.days; d++) {
      for (const campaign of ALL_CAMPAIGNS) {
        const slot = campaign.index * this.#plan.days + d
        const impressions = this.#impressions[slot]!
        const clicks = this.#clicks[slot]!
        const display = campaign.index < displayCount
        if (display && this.#plan.reach(campaign.index, d) === 0 && impressions === 0) continue
        const unit = this.#plan.unitCostMinor(campaign.index, d)
        const costMinor = Math.round(display ? (impressions * unit) / 1000 : clicks * unit)
        rows.push({ date: this.#plan.dateKey(d), channel: campaign.channel, campaign: campaign.name, impressions, clicks, costMinor, currency: 'CNY' })
      }
    }
    rows.sort((a, b) => (a.date === b.date ? (a.channel === b.channel ? a.campaign.localeCompare(b.campaign) : a.channel < b.channel ? -1 : 1) : a.date < b.date ? -1 : 1))
    return rows
  }
}

/**
 * Writes spend rows the way an ad platform's report export looks: one row per day and campaign,
 * cost in yuan with two decimals (the currency column says which), RFC 4180 quoting.
 *
 * @example spendCsv([{ date: '2025-03-01', channel: 'douyin', campaign: '活力健康新品上市', impressions: 812, clicks: 9, costMinor: 3086, currency: 'CNY' }])
 * // 'date,channel,campaign,impressions,clicks,cost,currency\r\n2025-03-01,douyin,活力健康新品上市,812,9,30.86,CNY\r\n'
 */
export function spendCsv(rows: readonly SpendRow[]): string {
  const lines = ['date,channel,campaign,impressions,clicks,cost,currency']
  for (const row of rows) {
    const cost = `${Math.floor(row.costMinor / 100)}.${String(row.costMinor % 100).padStart(2, '0')}`
    lines.push([row.date, row.channel, csvField(row.campaign), row.impressions, row.clicks, cost, row.currency].join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
