/**
 * A fitted marketing-mix model in plain data (JSON-safe), so it can be stored and handed to the
 * budget optimiser or a report without refitting.
 *
 * Outcome per period t = intercept + Σ terms·values + Σ_channels β_c · hill(adstock(x_c)_t)
 * where x_c is the channel's spend (or impressions) and β_c ≥ 0.
 */
import { z } from 'zod'
import { AdstockSpec } from './adstock.ts'

export const ChannelModel = z.object({
  name: z.string(),
  adstock: AdstockSpec,
  adstockWindow: z.number().int().positive(),
  /** Hill shape α. */
  alpha: z.number().positive(),
  /** Robyn's γ: K's position within the range of the adstocked training series. */
  gamma: z.number().min(0).max(1),
  /** Hill half-saturation K, in adstocked media units. */
  halfSaturation: z.number().min(0),
  /** β: the outcome a fully saturated channel adds per period. */
  coefficient: z.number().min(0),
  /** Σ adstock weights: steady spend s per period becomes an adstocked level s × this. */
  carryoverMultiplier: z.number().positive(),
  /** Media units per unit of spend (1 when spend is modelled; impressions per unit of spend otherwise). */
  exposurePerSpend: z.number().min(0),
  /** Average spend per period over the modelled history: the "current" allocation. */
  meanSpend: z.number().min(0),
  /** False when the channel had no spend to learn from; its coefficient is then 0. */
  modelled: z.boolean(),
})
export type ChannelModel = z.infer<typeof ChannelModel>

export const ModelTerm = z.object({
  name: z.string(),
  group: z.enum(['trend', 'seasonality', 'control']),
  coefficient: z.number(),
})
export type ModelTerm = z.infer<typeof ModelTerm>

export const MmmModel = z.object({
  outcomeName: z.string(),
  mediaInput: z.enum(['spend', 'impressions']),
  cadenceDays: z.number().positive(),
  firstDate: z.string(),
  lastDate: z.string(),
  intercept: z.number(),
  lambda: z.number().min(0),
  channels: z.array(ChannelModel),
  terms: z.array(ModelTerm),
  /** Mean fitted outcome per period, the base against which relative uplifts are stated. */
  meanPredictedOutcome: z.number(),
})
export type MmmModel = z.infer<typeof MmmModel>
