import { describe, expect, it } from 'vitest'
import { creditRecord } from './credits.ts'
import { buildMarkovGraphs, coarsenGraph, countMarkovGraph } from './markov-graph.ts'
import { markovFromGraph, markovModel, type Transition } from './markov-model.ts'
import type { AggregatedPath } from './path.ts'
import { buildPathSet } from './path-set.ts'

const row = (path: string, conversions: number, value: number, nulls: number): AggregatedPath => ({
  path: path.split('>').map((c) => c.trim()),
  conversions,
  value,
  nulls,
})
const pathsOf = (rows: AggregatedPath[]) => buildPathSet(rows).paths
const probability = (transitions: Transition[], from: string, to: string) =>
  transitions.find((t) => t.from === from && t.to === to)?.probability

/*
 * A chain with a cycle (a ⇄ b), solved by hand.
 *
 *   path        conversions  value  nulls   weight (conversions + nulls)
 *   a > b > a        1        30      0        1
 *   a                0         0      2        2
 *   b                1        10      1        2
 *   b > c            2        60      0        2
 *
 * Counts: start→a 3, start→b 4 (7 journeys); a→b 1, a→conv 1, a→null 2 (out 4);
 * b→a 1, b→c 2, b→conv 1, b→null 1 (out 5); c→conv 2 (out 2).
 * Absorption x(s) = P(conversion | at s):
 *   x(c) = 1
 *   x(a) = 1/4 + x(b)/4,  x(b) = 1/5 + x(a)/5 + 2/5 · x(c)
 *   ⇒ x(a) = 8/19, x(b) = 13/19, P = 3/7 · 8/19 + 4/7 · 13/19 = 76/133 = 4/7
 * Remove a (x(a) = 0): x(b) = 1/5 + 2/5 = 3/5, P = 4/7 · 3/5 = 12/35, RE(a) = 1 − (12/35)/(4/7) = 2/5
 * Remove b (x(b) = 0): x(a) = 1/4, P = 3/7 · 1/4 = 3/28, RE(b) = 1 − (3/28)/(4/7) = 13/16
 * Remove c (x(c) = 0): x(a) = 6/19, x(b) = 5/19, P = 38/133 = 2/7, RE(c) = 1 − (2/7)/(4/7) = 1/2
 *
 * Value, absorbing weight r(s) = value ending in s / out(s): r(a) = 30/4, r(b) = 10/5, r(c) = 60/2.
 *   y(a) = 7.5 + y(b)/4,  y(b) = 2 + y(a)/5 + 2/5 · 30  ⇒ y(a) = 220/19, y(b) = 310/19
 *   V = 3/7 · 220/19 + 4/7 · 310/19 = 100/7
 * Remove a: y(b) = 14, V = 8 → REv(a) = 1 − 8/(100/7) = 0.44
 * Remove b: y(a) = 7.5, V = 22.5/7 → REv(b) = 0.775
 * Remove c: y(a) = 160/19, y(b) = 70/19, V = 40/7 → REv(c) = 0.6
 */
const handChain = [row('a > b > a', 1, 30, 0), row('a', 0, 0, 2), row('b', 1, 10, 1), row('b > c', 2, 60, 0)]

describe('Markov chain attribution, exact', () => {
  for (const solver of ['direct', 'iterative'] as const) {
    it(`matches the hand-solved absorbing chain (${solver} solve)`, () => {
      const paths = pathsOf(handChain)
      const result = markovModel(paths, { order: 1, solver })
      const id = (c: string) => paths.channels.indexOf(c)
      expect(result.conversionProbability).toBeCloseTo(4 / 7, 14)
      expect(result.valuePerJourney).toBeCloseTo(100 / 7, 12)
      expect(result.removalEffects.conversions[id('a')]).toBeCloseTo(2 / 5, 14)
      expect(result.removalEffects.conversions[id('b')]).toBeCloseTo(13 / 16, 14)
      expect(result.removalEffects.conversions[id('c')]).toBeCloseTo(1 / 2, 14)
      expect(result.removalEffects.value[id('a')]).toBeCloseTo(0.44, 14)
      expect(result.removalEffects.value[id('b')]).toBeCloseTo(0.775, 14)
      expect(result.removalEffects.value[id('c')]).toBeCloseTo(0.6, 14)
      // 4 conversions in proportion 2/5 : 13/16 : 1/2; 100 value in proportion 0.44 : 0.775 : 0.6.
      const credits = creditRecord(result.credits)
      const sum = 2 / 5 + 13 / 16 + 1 / 2
      expect(credits.a!.conversions).toBeCloseTo((4 * (2 / 5)) / sum, 12)
      expect(credits.b!.conversions).toBeCloseTo((4 * (13 / 16)) / sum, 12)
      expect(credits.c!.conversions).toBeCloseTo((4 * (1 / 2)) / sum, 12)
      expect(credits.a!.value).toBeCloseTo((100 * 0.44) / 1.815, 10)
      expect(credits.c!.value).toBeCloseTo((100 * 0.6) / 1.815, 10)
    })
  }

  it('reports the transition probabilities with ChannelAttribution’s state names', () => {
    const { transitions } = markovModel(pathsOf(handChain))
    expect(probability(transitions, '(start)', 'a')).toBeCloseTo(3 / 7, 15)
    expect(probability(transitions, '(start)', 'b')).toBeCloseTo(4 / 7, 15)
    expect(probability(transitions, 'a', 'b')).toBeCloseTo(1 / 4, 15)
    expect(probability(transitions, 'a', '(null)')).toBeCloseTo(1 / 2, 15)
    expect(probability(transitions, 'b', 'c')).toBeCloseTo(2 / 5, 15)
    expect(probability(transitions, 'c', '(conversion)')).toBe(1)
    expect(probability(transitions, 'c', '(null)')).toBeUndefined()
    const fromB = transitions.filter((t) => t.from === 'b').reduce((sum, t) => sum + t.probability, 0)
    expect(fromB).toBeCloseTo(1, 15)
  })

  it('collapses consecutive repeats of a channel', () => {
    const repeated = markovModel(pathsOf([row('a > a > b > b > b', 2, 20, 1), row('b > b', 0, 0, 3)]))
    const plain = markovModel(pathsOf([row('a > b', 2, 20, 1), row('b', 0, 0, 3)]))
    expect(repeated.transitions).toEqual(plain.transitions)
    expect(probability(repeated.transitions, 'a', 'a')).toBeUndefined()
    expect(Array.from(repeated.removalEffects.conversions)).toEqual(Array.from(plain.removalEffects.conversions))
  })

  it('uses windows of the last two channels as order-2 states', () => {
    const paths = pathsOf([row('a > b > c', 1, 10, 0), row('a > a > b > b > c', 1, 10, 0), row('c', 0, 0, 2), row('b > a > b', 0, 0, 1)])
    const { transitions } = markovModel(paths, { order: 2 })
    // Weights: a > b > c twice (1 each), c ×2 nulls, b > a > b 1 null ending in state a,b.
    expect(transitions).toEqual([
      { from: '(start)', to: 'a,b', probability: 2 / 5 },
      { from: '(start)', to: 'b,a', probability: 1 / 5 },
      { from: '(start)', to: 'c', probability: 2 / 5 },
      { from: 'a,b', to: '(null)', probability: 1 / 3 },
      { from: 'a,b', to: 'b,c', probability: 2 / 3 },
      { from: 'b,a', to: 'a,b', probability: 1 },
      { from: 'b,c', to: '(conversion)', probability: 1 },
      { from: 'c', to: '(null)', probability: 1 },
    ])
  })

  it('removes a channel by cutting every state that contains it (order 2)', () => {
    // Only a > b > c converts; removing any of a, b, c loses every conversion.
    const paths = pathsOf([row('a > b > c', 2, 20, 1), row('c', 0, 0, 5)])
    const result = markovModel(paths, { order: 2 })
    expect(Array.from(result.removalEffects.conversions)).toEqual([1, 1, 1])
    expect(result.credits.conversions.reduce((s, x) => s + x, 0)).toBeCloseTo(2, 14)
  })

  it('counts lower orders from the highest order exactly', () => {
    const paths = pathsOf([
      row('a > b > c > a > d', 3, 40, 7),
      row('b > d', 1, 5, 2),
      row('c > c > a', 0, 0, 4),
      row('d > a > b > c > d > a', 2, 11, 1),
      row('a', 1, 3, 1),
    ])
    const highest = countMarkovGraph(paths, 4)
    for (const order of [1, 2, 3]) {
      const derived = markovFromGraph(paths, coarsenGraph(highest, order))
      const counted = markovFromGraph(paths, countMarkovGraph(paths, order))
      expect(derived.transitions.map((t) => [t.from, t.to])).toEqual(counted.transitions.map((t) => [t.from, t.to]))
      derived.transitions.forEach((t, i) => expect(t.probability).toBeCloseTo(counted.transitions[i]!.probability, 14))
      derived.removalEffects.value.forEach((re, c) => expect(re).toBeCloseTo(counted.removalEffects.value[c]!, 14))
    }
    const [first, third] = buildMarkovGraphs(paths, [1, 3])
    expect(first!.order).toBe(1)
    expect(third!.order).toBe(3)
  })

  it('gives every converting journey’s credit away, and nothing without conversions', () => {
    const paths = pathsOf([row('a > b', 0, 0, 4)])
    const result = markovModel(paths)
    expect(result.conversionProbability).toBe(0)
    expect(Array.from(result.credits.conversions)).toEqual([0, 0])
  })

  it('refuses orders outside 1–4', () => {
    expect(() => markovModel(pathsOf(handChain), { order: 5 })).toThrow(/from 1 to 4/)
  })
})

describe('automatic Markov order (lowest BIC)', () => {
  it('picks order 2 when the conversion depends on the channel before the last', () => {
    const paths = pathsOf([row('a > c', 50, 500, 0), row('b > c', 0, 0, 50)])
    const result = markovModel(paths, { order: 'auto' })
    expect(result.order).toBe(2)
    expect(result.orderScores!.map((s) => s.order)).toEqual([1, 2, 3, 4])
  })

  it('keeps order 1 when more memory explains nothing', () => {
    const paths = pathsOf([row('a > c', 25, 250, 25), row('b > c', 25, 250, 25)])
    const result = markovModel(paths, { order: 'auto' })
    expect(result.order).toBe(1)
    const [one, two] = result.orderScores!
    expect(two!.logLikelihood).toBeCloseTo(one!.logLikelihood, 9)
    expect(two!.parameters).toBeGreaterThan(one!.parameters)
  })
})
