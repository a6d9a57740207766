import type { Kysely } from 'kysely'
import { insertRows, type DialectName, type Schema } from '../../platform/index.ts'

/**
 * What node and broadcast metrics count. Written in the same transaction as the state change they
 * describe, so each happens once even when a job or a batch is retried.
 */
export type FactKind =
  | 'entered'
  | 'branch'
  | 'sent'
  | 'delivered'
  | 'opened'
  | 'clicked'
  | 'blocked'
  | 'errored'
  | 'held'
  | 'event'
  | 'timeout'
  | 'converted'

export interface Fact {
  workspaceId: string
  journeyId?: string | null
  version?: number | null
  nodeId?: string | null
  broadcastId?: string | null
  runId?: string | null
  sendKey?: string | null
  kind: FactKind
  detail?: string | null
  at: number
}

const COLUMNS = ['workspace_id', 'journey_id', 'version', 'node_id', 'broadcast_id', 'run_id', 'send_key', 'kind', 'detail', 'at'] as const

/** @example await recordFacts(trx, dialect, [{ workspaceId, journeyId, version, nodeId, runId, kind: 'entered', at: now }]) */
export async function recordFacts(trx: Kysely<Schema>, dialect: DialectName, facts: readonly Fact[]): Promise<void> {
  if (facts.length === 0) return
  await insertRows(
    trx,
    dialect,
    'journey_facts',
    COLUMNS,
    facts.map((f) => [f.workspaceId, f.journeyId ?? null, f.version ?? null, f.nodeId ?? null, f.broadcastId ?? null, f.runId ?? null, f.sendKey ?? null, f.kind, f.detail ?? null, f.at]),
  )
}
