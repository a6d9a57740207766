/**
 * Seeded randomness for the demo brand. Every draw in the simulation comes from a keyed stream:
 * `rng.reseed(seed, purpose, a, b)` puts the generator in a state that depends only on those four
 * numbers, so the draws for "person 17, day 40, core decisions" are the same whatever happened
 * before. That is what makes runs byte-identical for a seed and what lets counterfactual worlds
 * share their random numbers (common random numbers).
 *
 * The generator is SFC32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, from PractRand): 128 bits
 * of state, passes PractRand to terabytes, and needs only 32-bit integer arithmetic, which JS does
 * quickly through `Math.imul` and `>>> 0`. Keys are mixed with MurmurHash3's 32-bit finaliser.
 */

/** Streams are separated by purpose so that adding draws to one never shifts another. */
export const Purpose = {
  person: 1,
  core: 2,
  emission: 3,
  plan: 4,
  device: 5,
} as const

/** MurmurHash3 fmix32: a bijective avalanche on 32-bit integers. */
export function fmix32(value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * Turns a user-facing seed (an integer or any string) into a 32-bit seed. Strings are hashed with
 * FNV-1a over their UTF-16 code units, then avalanched.
 *
 * @example seedFromValue('launch-2025') // a stable uint32
 * @example seedFromValue(7) // 7 mixed, stable
 */
export function seedFromValue(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`seed must be a safe integer or a string (got ${value})`)
    const low = value % 0x1_0000_0000
    const high = Math.floor(value / 0x1_0000_0000)
    return fmix32((low >>> 0) ^ fmix32(high + 0x9e3779b9))
  }
  let h = 0x811c9dc5
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return fmix32(h)
}

/**
 * A small, fast, seedable PRNG (SFC32) with the few distributions the simulation needs.
 *
 * @example
 * const rng = new Rng(seedFromValue(42), Purpose.core, 17, 40)
 * rng.next() // same number on every run
 */
export class Rng {
  #a = 0
  #b = 0
  #c = 0
  #d = 0

  constructor(seed: number, purpose = 0, a = 0, b = 0) {
    this.reseed(seed, purpose, a, b)
  }

  /** Puts the generator in the state for this key; cheap enough to call per person-day. */
  reseed(seed: number, purpose: number, a: number, b: number): this {
    let h = fmix32(seed ^ 0x6a09e667)
    h = fmix32(h ^ Math.imul(purpose + 1, 0x9e3779b1))
    h = fmix32(h ^ Math.imul(a + 1, 0x85ebca77))
    h = fmix32(h ^ Math.imul(b + 1, 0xc2b2ae3d))
    this.#a = h
    this.#b = fmix32(h ^ 0x243f6a88)
    this.#c = fmix32(h ^ 0x13198a2e)
    this.#d = 1
    // SFC32's authors recommend discarding the first outputs after seeding.
    for (let i = 0; i < 12; i++) this.nextUint32()
    return this
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0
    this.#d = (this.#d + 1) | 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) | 0
    this.#c = (this.#c << 21) | (this.#c >>> 11)
    this.#c = (this.#c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Integer in [min, max], both inclusive. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list')
    return items[this.int(items.length)] as T
  }

  /** An index drawn with probability proportional to its weight. */
  weighted(weights: ArrayLike<number>): number {
    return pickWeighted(weights, this.next())
  }

  /** Standard normal by Box–Muller (two uniforms). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** `count` decimal digits as a string (leading zeros kept). */
  digits(count: number): string {
    let out = ''
    for (let i = 0; i < count; i++) out += String(this.int(10))
    return out
  }

  /** `count` lower-case hex digits. */
  hex(count: number): string {
    let out = ''
    for (let i = 0; i < count; i++) out += (this.nextUint32() & 15).toString(16)
    return out
  }

  /** An RFC 4122 version-4 UUID whose random bits come from this stream. */
  uuid(): string {
    const h = this.hex(32).split('')
    h[12] = '4'
    h[16] = '89ab'[this.nextUint32() & 3] as string
    const s = h.join('')
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
  }
}

/** Index drawn with probability proportional to its weight, using a given uniform `u`. */
export function pickWeighted(weights: ArrayLike<number>, u: number): number {
  let total = 0
  for (let i = 0; i < weights.length; i++) total += weights[i] as number
  if (!(total > 0)) throw new Error('weights must have a positive sum')
  let target = u * total
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i] as number
    if (target < 0) return i
  }
  return weights.length - 1
}

/**
 * Poisson count by inversion of the CDF with one uniform, capped: one uniform per count keeps the
 * draw aligned across counterfactual worlds.
 */
export function poissonFromUniform(u: number, lambda: number, cap = 6): number {
  if (lambda <= 0) return 0
  let p = Math.exp(-lambda)
  let cdf = p
  let k = 0
  while (u >= cdf && k < cap) {
    k++
    p *= lambda / k
    cdf += p
  }
  return k
}
