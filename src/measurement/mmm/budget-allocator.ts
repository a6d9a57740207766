/**
 * Splits a budget across channels to maximise Σ response_i(spend_i) subject to
 * Σ spend_i = budget and lower_i ≤ spend_i ≤ upper_i.
 *
 * Concave curves (every Hill α ≤ 1, or spend bounds past the inflexion): Lagrangian
 * decomposition with bisection on the multiplier λ, the "water level" of water-filling (Boyd &
 * Vandenberghe, "Convex Optimization", §5.5.3). For a given λ each channel spends where its
 * marginal return equals λ, clipped to its bounds; total spend falls as λ rises, so bisection
 * finds the λ that spends exactly the budget. At that optimum every channel strictly inside its
 * bounds has the same marginal return λ, channels at their upper bound a higher one and channels
 * at their lower bound a lower one — the KKT conditions, which for concave curves make it the
 * global optimum.
 *
 * S-shaped curves (Hill α > 1 below the inflexion) break that: a stationary point can be a
 * minimum (two identical S-curves split evenly), and the best plan often concentrates spend.
 * Then a dynamic programme over a grid of the budget (a knapsack: 1,000 steps shared among the
 * channels, O(channels × steps²)) finds the global optimum on the grid whatever the curves'
 * shape, and a pairwise exchange (move money from the lowest to the highest marginal return
 * while that raises the total) refines it off the grid. `method` says which path ran.
 */
import type { ResponseCurve } from './response-curve.ts'

export interface SpendBounds {
  lower: number
  upper: number
}

export interface AllocationProblem {
  curves: readonly ResponseCurve[]
  /** Per curve, in the same order. */
  bounds: readonly SpendBounds[]
  budget: number
}

export interface AllocatedChannel {
  channel: string
  spend: number
  lower: number
  upper: number
  response: number
  /** Marginal return at the allocated spend (Infinity on a vertical start). */
  marginal: number
  atBound: 'lower' | 'upper' | null
}

export type AllocationOutcome =
  | {
      kind: 'allocated'
      channels: AllocatedChannel[]
      budget: number
      totalResponse: number
      /** The common marginal return of channels strictly inside their bounds. */
      lagrangeMultiplier: number
      /** Both reach the global optimum; the grid one to within budget / 1000 before refinement. */
      method: 'lagrangian-bisection' | 'grid-dynamic-programming'
    }
  | { kind: 'InfeasibleBudget'; budget: number; minimum: number; maximum: number; message: string }

/**
 * @example
 * const outcome = allocateBudget({
 *   curves: [curveA, curveB],
 *   bounds: [{ lower: 0, upper: 1000 }, { lower: 0, upper: 1000 }],
 *   budget: 800,
 * })
 * if (outcome.kind === 'allocated') console.log(outcome.channels.map((c) => c.spend))
 */
export function allocateBudget(problem: AllocationProblem): AllocationOutcome {
  const { curves, bounds, budget } = problem
  if (curves.length !== bounds.length) throw new Error(`${curves.length} curves but ${bounds.length} bounds`)
  if (curves.length === 0) throw new Error('nothing to allocate: no channels')
  bounds.forEach((b, i) => {
    if (!(b.lower >= 0) || !(b.upper >= b.lower) || !Number.isFinite(b.upper)) {
      throw new Error(`channel '${curves[i]?.channel}' needs finite bounds 0 ≤ lower ≤ upper, got [${b.lower}, ${b.upper}]`)
    }
  })
  if (!Number.isFinite(budget) || budget < 0) throw new Error(`budget must be a finite amount ≥ 0, got ${budget}`)
  const minimum = sum(bounds.map((b) => b.lower))
  const maximum = sum(bounds.map((b) => b.upper))
  const slack = 1e-9 * Math.max(1, maximum)
  if (budget < minimum - slack || budget > maximum + slack) {
    return {
      kind: 'InfeasibleBudget',
      budget,
      minimum,
      maximum,
      message:
        budget < minimum
          ? `budget ${budget} is below the sum of lower bounds (${minimum}); lower some minimums or raise the budget`
          : `budget ${budget} is above the sum of upper bounds (${maximum}); raise some maximums or lower the budget`,
    }
  }

  const concave = curves.every((c, i) => c.concaveFrom <= (bounds[i] as SpendBounds).lower)
  let spends: number[]
  let lambda: number
  if (budget <= minimum) {
    spends = bounds.map((b) => b.lower)
    lambda = Math.max(...curves.map((c, i) => c.marginal((bounds[i] as SpendBounds).lower)))
  } else if (budget >= maximum) {
    spends = bounds.map((b) => b.upper)
    lambda = Math.min(...curves.map((c, i) => c.marginal((bounds[i] as SpendBounds).upper)))
  } else if (concave) {
    ;({ spends, lambda } = waterFill(curves, bounds, budget))
    // Channels whose curves are flat take no money at any λ > 0; what the others cannot absorb
    // goes to them, changing nothing in the response but spending the budget as asked.
    spends = placeRemainder(spends, bounds, budget)
  } else {
    spends = polishByExchange(curves, bounds, gridOptimum(curves, bounds, budget), budget)
    lambda = NaN
  }

  const channels = curves.map((c, i): AllocatedChannel => {
    const b = bounds[i] as SpendBounds
    const spend = spends[i] as number
    const tolerance = 1e-9 * Math.max(1, b.upper)
    return {
      channel: c.channel,
      spend,
      lower: b.lower,
      upper: b.upper,
      response: c.response(spend),
      marginal: c.marginal(spend),
      atBound: spend <= b.lower + tolerance ? 'lower' : spend >= b.upper - tolerance ? 'upper' : null,
    }
  })
  const interior = channels.filter((c) => c.atBound === null && Number.isFinite(c.marginal))
  return {
    kind: 'allocated',
    channels,
    budget,
    totalResponse: sum(channels.map((c) => c.response)),
    lagrangeMultiplier: interior.length > 0 ? sum(interior.map((c) => c.marginal)) / interior.length : lambda,
    method: concave ? 'lagrangian-bisection' : 'grid-dynamic-programming',
  }
}

function waterFill(
  curves: readonly ResponseCurve[],
  bounds: readonly SpendBounds[],
  budget: number,
): { spends: number[]; lambda: number } {
  const spendAt = (lambda: number): number[] => curves.map((c, i) => spendWhereMarginalIs(c, bounds[i] as SpendBounds, lambda))
  let low = 0
  let high = 1
  for (let k = 0; k < 2100 && sum(spendAt(high)) > budget; k++) high *= 2
  for (let k = 0; k < 200 && high - low > 1e-15 * high; k++) {
    const mid = (low + high) / 2
    if (sum(spendAt(mid)) > budget) low = mid
    else high = mid
  }
  const over = spendAt(low)
  const under = spendAt(high)
  const overTotal = sum(over)
  const underTotal = sum(under)
  // The budget lies between the two totals, which differ only by bisection rounding; the convex
  // combination spends it exactly and stays within every channel's bounds.
  const t = overTotal > underTotal ? (budget - underTotal) / (overTotal - underTotal) : 0
  const spends = under.map((u, i) => clamp(u + t * ((over[i] as number) - u), bounds[i] as SpendBounds))
  return { spends, lambda: (low + high) / 2 }
}

/** On a concave curve: the spend in [lower, upper] where the marginal return is λ, clipped. */
function spendWhereMarginalIs(curve: ResponseCurve, bounds: SpendBounds, lambda: number): number {
  const { lower, upper } = bounds
  if (upper <= lower || curve.marginal(lower) <= lambda) return lower
  if (curve.marginal(upper) >= lambda) return upper
  let a = lower
  let b = upper
  for (let k = 0; k < 200 && b - a > 1e-13 * Math.max(1, b); k++) {
    const mid = (a + b) / 2
    if (curve.marginal(mid) > lambda) a = mid
    else b = mid
  }
  return (a + b) / 2
}

const GRID_STEPS = 1000

/** Knapsack over GRID_STEPS equal slices of the budget above the lower bounds. */
function gridOptimum(curves: readonly ResponseCurve[], bounds: readonly SpendBounds[], budget: number): number[] {
  const free = budget - sum(bounds.map((b) => b.lower))
  const step = free / GRID_STEPS
  const n = curves.length
  let best = new Float64Array(GRID_STEPS + 1).fill(-Infinity)
  best[0] = 0
  const choice: Int32Array[] = []
  for (let i = 0; i < n; i++) {
    const curve = curves[i] as ResponseCurve
    const b = bounds[i] as SpendBounds
    const maxUnits = Math.min(GRID_STEPS, Math.floor((b.upper - b.lower) / step + 1e-9))
    const values = new Float64Array(maxUnits + 1)
    for (let k = 0; k <= maxUnits; k++) values[k] = curve.response(b.lower + k * step)
    const next = new Float64Array(GRID_STEPS + 1).fill(-Infinity)
    const picked = new Int32Array(GRID_STEPS + 1)
    for (let r = 0; r <= GRID_STEPS; r++) {
      for (let k = 0; k <= Math.min(r, maxUnits); k++) {
        const v = (best[r - k] as number) + (values[k] as number)
        if (v > (next[r] as number)) {
          next[r] = v
          picked[r] = k
        }
      }
    }
    best = next
    choice.push(picked)
  }
  // Upper bounds that are not whole steps can leave the last slice unplaceable; take the
  // fullest reachable total and let the exchange step place the rest.
  let r = GRID_STEPS
  while (r > 0 && !Number.isFinite(best[r] as number)) r--
  const spends = new Array<number>(n)
  for (let i = n - 1; i >= 0; i--) {
    const k = (choice[i] as Int32Array)[r] as number
    spends[i] = (bounds[i] as SpendBounds).lower + k * step
    r -= k
  }
  return placeRemainder(spends, bounds, budget)
}

function placeRemainder(spends: number[], bounds: readonly SpendBounds[], budget: number): number[] {
  const out = [...spends]
  let remainder = budget - sum(out)
  if (remainder <= 1e-12 * Math.max(1, budget)) return out
  for (let i = 0; i < out.length && remainder > 0; i++) {
    const add = Math.min((bounds[i] as SpendBounds).upper - (out[i] as number), remainder)
    out[i] = (out[i] as number) + add
    remainder -= add
  }
  return out
}

function polishByExchange(
  curves: readonly ResponseCurve[],
  bounds: readonly SpendBounds[],
  start: number[],
  budget: number,
): number[] {
  const x = [...start]
  let step = Math.max(budget, 1e-12) / GRID_STEPS
  for (let k = 0; k < 20_000 && step > 1e-12 * Math.max(1, budget); k++) {
    let up = -1
    let down = -1
    for (let i = 0; i < x.length; i++) {
      const b = bounds[i] as SpendBounds
      const m = (curves[i] as ResponseCurve).marginal(x[i] as number)
      if ((x[i] as number) < b.upper && (up < 0 || m > (curves[up] as ResponseCurve).marginal(x[up] as number))) up = i
      if ((x[i] as number) > b.lower && (down < 0 || m < (curves[down] as ResponseCurve).marginal(x[down] as number))) down = i
    }
    if (up < 0 || down < 0 || up === down) break
    const cu = curves[up] as ResponseCurve
    const cd = curves[down] as ResponseCurve
    if (!(cu.marginal(x[up] as number) > cd.marginal(x[down] as number))) break
    const delta = Math.min(step, (bounds[up] as SpendBounds).upper - (x[up] as number), (x[down] as number) - (bounds[down] as SpendBounds).lower)
    const gain =
      cu.response((x[up] as number) + delta) - cu.response(x[up] as number) +
      cd.response((x[down] as number) - delta) - cd.response(x[down] as number)
    if (gain > 0 && delta > 0) {
      x[up] = (x[up] as number) + delta
      x[down] = (x[down] as number) - delta
    } else {
      step /= 2
    }
  }
  return x
}

function clamp(x: number, b: SpendBounds): number {
  return Math.min(b.upper, Math.max(b.lower, x))
}

function sum(values: readonly number[]): number {
  let s = 0
  for (const v of values) s += v
  return s
}
