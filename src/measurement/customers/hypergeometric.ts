/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1 — the range
 * BG/NBD's expectations use (z = t / (α + T + t)). Terms are built by their ratio, so no
 * factorial overflows; the series is summed until a term no longer changes the sum.
 *
 * Abramowitz & Stegun 15.1.1: ₂F₁(a, b; c; z) = Σₙ (a)ₙ(b)ₙ / (c)ₙ · zⁿ / n!.
 */
const MAX_TERMS = 1_000_000

/**
 * @example hyp2f1(1, 1, 2, 0.5) // −ln(1 − 0.5) / 0.5 = 1.3862943611198906
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1 is evaluated for 0 ≤ z < 1 here, got ${z}`)
  let term = 1
  let sum = 1
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1))
    const next = sum + term
    // Past the peak the terms only shrink; stop once they fall below the sum's precision.
    if (next === sum && Math.abs(term) < 1e-17 * Math.abs(sum)) return next
    sum = next
  }
  throw new Error(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`)
}
