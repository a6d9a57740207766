import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bgNbdConditionalExpected, bgNbdExpectedTransactions, bgNbdLogLikelihood, bgNbdProbabilityAlive, fitBgNbd, type RepeatSummary } from './bg-nbd.ts'
import { expectedSpend, fitGammaGamma, gammaGammaLogLikelihood, type SpendSummary } from './gamma-gamma.ts'
import { mulberry32, sampleGamma, simulateBgNbd } from './bg-nbd-simulation.ts'
import { lnBeta, lnGamma } from './gamma-function.ts'
import { fitLogistic, predictLogistic } from './logistic-regression.ts'
import { rocAuc } from './auc.ts'

// The CDNOW maximum-likelihood estimates (Fader, Hardie & Lee 2005, Table 1: r = 0.243,
// α = 4.414, a = 0.793, b = 2.426), at the precision their spreadsheet note carries.
const CDNOW = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 }

describe('BG/NBD', () => {
  it('reproduces the expectations published for the CDNOW fit', () => {
    // "Implementing the BG/NBD model in Excel" (Fader, Hardie & Lee 2005): E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226.
    expect(bgNbdConditionalExpected(CDNOW, 39, { x: 2, tx: 30.43, T: 38.86 })).toBeCloseTo(1.226, 3)
    // The same note's E[X(t)] column for t = 1/7, 1, 3, 31 6/7, 32 and 78 weeks.
    const published = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576]
    const times = [0.1429, 1, 3, 31.8571, 32, 78]
    times.forEach((t, i) => expect(Math.abs(bgNbdExpectedTransactions(CDNOW, t) - published[i]!)).toBeLessThan(1e-3))
  })

  it('evaluates equation (6) of the paper for one customer', () => {
    const { r, alpha, a, b } = CDNOW
    const c = { x: 3, tx: 20, T: 35 }
    const gammaPart = Math.exp(lnGamma(r + c.x) - lnGamma(r)) * alpha ** r
    const expected =
      (Math.exp(lnBeta(a, b + c.x) - lnBeta(a, b)) * gammaPart) / (alpha + c.T) ** (r + c.x) +
      (Math.exp(lnBeta(a + 1, b + c.x - 1) - lnBeta(a, b)) * gammaPart) / (alpha + c.tx) ** (r + c.x)
    expect(bgNbdLogLikelihood(CDNOW, [c])).toBeCloseTo(Math.log(expected), 12)
    expect(bgNbdLogLikelihood(CDNOW, [{ x: 0, tx: 0, T: 35 }])).toBeCloseTo(r * Math.log(alpha / (alpha + 35)), 12)
  })

  it('calls a customer with no repeat purchase alive, and a long-silent frequent buyer probably not', () => {
    expect(bgNbdProbabilityAlive(CDNOW, { x: 0, tx: 0, T: 38 })).toBe(1)
    const silent = bgNbdProbabilityAlive(CDNOW, { x: 10, tx: 5, T: 38 })
    const recent = bgNbdProbabilityAlive(CDNOW, { x: 10, tx: 37, T: 38 })
    expect(silent).toBeLessThan(0.05)
    expect(recent).toBeGreaterThan(0.9)
  })

  it('recovers the parameters of simulated customers and predicts their hold-out purchases', () => {
    const truth = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 }
    const customers = simulateBgNbd(truth, { customers: 5000, minT: 26, maxT: 52, holdoutLength: 26, seed: 7 })
    const fit = fitBgNbd(customers)
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, customers))
    // Sampling error at n = 5,000 (from repeated simulation): r and α within ~10%, a and b ~25%.
    expect(fit.params.r).toBeGreaterThan(truth.r * 0.85)
    expect(fit.params.r).toBeLessThan(truth.r * 1.15)
    expect(fit.params.alpha).toBeGreaterThan(truth.alpha * 0.8)
    expect(fit.params.alpha).toBeLessThan(truth.alpha * 1.2)
    expect(fit.params.a).toBeGreaterThan(truth.a * 0.65)
    expect(fit.params.a).toBeLessThan(truth.a * 1.35)
    expect(fit.params.b).toBeGreaterThan(truth.b * 0.65)
    expect(fit.params.b).toBeLessThan(truth.b * 1.35)
    const predicted = customers.reduce((s, c) => s + bgNbdConditionalExpected(fit.params, 26, c), 0)
    const actual = customers.reduce((s, c) => s + c.holdout, 0)
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.05)
  })

  it('refuses an impossible summary with a message naming it', () => {
    expect(() => fitBgNbd([{ x: 1, tx: 40, T: 30 }])).toThrow(/t_x=40, T=30/)
  })

  // The CDNOW sample summary (2,357 customers; the lifetimes package ships it as
  // cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar). Run when it is in ../shared/data.
  const cdnowFile = resolve(process.cwd(), '../shared/data/cdnow_customers_summary_with_transactions.csv')
  it.skipIf(!existsSync(cdnowFile))('fits the published CDNOW parameters from the CDNOW sample', () => {
    const rows = readFileSync(cdnowFile, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number))
    const customers: RepeatSummary[] = rows.map(([, x, tx, T]) => ({ x: x!, tx: tx!, T: T! }))
    const fit = fitBgNbd(customers)
    // Published to the digits shown: LL = −9,582.4, r = 0.243, α = 4.414, a = 0.793, b = 2.426.
    const within = (value: number, published: number, halfUnit: number) => expect(Math.abs(value - published)).toBeLessThanOrEqual(halfUnit)
    within(fit.logLikelihood, -9582.4, 0.05)
    within(fit.params.r, 0.243, 0.0005)
    within(fit.params.alpha, 4.414, 0.0005)
    within(fit.params.a, 0.793, 0.0005)
    within(fit.params.b, 2.426, 0.0005)
    const spend = fitGammaGamma(rows.filter(([, x]) => x! > 0).map(([, x, , , zbar]) => ({ x: x!, mean: zbar! })))
    // Fader, Hardie & Lee (2005b), RFM and CLV: p = 6.25, q = 3.74, γ = 15.44; the summary's means
    // are rounded to cents, so allow 1.5 in the last digit (as the lifetimes package's check does).
    within(spend.params.p, 6.25, 0.015)
    within(spend.params.q, 3.74, 0.015)
    within(spend.params.gamma, 15.44, 0.015)
  })
})

describe('Gamma-Gamma', () => {
  it("weights a customer's own mean against the population mean as the paper does", () => {
    const cdnowSpend = { p: 6.25, q: 3.74, gamma: 15.44 }
    // The CDNOW customers with x = 2, z̄ = 22.35 and x = 7, z̄ = 73.74 (as the lifetimes tests use).
    expect(expectedSpend(cdnowSpend, { x: 2, mean: 22.35 })).toBeCloseTo(24.65, 1)
    expect(expectedSpend(cdnowSpend, { x: 7, mean: 73.74 })).toBeCloseTo(71.46, 1)
    expect(expectedSpend(cdnowSpend, { x: 0, mean: 0 })).toBeCloseTo((6.25 * 15.44) / 2.74, 10)
  })

  it('recovers the parameters of simulated spend', () => {
    const truth = { p: 6, q: 4, gamma: 15 }
    const random = mulberry32(11)
    const customers: SpendSummary[] = []
    for (let i = 0; i < 3000; i++) {
      const nu = sampleGamma(truth.q, random) / truth.gamma
      const x = 1 + Math.floor(random() * 8)
      let sum = 0
      for (let k = 0; k < x; k++) sum += sampleGamma(truth.p, random) / nu
      customers.push({ x, mean: sum / x })
    }
    const fit = fitGammaGamma(customers)
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, customers))
    // The population mean spend pγ/(q − 1) is well identified even where p, q, γ trade off.
    const mean = (fit.params.p * fit.params.gamma) / (fit.params.q - 1)
    expect(mean).toBeGreaterThan(30 * 0.93)
    expect(mean).toBeLessThan(30 * 1.07)
    expect(fit.params.p).toBeGreaterThan(truth.p * 0.85)
    expect(fit.params.p).toBeLessThan(truth.p * 1.15)
  })
})

describe('logistic regression', () => {
  it('recovers simulated coefficients and ranks hold-out rows', () => {
    const random = mulberry32(3)
    const rows: number[][] = []
    const labels: number[] = []
    for (let i = 0; i < 4000; i++) {
      const x1 = random() * 4 - 2
      const x2 = random() * 4 - 2
      const p = 1 / (1 + Math.exp(-(-0.5 + 1.5 * x1 - 1 * x2)))
      rows.push([x1, x2, 7])
      labels.push(random() < p ? 1 : 0)
    }
    const model = fitLogistic(rows.slice(0, 3000), labels.slice(0, 3000), { lambda: 1e-6 })
    expect(model.converged).toBe(true)
    // Weights are on standardised features: divide by the scale to get back raw units.
    expect(model.weights[0]! / model.scales[0]!).toBeCloseTo(1.5, 0)
    expect(model.weights[1]! / model.scales[1]!).toBeCloseTo(-1, 0)
    expect(model.weights[2]).toBe(0)
    const holdout = rows.slice(3000).map((r) => predictLogistic(model, r))
    expect(rocAuc(holdout, labels.slice(3000))).toBeGreaterThan(0.8)
  })

  it('shrinks weights toward zero as the penalty grows', () => {
    const rows = [[0], [1], [2], [3], [4], [5]]
    const labels = [0, 0, 1, 0, 1, 1]
    const loose = fitLogistic(rows, labels, { lambda: 0.01 })
    const tight = fitLogistic(rows, labels, { lambda: 100 })
    expect(Math.abs(tight.weights[0]!)).toBeLessThan(Math.abs(loose.weights[0]!) / 5)
  })
})
