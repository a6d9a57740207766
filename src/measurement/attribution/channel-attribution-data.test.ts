import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { attribute, attributionJson, MODEL_NAMES } from './attribute.ts'
import { pathTotals } from './credits.ts'
import { buildMarkovGraphs } from './markov-graph.ts'
import { markovFromGraph, markovModel } from './markov-model.ts'
import { readPathFile } from './path-file.ts'
import type { PathSet } from './path-set.ts'

/** ChannelAttribution's example data, read from the shared data folder next to the repository. */
const DATA_FILE = resolve(process.cwd(), '../shared/data/ChannelAttribution_Data.csv')

let paths: PathSet

beforeAll(async () => {
  const result = await readPathFile(DATA_FILE)
  if (!result.ok) throw new Error(result.error.message)
  expect(result.report.rejected).toBe(0)
  paths = result.paths
})

describe('ChannelAttribution example data', () => {
  it('holds 10,000 paths, 19,785 conversions and 68,602 nulls', () => {
    const totals = pathTotals(paths)
    expect(totals.paths).toBe(10_000)
    // The conversion counts are whole numbers, so their sum is exact.
    expect(totals.conversions).toBe(19_785)
    expect(totals.nulls).toBe(68_602)
    expect(totals.value).toBeCloseTo(74_802.971587, 5)
    expect(paths.channels).toHaveLength(12)
  })

  it('has every model credit exactly the total conversions and value', () => {
    const report = attribute(paths, { markovOrder: 'auto' })
    const json = attributionJson(report)
    expect(Object.keys(json.models)).toEqual([...MODEL_NAMES])
    for (const model of MODEL_NAMES) {
      const credits = Object.values(json.models[model]!)
      expect(credits).toHaveLength(12)
      const conversions = credits.reduce((sum, c) => sum + c.conversions, 0)
      const value = credits.reduce((sum, c) => sum + c.value, 0)
      expect(Math.abs(conversions - 19_785), model).toBeLessThan(1e-6)
      expect(Math.abs(value - report.totals.value), model).toBeLessThan(1e-6)
      for (const c of credits) expect(c.conversions, model).toBeGreaterThanOrEqual(0)
    }
  })

  it('solves every Markov order exactly: P(conversion) equals conversions per journey', () => {
    // The fitted chain reproduces the observed flows, so the absorbed share is the observed
    // conversion rate and the expected value the observed value per journey — an exact check
    // on the solver, cycles included.
    const journeys = 19_785 + 68_602
    for (const graph of buildMarkovGraphs(paths, [1, 2, 3, 4])) {
      const result = markovFromGraph(paths, graph)
      const order = graph.order
      expect(Math.abs(result.conversionProbability - 19_785 / journeys), `order ${order}`).toBeLessThan(1e-12)
      expect(Math.abs(result.valuePerJourney - pathTotals(paths).value / journeys), `order ${order}`).toBeLessThan(1e-12)
    }
  })

  it('gets the same removal effects from the direct and the iterative solve', () => {
    const direct = markovModel(paths, { order: 2, solver: 'direct' })
    const iterative = markovModel(paths, { order: 2, solver: 'iterative' })
    direct.removalEffects.conversions.forEach((re, c) => {
      expect(Math.abs(re - iterative.removalEffects.conversions[c]!)).toBeLessThan(1e-12)
      expect(Math.abs(direct.removalEffects.value[c]! - iterative.removalEffects.value[c]!)).toBeLessThan(1e-12)
    })
  })

  it('chooses the order with the lowest BIC', () => {
    const result = markovModel(paths, { order: 'auto' })
    const scores = result.orderScores!
    const lowest = scores.reduce((best, s) => (s.bic < best.bic ? s : best))
    expect(result.order).toBe(lowest.order)
    // More memory always fits at least as well; BIC decides whether it is worth its parameters.
    for (let k = 1; k < scores.length; k++) {
      expect(scores[k]!.logLikelihood).toBeGreaterThanOrEqual(scores[k - 1]!.logLikelihood)
    }
  })
})
