import { z } from 'zod'
import { lnBeta, lnGamma } from './gamma-function.ts'
import { hyp2f1 } from './hypergeometric.ts'
import { nelderMead } from './nelder-mead.ts'

/**
 * The BG/NBD model of repeat buying: Fader, Hardie & Lee (2005), "'Counting Your Customers' the
 * Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2):275–284.
 *
 * While active, a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they become
 * inactive with probability p ~ Beta(a, b). A customer is summarised by x (repeat transactions),
 * t_x (time of the last one, from the first purchase) and T (time from the first purchase to the
 * end of observation), all in one time unit.
 */
export const BgNbdParams = z.object({ r: z.number().positive(), alpha: z.number().positive(), a: z.number().positive(), b: z.number().positive() })
export type BgNbdParams = z.infer<typeof BgNbdParams>

/** One customer's calibration summary. */
export interface RepeatSummary {
  /** Repeat transactions (after the first). */
  x: number
  /** Time of the last repeat transaction since the first purchase; 0 when x = 0. */
  tx: number
  /** Time since the first purchase at the end of the calibration period. */
  T: number
}

/**
 * Total log-likelihood, equation (6) of the paper:
 *
 * L(r, α, a, b | x, t_x, T) = B(a, b+x)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+T)^{r+x})
 *                          + δ_{x>0} · B(a+1, b+x−1)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+t_x)^{r+x})
 *
 * taken in logs term by term (log-sum-exp for the sum). Terms that depend on x only are computed
 * once per distinct x.
 *
 * @example bgNbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, [{ x: 2, tx: 30.43, T: 38.86 }])
 */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly RepeatSummary[]): number {
  const { r, alpha, a, b } = params
  const lnBab = lnBeta(a, b)
  const rLnAlpha = r * Math.log(alpha)
  const lnGammaR = lnGamma(r)
  const byX = new Map<number, { common: number; first: number; second: number }>()
  let total = 0
  for (const c of customers) {
    let k = byX.get(c.x)
    if (!k) {
      k = {
        common: lnGamma(r + c.x) - lnGammaR + rLnAlpha,
        first: lnBeta(a, b + c.x) - lnBab,
        second: c.x > 0 ? Math.log(a) - Math.log(b + c.x - 1) + lnBeta(a, b + c.x) - lnBab : Number.NEGATIVE_INFINITY,
      }
      byX.set(c.x, k)
    }
    // B(a+1, b+x−1) = B(a, b+x) · a / (b+x−1), which keeps x = 1 with b < 1 finite.
    const a3 = k.first - (r + c.x) * Math.log(alpha + c.T)
    if (c.x === 0) {
      total += k.common + a3
      continue
    }
    const a4 = k.second - (r + c.x) * Math.log(alpha + c.tx)
    const m = Math.max(a3, a4)
    total += k.common + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m))
  }
  return total
}

export interface BgNbdFit {
  params: BgNbdParams
  logLikelihood: number
  evaluations: number
  converged: boolean
}

/**
 * Maximum-likelihood fit by Nelder–Mead over the logs of the parameters (so they stay positive),
 * from a few starting points; the best optimum wins.
 *
 * @example const { params } = fitBgNbd(customers)
 */
export function fitBgNbd(customers: readonly RepeatSummary[]): BgNbdFit {
  if (customers.length === 0) throw new Error('BG/NBD needs at least one customer to fit')
  validate(customers)
  const meanT = customers.reduce((s, c) => s + c.T, 0) / customers.length
  const starts = [
    [1, meanT / 4, 1, 1],
    [0.3, meanT / 10, 0.8, 2.5],
    [2, meanT, 0.5, 5],
  ]
  let best: BgNbdFit | null = null
  starts.forEach((start) => {
    const run = nelderMead((v) => -bgNbdLogLikelihood(fromLog(v), customers), start.map(Math.log), { maxEvaluations: 6000 })
    if (!best || -run.value > best.logLikelihood) best = { params: fromLog(run.x), logLikelihood: -run.value, evaluations: run.evaluations, converged: run.converged }
  })
  return best!
}

function fromLog(v: number[]): BgNbdParams {
  return { r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) }
}

function validate(customers: readonly RepeatSummary[]): void {
  for (const c of customers) {
    if (!Number.isInteger(c.x) || c.x < 0 || !(c.T >= 0) || c.tx < 0 || c.tx > c.T + 1e-9 || (c.x === 0 && c.tx !== 0)) {
      throw new Error(`Invalid customer summary x=${c.x}, t_x=${c.tx}, T=${c.T}: need integer x ≥ 0, 0 ≤ t_x ≤ T, and t_x = 0 when x = 0`)
    }
  }
}

/**
 * E[X(t)]: expected transactions of a randomly chosen customer in (0, t], equation (7):
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]. Both factors change sign together
 * at a = 1 (a removable 0/0), so a is moved off 1 by 1e-9 there.
 *
 * @example bgNbdExpectedTransactions({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39)
 */
export function bgNbdExpectedTransactions(params: BgNbdParams, t: number): number {
  const { r, alpha, b } = params
  const a = offOne(params.a)
  if (t <= 0) return 0
  const z = t / (alpha + t)
  return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))
}

/**
 * E[Y(t) | x, t_x, T]: expected transactions in the next t for a customer with this history,
 * equation (10) of the paper.
 *
 * @example bgNbdConditionalExpected({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39, { x: 2, tx: 30.43, T: 38.86 }) // ≈ 1.226
 */
export function bgNbdConditionalExpected(params: BgNbdParams, t: number, c: RepeatSummary): number {
  const { r, alpha, b } = params
  const a = offOne(params.a)
  if (t <= 0) return 0
  const x = c.x
  const z = t / (alpha + c.T + t)
  const hyper = hyp2f1(r + x, b + x, a + b + x - 1, z)
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + c.T) / (alpha + c.T + t)) ** (r + x) * hyper)
  return numerator / (1 + aliveOdds(params, c))
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^{r+x}), equation (11).
 *
 * @example bgNbdProbabilityAlive(params, { x: 0, tx: 0, T: 30 }) // 1: no repeat purchase, no chance yet to drop out
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, c: RepeatSummary): number {
  return 1 / (1 + aliveOdds(params, c))
}

function aliveOdds(params: BgNbdParams, c: RepeatSummary): number {
  if (c.x === 0) return 0
  const { r, alpha, a, b } = params
  return (a / (b + c.x - 1)) * Math.exp((r + c.x) * Math.log((alpha + c.T) / (alpha + c.tx)))
}

function offOne(a: number): number {
  return Math.abs(a - 1) < 1e-9 ? 1 + 1e-9 : a
}
