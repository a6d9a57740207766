import { z } from 'zod'
import { lnGamma } from './gamma-function.ts'
import { nelderMead } from './nelder-mead.ts'

/**
 * The Gamma-Gamma model of spend per transaction: Fader, Hardie & Lee (2005), "RFM and CLV: Using
 * Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4):415–430, as
 * written out in Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value".
 *
 * Transaction values z_i ~ Gamma(p, ν) around a customer's mean, with ν ~ Gamma(q, γ) across
 * customers. A customer is summarised by x (transactions averaged — the repeat transactions) and
 * z̄ (their mean value). Fitted on customers with x ≥ 1.
 */
export const GammaGammaParams = z.object({ p: z.number().positive(), q: z.number().positive(), gamma: z.number().positive() })
export type GammaGammaParams = z.infer<typeof GammaGammaParams>

export interface SpendSummary {
  /** Transactions averaged (≥ 1). */
  x: number
  /** Their mean value (> 0). */
  mean: number
}

/**
 * Σ ln f(z̄ | p, q, γ; x), with
 * f = Γ(px+q) / (Γ(px)Γ(q)) · γ^q x^{px} z̄^{px−1} / (γ + x z̄)^{px+q}.
 *
 * @example gammaGammaLogLikelihood({ p: 6.25, q: 3.74, gamma: 15.44 }, [{ x: 2, mean: 22.35 }])
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, customers: readonly SpendSummary[]): number {
  const { p, q, gamma } = params
  const lnGammaQ = lnGamma(q)
  const qLnGamma = q * Math.log(gamma)
  let total = 0
  for (const c of customers) {
    const px = p * c.x
    total +=
      lnGamma(px + q) - lnGamma(px) - lnGammaQ + qLnGamma + px * Math.log(c.x) + (px - 1) * Math.log(c.mean) - (px + q) * Math.log(gamma + c.x * c.mean)
  }
  return total
}

export interface GammaGammaFit {
  params: GammaGammaParams
  logLikelihood: number
  converged: boolean
}

/**
 * Maximum-likelihood fit by Nelder–Mead in log space.
 *
 * @example const { params } = fitGammaGamma(repeatBuyers)
 */
export function fitGammaGamma(customers: readonly SpendSummary[]): GammaGammaFit {
  const usable = customers.filter((c) => c.x >= 1)
  if (usable.length < 2) throw new Error('Gamma-Gamma needs at least two customers with a repeat transaction')
  for (const c of usable) if (!(c.mean > 0)) throw new Error(`Gamma-Gamma needs positive mean transaction values, got ${c.mean}`)
  const meanSpend = usable.reduce((s, c) => s + c.mean, 0) / usable.length
  let best: GammaGammaFit | null = null
  for (const start of [
    [1, 1, meanSpend],
    [5, 3, meanSpend / 2],
  ]) {
    const run = nelderMead((v) => -gammaGammaLogLikelihood(fromLog(v), usable), start.map(Math.log), { maxEvaluations: 6000 })
    if (!best || -run.value > best.logLikelihood) best = { params: fromLog(run.x), logLikelihood: -run.value, converged: run.converged }
  }
  return best!
}

function fromLog(v: number[]): GammaGammaParams {
  return { p: Math.exp(v[0]!), q: Math.exp(v[1]!), gamma: Math.exp(v[2]!) }
}

/**
 * E[M | p, q, γ, z̄, x] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄ — a weighted mean of the
 * population mean pγ/(q−1) and the customer's own mean. With x = 0 it is the population mean.
 *
 * @example expectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, { x: 2, mean: 22.35 }) // ≈ 24.65
 */
export function expectedSpend(params: GammaGammaParams, c: SpendSummary): number {
  const { p, q, gamma } = params
  if (!(q > 1)) throw new Error(`The Gamma-Gamma mean spend needs q > 1; the fit gave q = ${q}`)
  if (c.x === 0) return (p * gamma) / (q - 1)
  return (p * (gamma + c.x * c.mean)) / (p * c.x + q - 1)
}
