import { z } from 'zod'
import { BRAND, VENUES } from './brand.ts'
import { CAUSAL_CHANNELS, CHANNEL_EFFECTS, type CausalChannel } from './channels.ts'
import type { MediaPlan } from './media-plan.ts'
import type { SpendRow } from './spend.ts'
import { ACTUAL_WORLD, NO_MARKETING_WORLD, type WorldTotals } from './world.ts'

const Money = z.number().int()

const ChannelTruth = z.object({
  channel: z.enum(CAUSAL_CHANNELS),
  paid: z.boolean(),
  /** The simulation's parameters for this channel (see docs/demo-brand.md). */
  lift: z.number(),
  adstockDecay: z.number(),
  halfSaturation: z.number(),
  spendMinor: Money,
  /** Orders in the actual world minus orders in the same world without this channel. */
  incrementalOrders: z.number().int(),
  incrementalRevenueMinor: Money,
  /** Incremental revenue per unit of spend; null for owned channels (no media spend). */
  roas: z.number().nullable(),
  weekly: z.array(z.object({ weekStart: z.string(), incrementalOrders: z.number().int(), incrementalRevenueMinor: Money, spendMinor: Money })),
})

/**
 * What really caused the orders in a demo run, for checking attribution and media-mix models.
 * Revenue is the order `total` (what the buyer paid, shipping included), the amount Chorus reads
 * from `Order Completed`, in fen.
 */
export const DemoTruth = z.object({
  schema: z.literal('chorus.demo.truth/v1'),
  brand: z.object({ name: z.string(), product: z.string(), idea: z.string() }),
  seed: z.union([z.number(), z.string()]),
  people: z.number().int(),
  days: z.number().int(),
  /** First and last simulated day (inclusive), Asia/Shanghai. */
  start: z.string(),
  end: z.string(),
  timeZone: z.literal('Asia/Shanghai'),
  currency: z.literal('CNY'),
  /** Channels switched off for the whole run (empty for the real launch). */
  without: z.array(z.enum(CAUSAL_CHANNELS)),
  conversionEvent: z.literal('Order Completed'),
  method: z.literal('common-random-numbers counterfactual simulation'),
  actual: z.object({ orders: z.number().int(), buyers: z.number().int(), revenueMinor: Money }),
  /** The same people and random numbers with every marketing channel removed. */
  noMarketing: z.object({ orders: z.number().int(), revenueMinor: Money }),
  marketing: z.object({
    incrementalOrders: z.number().int(),
    incrementalRevenueMinor: Money,
    /** Channel effects multiply, so removing channels one at a time does not add up to all at once. */
    sumOfChannelIncrementalOrders: z.number().int(),
    sumOfChannelIncrementalRevenueMinor: Money,
  }),
  channels: z.array(ChannelTruth),
  venues: z.array(z.object({ venue: z.enum(VENUES), orders: z.number().int(), revenueMinor: Money })),
  weekly: z.array(z.object({ weekStart: z.string(), orders: z.number().int(), revenueMinor: Money, noMarketingOrders: z.number().int(), noMarketingRevenueMinor: Money })),
})
export type DemoTruth = z.infer<typeof DemoTruth>

/** Assembles the truth from the worlds' totals and the spend ledger. */
export function buildTruth(input: { seed: number | string; people: number; without: readonly CausalChannel[]; plan: MediaPlan; totals: WorldTotals; spend: readonly SpendRow[] }): DemoTruth {
  const { plan, totals } = input
  const weeks = totals.weeks
  const at = (world: number, week: number, series: Float64Array) => series[world * weeks + week]!
  const sum = (world: number, series: Float64Array) => {
    let s = 0
    for (let w = 0; w < weeks; w++) s += at(world, w, series)
    return Math.round(s)
  }
  const weekStart = (w: number) => plan.dateKey(w * 7)
  const weekOf = (date: string) => {
    for (let w = weeks - 1; w >= 0; w--) if (date >= weekStart(w)) return w
    return 0
  }

  const actualOrders = sum(ACTUAL_WORLD, totals.orders)
  const actualRevenue = sum(ACTUAL_WORLD, totals.revenueMinor)
  const channels = CHANNEL_EFFECTS.map((effect, c) => {
    const world = c + 1
    const weeklySpend = new Array<number>(weeks).fill(0)
    for (const row of input.spend) if (row.channel === effect.channel) weeklySpend[weekOf(row.date)]! += row.costMinor
    const spendMinor = weeklySpend.reduce((a, b) => a + b, 0)
    const incrementalRevenueMinor = actualRevenue - sum(world, totals.revenueMinor)
    return {
      channel: effect.channel,
      paid: effect.paid,
      lift: effect.lift,
      adstockDecay: effect.decay,
      halfSaturation: effect.halfSaturation,
      spendMinor,
      incrementalOrders: actualOrders - sum(world, totals.orders),
      incrementalRevenueMinor,
      roas: spendMinor > 0 ? Math.round((incrementalRevenueMinor / spendMinor) * 1000) / 1000 : null,
      weekly: Array.from({ length: weeks }, (_, w) => ({
        weekStart: weekStart(w),
        incrementalOrders: Math.round(at(ACTUAL_WORLD, w, totals.orders) - at(world, w, totals.orders)),
        incrementalRevenueMinor: Math.round(at(ACTUAL_WORLD, w, totals.revenueMinor) - at(world, w, totals.revenueMinor)),
        spendMinor: weeklySpend[w]!,
      })),
    }
  })
  const noMarketingOrders = sum(NO_MARKETING_WORLD, totals.orders)
  const noMarketingRevenue = sum(NO_MARKETING_WORLD, totals.revenueMinor)
  return {
    schema: 'chorus.demo.truth/v1',
    brand: { name: BRAND.name, product: BRAND.product, idea: BRAND.idea },
    seed: input.seed,
    people: input.people,
    days: plan.days,
    start: plan.dateKey(0),
    end: plan.dateKey(plan.days - 1),
    timeZone: 'Asia/Shanghai',
    currency: 'CNY',
    without: [...input.without],
    conversionEvent: 'Order Completed',
    method: 'common-random-numbers counterfactual simulation',
    actual: { orders: actualOrders, buyers: totals.buyers, revenueMinor: actualRevenue },
    noMarketing: { orders: noMarketingOrders, revenueMinor: noMarketingRevenue },
    marketing: {
      incrementalOrders: actualOrders - noMarketingOrders,
      incrementalRevenueMinor: actualRevenue - noMarketingRevenue,
      sumOfChannelIncrementalOrders: channels.reduce((a, c) => a + c.incrementalOrders, 0),
      sumOfChannelIncrementalRevenueMinor: channels.reduce((a, c) => a + c.incrementalRevenueMinor, 0),
    },
    channels,
    venues: VENUES.map((venue, v) => ({ venue, orders: totals.venueOrders[v]!, revenueMinor: Math.round(totals.venueRevenueMinor[v]!) })),
    weekly: Array.from({ length: weeks }, (_, w) => ({
      weekStart: weekStart(w),
      orders: Math.round(at(ACTUAL_WORLD, w, totals.orders)),
      revenueMinor: Math.round(at(ACTUAL_WORLD, w, totals.revenueMinor)),
      noMarketingOrders: Math.round(at(NO_MARKETING_WORLD, w, totals.orders)),
      noMarketingRevenueMinor: Math.round(at(NO_MARKETING_WORLD, w, totals.revenueMinor)),
    })),
  }
}
