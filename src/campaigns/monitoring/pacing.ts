import { LOWER_IS_BETTER, NOT_CUMULATIVE, type Goal, type GoalMetric } from '../plan/schema.ts'

/**
 * How a goal stands against its target at a moment. A cumulative KPI (reach, revenue …) is held
 * against a straight line from zero at the start to the target at the deadline:
 *
 *   elapsed  = (now − start) / (deadline − start), within 0–1
 *   expected = target × elapsed,  pace = actual / expected,  projected = actual / elapsed
 *   status   = ahead (pace ≥ 1), on-track (pace ≥ 1 − tolerance), behind (below)
 *
 * A ratio (ROI, CAC) is held against the target as it stands, in its better direction. At or
 * after the deadline the status is `done` and `achieved` says whether the target was reached.
 */
export type PaceStatus = 'ahead' | 'on-track' | 'behind' | 'not-started' | 'done' | 'unmeasurable'

export interface GoalProgress {
  goalId: string
  statement: string
  metric: GoalMetric | null
  target: number | null
  actual: number | null
  elapsed: number
  expectedByNow: number | null
  pace: number | null
  projected: number | null
  status: PaceStatus
  achieved: boolean | null
  /** actual − target at the deadline (or projected − target before it). */
  gap: number | null
  note: string | null
}

/**
 * @example
 * goalProgress({ id: 'rev', statement: '…', metric: 'revenue', target: 1000 }, 300, { startsAt: 0, deadline: 100, now: 50, tolerance: 0.1 })
 * // { expectedByNow: 500, pace: 0.6, projected: 600, status: 'behind', … }
 */
export function goalProgress(goal: Goal, actual: number | null, at: { startsAt: number; deadline: number; now: number; tolerance: number }): GoalProgress {
  const span = Math.max(1, at.deadline - at.startsAt)
  const elapsed = Math.min(1, Math.max(0, (at.now - at.startsAt) / span))
  const base: GoalProgress = {
    goalId: goal.id,
    statement: goal.statement,
    metric: goal.metric ?? null,
    target: goal.target ?? null,
    actual,
    elapsed: round(elapsed, 4),
    expectedByNow: null,
    pace: null,
    projected: null,
    status: 'unmeasurable',
    achieved: null,
    gap: null,
    note: null,
  }
  if (!goal.metric || goal.target === undefined) return { ...base, note: 'the goal has no metric or no target' }
  if (actual === null) return { ...base, note: `${goal.metric} cannot be computed: it needs spend, and no spend is recorded for the campaign's dates` }
  const lower = LOWER_IS_BETTER.has(goal.metric)
  const done = elapsed >= 1
  if (NOT_CUMULATIVE.has(goal.metric)) {
    const pace = lower ? (actual > 0 ? goal.target / actual : null) : actual / goal.target
    const met = lower ? actual <= goal.target : actual >= goal.target
    const status: PaceStatus = done ? 'done' : elapsed === 0 ? 'not-started' : pace === null ? 'unmeasurable' : pace >= 1 ? 'ahead' : pace >= 1 - at.tolerance ? 'on-track' : 'behind'
    return { ...base, expectedByNow: goal.target, pace: pace === null ? null : round(pace, 4), projected: actual, status, achieved: done ? met : null, gap: round(actual - goal.target, 4) }
  }
  const expected = goal.target * elapsed
  const pace = expected > 0 ? actual / expected : null
  const projected = elapsed > 0 ? actual / elapsed : null
  const status: PaceStatus = done ? 'done' : elapsed === 0 ? 'not-started' : pace! >= 1 ? 'ahead' : pace! >= 1 - at.tolerance ? 'on-track' : 'behind'
  return {
    ...base,
    expectedByNow: round(expected, 2),
    pace: pace === null ? null : round(pace, 4),
    projected: projected === null ? null : round(projected, 2),
    status,
    achieved: done ? actual >= goal.target : null,
    gap: done ? actual - goal.target : projected === null ? null : round(projected - goal.target, 2),
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits
