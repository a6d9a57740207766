/**
 * A small seeded pseudo-random generator so every search and simulation in MMM is reproducible:
 * the same seed gives the same hyper-parameters, the same fit and the same report.
 *
 * Mulberry32 (Tommy Ettinger, public domain): a 32-bit state, period 2^32, good enough for
 * sampling search candidates; it is not for anything that needs cryptographic strength.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  integer(n: number): number
  /** Standard normal N(0, 1) by the Box–Muller transform. */
  normal(): number
}

/**
 * @example
 * const random = createSeededRandom(42)
 * const u = random.next() // same value on every run with seed 42
 */
export function createSeededRandom(seed: number): SeededRandom {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`)
  let state = Math.trunc(seed) >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    integer: (n) => Math.floor(next() * n),
    normal: () => {
      // 1 - next() lies in (0, 1], so the logarithm is finite.
      const u = 1 - next()
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
  }
}
