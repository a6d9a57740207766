import type { BgNbdParams, RepeatSummary } from './bg-nbd.ts'

/**
 * Draws customers from the BG/NBD generative story (Fader, Hardie & Lee 2005, §2): λ ~ Gamma(r, α)
 * (rate α), p ~ Beta(a, b); purchases arrive as a Poisson process at rate λ; after each repeat
 * purchase the customer drops out with probability p (the likelihood, eq. 3, has no drop-out at the
 * trial purchase: a customer with x = 0 is alive for sure). Used to check that fitting recovers known
 * parameters and that the hold-out validation measures what it claims.
 */
export interface SimulatedCustomer extends RepeatSummary {
  /** Repeat transactions in the hold-out period that follows calibration. */
  holdout: number
}

export interface SimulationOptions {
  customers: number
  /** Each customer's calibration length T is drawn uniformly from [minT, maxT]. */
  minT: number
  maxT: number
  holdoutLength: number
  seed: number
}

/**
 * @example simulateBgNbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, { customers: 1000, minT: 27, maxT: 39, holdoutLength: 39, seed: 1 })
 */
export function simulateBgNbd(params: BgNbdParams, options: SimulationOptions): SimulatedCustomer[] {
  const random = mulberry32(options.seed)
  const out: SimulatedCustomer[] = []
  for (let i = 0; i < options.customers; i++) {
    const T = options.minT + (options.maxT - options.minT) * random()
    const lambda = sampleGamma(params.r, random) / params.alpha
    const p = sampleBeta(params.a, params.b, random)
    const end = T + options.holdoutLength
    let t = 0
    let x = 0
    let tx = 0
    let holdout = 0
    let alive = true
    while (alive) {
      t += -Math.log(1 - random()) / lambda
      if (t > end) break
      if (t <= T) {
        x++
        tx = t
      } else holdout++
      alive = random() >= p
    }
    out.push({ x, tx, T, holdout })
  }
  return out
}

/** Mulberry32: a small seeded generator (Tommy Ettinger, public domain); uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the U^{1/shape} boost for shape < 1. */
export function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = standardNormal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - random()
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

function sampleBeta(a: number, b: number, random: () => number): number {
  const x = sampleGamma(a, random)
  const y = sampleGamma(b, random)
  return x / (x + y)
}

function standardNormal(random: () => number): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}
