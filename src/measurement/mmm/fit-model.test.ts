import { beforeAll, describe, expect, it } from 'vitest'
import { allocateBudget } from './budget-allocator.ts'
import { fitMmm, fitMmmWithProgress, mmmReadiness, type FitOutcome } from './fit-model.ts'
import { evaluateAllocation, optimiseBudget } from './model-budget.ts'
import type { ResponseCurve } from './response-curve.ts'
import { hill, hillDerivative, hillInflexionPoint } from './saturation.ts'
import { simulateMediaDataset, type SimulatedChannel } from './simulated-dataset.ts'

// Three flighted channels with known carry-over and saturation: a slow-decaying S-shaped "TV",
// a mid "social" and a fast, C-shaped "search". Noise ≈ 1.2 % of the outcome.
const channels: SimulatedChannel[] = [
  { name: 'tv', theta: 0.7, alpha: 2, gamma: 0.5, coefficient: 400, activeShare: 0.4, typicalSpend: 1000, spread: 0.4 },
  { name: 'social', theta: 0.3, alpha: 1.2, gamma: 0.5, coefficient: 250, activeShare: 0.6, typicalSpend: 300, spread: 0.5 },
  { name: 'search', theta: 0.1, alpha: 0.8, gamma: 0.5, coefficient: 200, activeShare: 0.6, typicalSpend: 250, spread: 0.4 },
]
const simulation = simulateMediaDataset({
  seed: 1,
  weeks: 200,
  channels,
  baseline: 2000,
  trendPerWeek: 2,
  seasonalAmplitude: 150,
  noise: 30,
})

let outcome: FitOutcome
beforeAll(() => {
  outcome = fitMmm(simulation.dataset, { iterations: 800, seed: 1 })
})
const fitted = (): Extract<FitOutcome, { kind: 'fitted' }> => {
  if (outcome.kind !== 'fitted') throw new Error(outcome.message)
  return outcome
}

describe('fitMmm on simulated data with known parameters', () => {
  it('fits the same model when run step by step with progress, reporting rising fractions up to 1', async () => {
    const fractions: number[] = []
    const stepped = await fitMmmWithProgress(simulation.dataset, { iterations: 800, seed: 1 }, (f) => {
      fractions.push(f)
    })
    if (stepped.kind !== 'fitted') throw new Error(stepped.message)
    expect(stepped.model).toEqual(fitted().model)
    expect(fractions.length).toBeGreaterThan(10)
    expect(fractions.every((f, i) => f > 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]!))).toBe(true)
    expect(fractions.at(-1)).toBeGreaterThan(0.95)
  })

  it('recovers each channel’s adstock decay θ within 0.1', () => {
    const { report } = fitted()
    report.channels.forEach((c, i) => {
      const adstock = c.hyperparameters.adstock
      if (adstock.type !== 'geometric') throw new Error('expected geometric adstock')
      expect(Math.abs(adstock.theta - (channels[i] as SimulatedChannel).theta)).toBeLessThan(0.1)
    })
  })

  it('recovers each channel’s contribution within 25 % and the media total within 10 %', () => {
    const { report } = fitted()
    report.channels.forEach((c, i) => {
      expect(Math.abs(c.contribution / (simulation.contributions[i] as number) - 1)).toBeLessThan(0.25)
    })
    const fittedTotal = report.channels.reduce((s, c) => s + c.contribution, 0)
    const trueTotal = simulation.contributions.reduce((s, c) => s + c, 0)
    expect(Math.abs(fittedTotal / trueTotal - 1)).toBeLessThan(0.1)
  })

  it('predicts the untouched hold-out well and reports consistent figures', () => {
    const { report } = fitted()
    expect(report.split.holdout.periods).toBe(30)
    expect(report.split.train.periods).toBe(170)
    expect(report.split.holdout.from).toBe(simulation.dataset.dates[170])
    expect(report.metrics.holdout.r2).toBeGreaterThan(0.8)
    expect(report.metrics.holdout.mape).toBeLessThan(0.03)
    expect(report.search.evaluations).toBe(800)
    expect(report.channels.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 9)
    for (const c of report.channels) {
      expect(c.roi).toBeCloseTo(c.contribution / c.spend, 9)
      const curve = c.responseCurve
      expect(curve[0]).toMatchObject({ spend: 0, response: 0 })
      for (let i = 1; i < curve.length; i++) expect(curve[i]!.response).toBeGreaterThanOrEqual(curve[i - 1]!.response)
    }
  })

  it('is deterministic for a seed', () => {
    const a = fitMmm(simulation.dataset, { iterations: 120, seed: 5 })
    const b = fitMmm(simulation.dataset, { iterations: 120, seed: 5 })
    expect(a).toEqual(b)
  })
})

describe('budget plans from a fitted model', () => {
  it('spends exactly the budget within 0.5×–2× of current spend and beats the current split', () => {
    const { model } = fitted()
    const plan = optimiseBudget(model)
    if (plan.kind !== 'planned') throw new Error(plan.message)
    expect(plan.budget).toBeCloseTo(plan.currentBudget, 9)
    expect(plan.channels.reduce((s, c) => s + c.recommendedSpend, 0)).toBeCloseTo(plan.budget, 6)
    for (const c of plan.channels) {
      expect(c.recommendedSpend).toBeGreaterThanOrEqual(0.5 * c.currentSpend - 1e-9)
      expect(c.recommendedSpend).toBeLessThanOrEqual(2 * c.currentSpend + 1e-9)
    }
    expect(plan.uplift).toBeGreaterThanOrEqual(0)
    const interior = plan.channels.filter((c) => c.atBound === null)
    for (const c of interior) expect((c.recommendedMarginal as number) / (interior[0]!.recommendedMarginal as number)).toBeCloseTo(1, 3)
  })

  it('recommends a split that also raises the outcome under the true curves', () => {
    const { model } = fitted()
    const plan = optimiseBudget(model)
    if (plan.kind !== 'planned') throw new Error(plan.message)
    const trueCurves: ResponseCurve[] = channels.map((c, i) => {
      const carryover = (1 - c.theta ** 200) / (1 - c.theta)
      const k = simulation.halfSaturation[i] as number
      return {
        channel: c.name,
        response: (s) => c.coefficient * hill(s * carryover, c.alpha, k),
        marginal: (s) => c.coefficient * carryover * hillDerivative(s * carryover, c.alpha, k),
        concaveFrom: hillInflexionPoint(c.alpha, k) / carryover,
      }
    })
    const trueResponse = (spends: number[]): number => spends.reduce((s, x, i) => s + trueCurves[i]!.response(x), 0)
    const current = plan.channels.map((c) => c.currentSpend)
    const best = allocateBudget({
      curves: trueCurves,
      bounds: current.map((c) => ({ lower: 0.5 * c, upper: 2 * c })),
      budget: plan.budget,
    })
    if (best.kind !== 'allocated') throw new Error(best.message)
    const attainable = best.totalResponse - trueResponse(current)
    const achieved = trueResponse(plan.channels.map((c) => c.recommendedSpend)) - trueResponse(current)
    expect(attainable).toBeGreaterThan(0)
    expect(achieved / attainable).toBeGreaterThan(0.5)
  })

  it('honours explicit bounds and reports an impossible budget', () => {
    const { model } = fitted()
    const plan = optimiseBudget(model, { budget: 900, bounds: [{ channel: 'tv', max: 300 }, { channel: 'search', min: 150 }] })
    if (plan.kind !== 'planned') throw new Error(plan.message)
    const byName = Object.fromEntries(plan.channels.map((c) => [c.channel, c]))
    expect(byName.tv!.recommendedSpend).toBeLessThanOrEqual(300 + 1e-9)
    expect(byName.search!.recommendedSpend).toBeGreaterThanOrEqual(150 - 1e-9)
    expect(plan.channels.reduce((s, c) => s + c.recommendedSpend, 0)).toBeCloseTo(900, 6)
    expect(optimiseBudget(model, { budget: 1 }).kind).toBe('InfeasibleBudget')
  })

  it('evaluates a what-if allocation consistently with the plan', () => {
    const { model } = fitted()
    const plan = optimiseBudget(model)
    if (plan.kind !== 'planned') throw new Error(plan.message)
    const scenario = evaluateAllocation(model, Object.fromEntries(plan.channels.map((c) => [c.channel, c.recommendedSpend])))
    expect(scenario.totalResponse).toBeCloseTo(plan.recommendedResponse, 9)
    expect(scenario.change).toBeCloseTo(plan.uplift, 9)
    expect(evaluateAllocation(model, {}).change).toBe(0)
    const lessTv = evaluateAllocation(model, { tv: 0 })
    expect(lessTv.change).toBeLessThan(0)
    expect(() => evaluateAllocation(model, { radio: 5 })).toThrow(/unknown channel 'radio'/)
  })
})

describe('history checks', () => {
  it('refuses too short a history and points to the attribution method', () => {
    const short = simulateMediaDataset({
      seed: 2, weeks: 30, channels, baseline: 2000, trendPerWeek: 0, seasonalAmplitude: 0, noise: 10,
    })
    const result = fitMmm(short.dataset, { iterations: 10 })
    expect(result.kind).toBe('InsufficientHistory')
    if (result.kind !== 'InsufficientHistory') return
    expect(result.periods).toBe(30)
    expect(result.message).toMatch(/recommendFromAttribution/)
    expect(mmmReadiness(short.dataset).kind).toBe('InsufficientHistory')
    expect(mmmReadiness(simulation.dataset)).toMatchObject({ kind: 'ready', periods: 200 })
  })

  it('explains invalid input instead of fitting nonsense', () => {
    const bad = { ...simulation.dataset, outcome: { name: 'revenue', values: [1, 2, 3] } }
    expect(() => fitMmm(bad)).toThrow(/outcome 'revenue' has 3 values for 200 dates/)
    expect(() => fitMmm(simulation.dataset, { mediaInput: 'impressions', iterations: 5 })).toThrow(/has no impressions/)
    expect(() => fitMmm(simulation.dataset, { bounds: { tv: { theta: [0, 1.5] } } })).toThrow(/theta must lie in \[0, 1\)/)
  })
})
