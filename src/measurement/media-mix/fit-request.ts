import { z } from 'zod'
import { ModelName } from '../attribution/index.ts'
import { ConversionKey, DEFAULT_CONVERSION_KEY } from '../touchpoints/conversion-definition.ts'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD')

/**
 * `POST /api/v1/measurement/mmm/fit`: what to explain, by which spend, over which days, and how
 * hard to search. Every field has a default, so `{}` fits daily revenue of purchases on all the
 * spend the workspace has imported.
 *
 * @example MmmFitRequest.parse({ outcome: 'conversions', cadence: 'week', iterations: 1000 })
 */
export const MmmFitRequest = z
  .object({
    conversion: ConversionKey.default(DEFAULT_CONVERSION_KEY).describe('The conversion whose count or value is the outcome (see /measurement/conversions)'),
    outcome: z.enum(['revenue', 'conversions']).default('revenue').describe("'revenue': the conversions' value in major units (yuan); 'conversions': their count"),
    from: Day.optional().describe('First day (YYYY-MM-DD, workspace time zone); default: the first day with spend'),
    to: Day.optional().describe('Last day, included; default: the last day with spend'),
    cadence: z.enum(['day', 'week']).default('day').describe('Model days, or weeks of seven days counted from `from` (a trailing partial week is left out)'),
    channels: z.array(z.string().min(1).max(200)).min(1).max(50).optional().describe('Spend channels to model; default: every channel with spend in the workspace currency'),
    adstock: z.enum(['geometric', 'weibull_cdf', 'weibull_pdf']).default('geometric').describe('Carry-over shape (docs/mmm.md)'),
    weekdaySeasonality: z.boolean().default(true).describe('Day-of-week terms for daily data (six variables: turn off for short histories)'),
    iterations: z.number().int().min(50).max(20_000).default(2000).describe('Hyper-parameter candidates the search evaluates'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    attributionModel: ModelName.default('markov').describe('When the history is too short for a model: the attribution model whose ROAS the simpler recommendation uses'),
    holdoutFraction: z.number().min(0.05).max(0.4).default(0.15).describe('Last share of periods kept out of the fit to measure R², NRMSE and MAPE'),
  })
  .strict()
  .refine((r) => r.from === undefined || r.to === undefined || r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
export type MmmFitRequest = z.infer<typeof MmmFitRequest>
