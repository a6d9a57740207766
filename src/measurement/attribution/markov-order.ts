import type { MarkovGraph } from './markov-graph.ts'

/**
 * How well an order-k chain describes the journeys, for choosing the order automatically.
 *
 * Every order's chain is a complete probability model of the same data: a journey's collapsed
 * channel sequence and outcome map one to one onto its state sequence, so the likelihood of the
 * journeys under each order's maximum-likelihood transition probabilities is comparable across
 * orders. The Bayesian information criterion (Schwarz 1978; for Markov chain order, Katz 1981)
 * trades that fit against the number of transition probabilities estimated:
 *
 *     BIC(k) = −2 · log L(k) + parameters(k) · ln(journeys)
 *
 * with log L(k) = Σ over every transition (start, state → state, state → conversion / null) of
 * weight × ln(weight / weight leaving the source), parameters(k) = Σ over sources of (observed
 * targets − 1) — the free probabilities that the data actually estimates — and journeys =
 * Σ (conversions + nulls), the independent observations.
 */
export interface OrderScore {
  order: number
  states: number
  logLikelihood: number
  parameters: number
  bic: number
}

/**
 * Scores one graph.
 *
 * @example
 * orderScore(graph) // → { order: 2, states: 132, logLikelihood: -4.1e5, parameters: 1330, bic: … }
 */
export function orderScore(graph: MarkovGraph): OrderScore {
  let logLikelihood = 0
  let parameters = 0
  // (start) → first states.
  let startTargets = 0
  for (let s = 0; s < graph.stateCount; s++) {
    const w = graph.start[s]!
    if (w > 0) {
      logLikelihood += w * Math.log(w / graph.journeys)
      startTargets++
    }
  }
  if (startTargets > 0) parameters += startTargets - 1
  for (let s = 0; s < graph.stateCount; s++) {
    let out = graph.conversions[s]! + graph.nulls[s]!
    for (let e = graph.rowOffsets[s]!; e < graph.rowOffsets[s + 1]!; e++) out += graph.weights[e]!
    if (out === 0) continue
    let targets = 0
    const term = (w: number) => {
      if (w > 0) {
        logLikelihood += w * Math.log(w / out)
        targets++
      }
    }
    for (let e = graph.rowOffsets[s]!; e < graph.rowOffsets[s + 1]!; e++) term(graph.weights[e]!)
    term(graph.conversions[s]!)
    term(graph.nulls[s]!)
    parameters += targets - 1
  }
  const bic = -2 * logLikelihood + parameters * Math.log(Math.max(graph.journeys, 1))
  return { order: graph.order, states: graph.stateCount, logLikelihood, parameters, bic }
}

/**
 * The order with the lowest BIC; on a tie the lower order (fewer assumptions about memory).
 *
 * @example
 * chooseOrder(graphs.map(orderScore)) // → 3
 */
export function chooseOrder(scores: readonly OrderScore[]): number {
  if (scores.length === 0) throw new RangeError('choosing a Markov order needs at least one candidate order')
  let best = scores[0]!
  for (const score of scores) {
    if (score.bic < best.bic || (score.bic === best.bic && score.order < best.order)) best = score
  }
  return best.order
}
