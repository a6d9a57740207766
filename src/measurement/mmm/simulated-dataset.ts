/**
 * Simulates weekly marketing data from known adstock, saturation and coefficients, so tests and
 * demonstrations can check that a fit recovers what generated the data. Transformations are the
 * same as the model's (Robyn's geometric adstock and Hill with γ on the adstocked range), the
 * baseline has a level, a linear trend and a yearly cycle, and the noise is Gaussian.
 */
import { applyAdstock } from './adstock.ts'
import type { MmmDataset } from './dataset.ts'
import { hill, robynHalfSaturation } from './saturation.ts'
import { createSeededRandom } from './seeded-random.ts'

export interface SimulatedChannel {
  name: string
  theta: number
  alpha: number
  gamma: number
  /** β: the outcome a saturated channel adds per week. */
  coefficient: number
  /** Share of weeks with spend (flighting). */
  activeShare: number
  /** Median spend in an active week; spend is log-normal around it. */
  typicalSpend: number
  spread: number
}

export interface SimulationSpec {
  seed: number
  weeks: number
  channels: SimulatedChannel[]
  baseline: number
  trendPerWeek: number
  seasonalAmplitude: number
  noise: number
}

export interface Simulation {
  dataset: MmmDataset
  /** Σ over all weeks of each channel's true contribution, in channel order. */
  contributions: number[]
  /** Each channel's true half-saturation K (from γ over the full adstocked series). */
  halfSaturation: number[]
}

/**
 * @example
 * const { dataset, contributions } = simulateMediaDataset({
 *   seed: 1, weeks: 200, baseline: 2000, trendPerWeek: 2, seasonalAmplitude: 150, noise: 30,
 *   channels: [{ name: 'tv', theta: 0.7, alpha: 2, gamma: 0.5, coefficient: 400,
 *     activeShare: 0.4, typicalSpend: 1000, spread: 0.5 }],
 * })
 */
export function simulateMediaDataset(spec: SimulationSpec): Simulation {
  const random = createSeededRandom(spec.seed)
  const dates: string[] = []
  for (let w = 0; w < spec.weeks; w++) {
    dates.push(new Date(Date.UTC(2020, 0, 6 + 7 * w)).toISOString().slice(0, 10))
  }
  const outcome = dates.map(
    (_, w) => spec.baseline + spec.trendPerWeek * w + spec.seasonalAmplitude * Math.sin((2 * Math.PI * 7 * w) / 365.25),
  )
  const spends = spec.channels.map((c) =>
    dates.map(() => (random.next() < c.activeShare ? c.typicalSpend * Math.exp(c.spread * random.normal()) : 0)),
  )
  const contributions: number[] = []
  const halfSaturation: number[] = []
  spec.channels.forEach((c, i) => {
    const adstocked = applyAdstock(spends[i] as number[], { type: 'geometric', theta: c.theta })
    const k = robynHalfSaturation(adstocked, c.gamma)
    halfSaturation.push(k)
    let total = 0
    adstocked.forEach((a, w) => {
      const effect = c.coefficient * hill(a, c.alpha, k)
      outcome[w] = (outcome[w] as number) + effect
      total += effect
    })
    contributions.push(total)
  })
  for (let w = 0; w < spec.weeks; w++) outcome[w] = (outcome[w] as number) + spec.noise * random.normal()
  return {
    dataset: {
      dates,
      outcome: { name: 'revenue', values: outcome },
      channels: spec.channels.map((c, i) => ({ name: c.name, spend: spends[i] as number[] })),
      controls: [],
    },
    contributions,
    halfSaturation,
  }
}
