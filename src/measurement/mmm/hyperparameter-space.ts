/**
 * Maps a point of the unit cube searched by {@link searchUnitCube} to hyper-parameters: per
 * channel the adstock parameters (θ, or Weibull shape and scale) and Hill α and γ, then one ridge
 * penalty λ, searched on a log scale because its useful values span orders of magnitude.
 */
import type { AdstockSpec, AdstockType } from './adstock.ts'
import { resolveChannelBounds, type ChannelSearchBounds, type Range, type ResolvedBounds } from './fit-options.ts'

export interface ChannelHyperparameters {
  adstock: AdstockSpec
  alpha: number
  gamma: number
}

export interface Candidate {
  channels: ChannelHyperparameters[]
  lambda: number
}

export interface HyperparameterSpace {
  dimensions: number
  decode(point: Float64Array): Candidate
}

/**
 * @example
 * const space = hyperparameterSpace(['tv', 'search'], 'geometric', {}, [1e-4, 1])
 * space.dimensions // 7: θ, α, γ per channel and λ
 */
export function hyperparameterSpace(
  channels: readonly string[],
  adstock: AdstockType,
  overrides: Record<string, ChannelSearchBounds>,
  lambda: Range,
): HyperparameterSpace {
  if (!(lambda[0] > 0)) throw new Error(`the ridge penalty range must start above 0, got ${lambda[0]}`)
  const bounds: ResolvedBounds[] = channels.map((c) => resolveChannelBounds(c, adstock, overrides))
  const perChannel = adstock === 'geometric' ? 3 : 4
  const logLo = Math.log(lambda[0])
  const logHi = Math.log(lambda[1])
  return {
    dimensions: channels.length * perChannel + 1,
    decode(point) {
      let i = 0
      const take = (range: Range): number => range[0] + (point[i++] as number) * (range[1] - range[0])
      const decoded = bounds.map((b): ChannelHyperparameters => {
        const spec: AdstockSpec =
          adstock === 'geometric'
            ? { type: 'geometric', theta: take(b.theta) }
            : { type: adstock, shape: take(b.shape), scale: take(b.scale) }
        return { adstock: spec, alpha: take(b.alpha), gamma: take(b.gamma) }
      })
      const l = Math.exp(logLo + (point[i] as number) * (logHi - logLo))
      return { channels: decoded, lambda: l }
    },
  }
}
