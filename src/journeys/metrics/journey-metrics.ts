import { sql, type Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import type { JourneyDefinition } from '../definition/schema.ts'
import { twoProportionZTest, type ProportionTest } from './significance.ts'

export interface NodeMetrics {
  id: string
  type: string
  /** Arrivals at the node (a run that loops back counts again). */
  entered: number
  /** Runs at the node now: delayed, waiting for an event, sending, held, paused. */
  waiting: number
  sent: number
  delivered: number
  opened: number
  clicked: number
  /** Runs that passed through the node and reached the goal. */
  converted: number
  blocked: Record<string, number>
  errored: number
  /** wait_for_event: which exit runs took. */
  exits?: { event: number; timeout: number }
  /** condition and random_split: runs and conversions per branch. */
  branches?: Array<{ key: string; runs: number; converted: number; conversionRate: number }>
}

export interface HoldoutLift {
  nodeId: string
  holdoutBranch: string
  test: ProportionTest
}

export interface VersionMetrics {
  journeyId: string
  version: number
  totals: { entered: number; active: number; ended: Record<string, number>; converted: number; conversionRate: number }
  nodes: NodeMetrics[]
  holdouts: HoldoutLift[]
}

/**
 * Metrics of one journey version, counted from the facts the engine writes with every step and
 * from the runs themselves: per node (entered, waiting, sent, delivered, opened, clicked,
 * converted, blocked by reason, errored), per branch of every split, and for a random split with
 * a holdout, the lift of the journey over the holdout with a two-proportion z-test.
 *
 * @example await versionMetrics(db, { journeyId, version: 2, definition })
 */
export async function versionMetrics(db: Kysely<Schema>, input: { journeyId: string; version: number; definition: JourneyDefinition }): Promise<VersionMetrics> {
  const { journeyId, version, definition } = input
  const [facts, waiting, converted, branches, runs] = await Promise.all([
    db
      .selectFrom('journey_facts')
      .select(['node_id', 'kind', 'detail', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`count(distinct send_key)`.as('sends')])
      .where('journey_id', '=', journeyId)
      .where('version', '=', version)
      .groupBy(['node_id', 'kind', 'detail'])
      .execute(),
    db
      .selectFrom('journey_runs')
      .select(['node_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('journey_id', '=', journeyId)
      .where('version', '=', version)
      .where('state', '!=', 'ended')
      .groupBy('node_id')
      .execute(),
    db
      .selectFrom('journey_facts as f')
      .innerJoin('journey_runs as r', 'r.id', 'f.run_id')
      .select(['f.node_id', sql<number>`count(distinct f.run_id)`.as('n')])
      .where('f.journey_id', '=', journeyId)
      .where('f.version', '=', version)
      .where('f.kind', '=', 'entered')
      .where('r.converted_at', 'is not', null)
      .groupBy('f.node_id')
      .execute(),
    db
      .selectFrom('journey_facts as f')
      .innerJoin('journey_runs as r', 'r.id', 'f.run_id')
      .select(['f.node_id', 'f.detail', sql<number>`count(distinct f.run_id)`.as('runs'), sql<number>`count(distinct case when r.converted_at is not null then f.run_id end)`.as('converted')])
      .where('f.journey_id', '=', journeyId)
      .where('f.version', '=', version)
      .where('f.kind', '=', 'branch')
      .groupBy(['f.node_id', 'f.detail'])
      .execute(),
    db
      .selectFrom('journey_runs')
      .select(['state', 'end_reason', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`count(converted_at)`.as('converted')])
      .where('journey_id', '=', journeyId)
      .where('version', '=', version)
      .groupBy(['state', 'end_reason'])
      .execute(),
  ])

  const nodes: NodeMetrics[] = definition.nodes.map((node) => {
    const mine = facts.filter((f) => f.node_id === node.id)
    const count = (kind: string) => mine.filter((f) => f.kind === kind).reduce((s, f) => s + Number(f.n), 0)
    const distinctSends = (kind: string) => mine.filter((f) => f.kind === kind).reduce((s, f) => s + Number(f.sends), 0)
    const blocked: Record<string, number> = {}
    for (const f of mine) if (f.kind === 'blocked') blocked[f.detail ?? 'unknown'] = (blocked[f.detail ?? 'unknown'] ?? 0) + Number(f.n)
    const metrics: NodeMetrics = {
      id: node.id,
      type: node.type,
      entered: count('entered'),
      waiting: Number(waiting.find((w) => w.node_id === node.id)?.n ?? 0),
      sent: count('sent'),
      delivered: distinctSends('delivered'),
      opened: distinctSends('opened'),
      clicked: distinctSends('clicked'),
      converted: Number(converted.find((c) => c.node_id === node.id)?.n ?? 0),
      blocked,
      errored: count('errored'),
    }
    if (node.type === 'wait_for_event') metrics.exits = { event: count('event'), timeout: count('timeout') }
    if (node.type === 'condition' || node.type === 'random_split') {
      const keys = node.type === 'condition' ? [...node.branches.map((b) => b.key), 'otherwise'] : node.branches.map((b) => b.key)
      metrics.branches = keys.map((key) => {
        const row = branches.find((b) => b.node_id === node.id && b.detail === key)
        const n = Number(row?.runs ?? 0)
        const c = Number(row?.converted ?? 0)
        return { key, runs: n, converted: c, conversionRate: n > 0 ? c / n : 0 }
      })
    }
    return metrics
  })

  const holdouts: HoldoutLift[] = []
  for (const node of definition.nodes) {
    if (node.type !== 'random_split') continue
    const holdout = node.branches.find((b) => b.holdout)
    if (!holdout) continue
    const split = nodes.find((n) => n.id === node.id)!.branches!
    const control = split.find((b) => b.key === holdout.key)!
    const treated = split.filter((b) => b.key !== holdout.key)
    const treatment = { people: treated.reduce((s, b) => s + b.runs, 0), conversions: treated.reduce((s, b) => s + b.converted, 0) }
    holdouts.push({ nodeId: node.id, holdoutBranch: holdout.key, test: twoProportionZTest(treatment, { people: control.runs, conversions: control.converted }) })
  }

  const entered = runs.reduce((s, r) => s + Number(r.n), 0)
  const conversions = runs.reduce((s, r) => s + Number(r.converted), 0)
  const ended: Record<string, number> = {}
  for (const r of runs) if (r.state === 'ended') ended[r.end_reason ?? 'exit'] = (ended[r.end_reason ?? 'exit'] ?? 0) + Number(r.n)
  return {
    journeyId,
    version,
    totals: {
      entered,
      active: runs.filter((r) => r.state !== 'ended').reduce((s, r) => s + Number(r.n), 0),
      ended,
      converted: conversions,
      conversionRate: entered > 0 ? conversions / entered : 0,
    },
    nodes,
    holdouts,
  }
}
