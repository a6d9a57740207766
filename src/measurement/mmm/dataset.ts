/**
 * The input of a marketing-mix model: one row per period (day or week), the outcome to explain,
 * each paid channel's spend (and optionally its impressions), and control variables that move
 * the outcome without being media (events, competitor sales, price, weather…).
 */
import { z } from 'zod'

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates must be ISO YYYY-MM-DD')
const Amounts = z.array(z.number().finite().min(0, 'spend and impressions cannot be negative'))

export const MmmChannel = z.object({
  name: z.string().min(1),
  /** Spend per period, in the outcome's currency when the outcome is revenue. */
  spend: Amounts,
  /** Impressions (or clicks, GRPs) per period, when the model should use exposure. */
  impressions: Amounts.optional(),
})
export type MmmChannel = z.infer<typeof MmmChannel>

export const MmmControl = z.object({
  name: z.string().min(1),
  values: z.array(z.number().finite()),
})
export type MmmControl = z.infer<typeof MmmControl>

export const MmmDataset = z
  .object({
    /** Period start dates, strictly increasing. */
    dates: z.array(IsoDate).min(2),
    outcome: z.object({
      /** e.g. `revenue` or `conversions`; used in reports. */
      name: z.string().min(1),
      values: z.array(z.number().finite()),
    }),
    channels: z.array(MmmChannel).min(1),
    controls: z.array(MmmControl).default([]),
  })
  .superRefine((data, ctx) => {
    const n = data.dates.length
    const check = (length: number, path: (string | number)[], what: string): void => {
      if (length !== n) ctx.addIssue({ code: 'custom', path, message: `${what} has ${length} values for ${n} dates` })
    }
    check(data.outcome.values.length, ['outcome', 'values'], `outcome '${data.outcome.name}'`)
    const names = new Set<string>()
    data.channels.forEach((c, i) => {
      check(c.spend.length, ['channels', i, 'spend'], `spend of channel '${c.name}'`)
      if (c.impressions) check(c.impressions.length, ['channels', i, 'impressions'], `impressions of '${c.name}'`)
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'name'], message: `channel '${c.name}' appears twice` })
      names.add(c.name)
    })
    data.controls.forEach((c, i) => {
      check(c.values.length, ['controls', i, 'values'], `control '${c.name}'`)
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['controls', i, 'name'], message: `'${c.name}' is used twice` })
      names.add(c.name)
    })
    for (let i = 1; i < n; i++) {
      if ((data.dates[i] as string) <= (data.dates[i - 1] as string)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dates', i],
          message: `dates must increase: ${data.dates[i]} follows ${data.dates[i - 1]}`,
        })
        break
      }
    }
  })
export type MmmDataset = z.infer<typeof MmmDataset>
export type MmmDatasetInput = z.input<typeof MmmDataset>

/**
 * Validates a dataset, throwing one error that lists every problem (path: message).
 *
 * @example
 * const dataset = parseMmmDataset({
 *   dates: ['2024-01-01', '2024-01-08'],
 *   outcome: { name: 'revenue', values: [100, 120] },
 *   channels: [{ name: 'search', spend: [10, 12] }],
 * })
 */
export function parseMmmDataset(input: unknown): MmmDataset {
  const result = MmmDataset.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(dataset)'}: ${i.message}`)
  throw new Error(`invalid MMM dataset:\n  ${problems.join('\n  ')}`)
}
