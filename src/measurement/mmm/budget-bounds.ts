/**
 * Per-channel spend limits for the optimiser, absolute or relative to the current spend, and the
 * `channel:min:max` notation the command line uses (`tv:0.5x:1.5x`, `search:1000:5000`,
 * `print::2x`; an empty side keeps the default).
 *
 * The default keeps each channel within 0.5×–2× its current spend: a response curve is only
 * evidence near the spend levels the history contains, and far outside them the optimiser would
 * be trusting extrapolation. A channel with no current spend therefore stays at 0 unless it is
 * given an absolute maximum.
 */
import { z } from 'zod'

const Amount = z.number().finite().min(0)

export const ChannelBoundSpec = z
  .object({
    channel: z.string().min(1),
    min: Amount.optional(),
    max: Amount.optional(),
    minRatio: Amount.optional(),
    maxRatio: Amount.optional(),
  })
  .refine((b) => b.min === undefined || b.minRatio === undefined, 'give min or minRatio, not both')
  .refine((b) => b.max === undefined || b.maxRatio === undefined, 'give max or maxRatio, not both')
export type ChannelBoundSpec = z.infer<typeof ChannelBoundSpec>

export const DEFAULT_MIN_RATIO = 0.5
export const DEFAULT_MAX_RATIO = 2

/**
 * @example
 * resolveSpendBounds([{ channel: 'tv', maxRatio: 1.5 }], { tv: 100, search: 50 })
 * // { tv: { lower: 50, upper: 150 }, search: { lower: 25, upper: 100 } }
 */
export function resolveSpendBounds(
  specs: readonly ChannelBoundSpec[],
  current: Readonly<Record<string, number>>,
  defaults: { minRatio: number; maxRatio: number } = { minRatio: DEFAULT_MIN_RATIO, maxRatio: DEFAULT_MAX_RATIO },
): Record<string, { lower: number; upper: number }> {
  const known = new Set(Object.keys(current))
  for (const spec of specs) {
    if (!known.has(spec.channel)) {
      throw new Error(`bounds name an unknown channel '${spec.channel}'; channels: ${[...known].join(', ')}`)
    }
  }
  const out: Record<string, { lower: number; upper: number }> = {}
  for (const [channel, spend] of Object.entries(current)) {
    const spec = specs.find((s) => s.channel === channel)
    const lower = spec?.min ?? (spec?.minRatio ?? defaults.minRatio) * spend
    const upper = spec?.max ?? (spec?.maxRatio ?? defaults.maxRatio) * spend
    if (upper < lower) {
      throw new Error(`bounds for '${channel}' cross: lower ${lower} is above upper ${upper}`)
    }
    out[channel] = { lower, upper }
  }
  return out
}

/**
 * Parses `channel:min:max[,channel:min:max…]`; a value ending in `x` is a multiple of the
 * current spend, otherwise an absolute spend per period.
 *
 * @example
 * parseBoundSpecs('tv:0.5x:1.5x,search:1000:')
 * // [{ channel: 'tv', minRatio: 0.5, maxRatio: 1.5 }, { channel: 'search', min: 1000 }]
 */
export function parseBoundSpecs(text: string): ChannelBoundSpec[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const pieces = part.split(':')
      if (pieces.length !== 3 || !pieces[0]) {
        throw new Error(`bound '${part}' should look like channel:min:max (e.g. tv:0.5x:1.5x or search:1000:5000)`)
      }
      const [channel, min, max] = pieces as [string, string, string]
      const spec: Record<string, unknown> = { channel }
      const side = (raw: string, absolute: 'min' | 'max', ratio: 'minRatio' | 'maxRatio'): void => {
        const value = raw.trim()
        if (value === '') return
        const relative = /x$/i.test(value)
        const n = Number(relative ? value.slice(0, -1) : value)
        if (!Number.isFinite(n) || n < 0 || value === 'x') {
          throw new Error(`bound '${part}': '${value}' is not an amount ≥ 0 or a multiple like 1.5x`)
        }
        spec[relative ? ratio : absolute] = n
      }
      side(min, 'min', 'minRatio')
      side(max, 'max', 'maxRatio')
      return ChannelBoundSpec.parse(spec)
    })
}
