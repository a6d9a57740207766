import type { ChannelGroup } from '../grouping/channel-group.ts'
import { PLATFORMS } from '../grouping/platforms.ts'
import type { GroupBy, PathLabel } from '../touchpoints/extract-paths.ts'

/** Spend of one channel (and campaign) over the period, in the report's currency. */
export interface SpendLine {
  channel: string
  campaign: string
  costMinor: number
  impressions: number
  clicks: number
}

/** What a row of a report stands for: a channel, a channel's campaign, or a journey. */
export interface RowKey {
  label: string
  channel: string
  group: ChannelGroup
  campaign: string | null
  journey: string | null
}

/**
 * Joins spend to report rows: by channel (all campaigns), by channel and campaign (a touch
 * without a campaign meets spend rows without one), never to journeys. Spend that no row
 * took becomes a row of its own with nothing credited, so money spent without a single
 * attributed conversion shows (ROAS 0) instead of vanishing.
 *
 * @example
 * const index = new CostIndex(lines, 'channel')
 * index.take(label) // { costMinor: 761900, impressions: 0, clicks: 3528 } for baidu_search
 */
export class CostIndex {
  readonly #byKey = new Map<string, SpendLine & { taken: boolean }>()
  readonly #groupBy: GroupBy

  constructor(lines: readonly SpendLine[], groupBy: GroupBy) {
    this.#groupBy = groupBy
    for (const line of lines) {
      const key = this.#key(line.channel, line.campaign)
      const known = this.#byKey.get(key)
      if (known) {
        known.costMinor += line.costMinor
        known.impressions += line.impressions
        known.clicks += line.clicks
      } else {
        this.#byKey.set(key, { ...line, campaign: groupBy === 'campaign' ? line.campaign : '', taken: false })
      }
    }
  }

  /** The spend of a row's channel (and campaign), or `null` when it has none. */
  take(row: RowKey): SpendLine | null {
    if (row.journey !== null) return null
    const line = this.#byKey.get(this.#key(row.channel, row.campaign ?? ''))
    if (!line) return null
    line.taken = true
    return line
  }

  /** Spend no row took, as rows of their own. */
  untaken(): (RowKey & Omit<SpendLine, 'channel' | 'campaign'>)[] {
    return [...this.#byKey.values()]
      .filter((l) => !l.taken)
      .map((l) => {
        const campaign = this.#groupBy === 'campaign' && l.campaign !== '' ? l.campaign : null
        const label = campaign ? `${l.channel} / ${campaign}` : l.channel
        return { label, channel: l.channel, group: paidGroupOf(l.channel), campaign, journey: null, costMinor: l.costMinor, impressions: l.impressions, clicks: l.clicks }
      })
  }

  #key(channel: string, campaign: string): string {
    return this.#groupBy === 'campaign' ? `${channel}\u0000${campaign}` : channel
  }
}

/** The group of a channel known only from spend: its platform's paid group. */
export function paidGroupOf(channel: string): ChannelGroup {
  if (channel === 'wechat_ads') return 'paid_social'
  return PLATFORMS.find((p) => p.paid.channel === channel)?.paid.group ?? 'paid_other'
}

/** Row key of a path label. */
export function rowKeyOf(label: PathLabel): RowKey {
  return { label: label.label, channel: label.channel, group: label.group, campaign: label.campaign, journey: label.journey }
}
