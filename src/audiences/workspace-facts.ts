import type { Kysely } from 'kysely'
import { workspaceReachRules, type Channel, type ReachRule } from '../channels/index.ts'
import type { Schema } from '../platform/index.ts'
import { workspaceCurrency } from './workspace-currency.ts'

/** What evaluating a definition needs to know about its workspace, read once per evaluation. */
export interface WorkspaceFacts {
  /** Lifetime revenue and RFM monetary default to it. */
  currency: string
  /** What reaching a person takes on each channel (`reachable`). */
  reach: Record<Channel, ReachRule>
}

/**
 * @example const scope = { trx, dialect, workspaceId, now, ...(await workspaceFacts(trx, workspaceId)), audiences }
 */
export async function workspaceFacts(db: Kysely<Schema>, workspaceId: string): Promise<WorkspaceFacts> {
  const currency = await workspaceCurrency(db, workspaceId)
  return { currency, reach: await workspaceReachRules(db, workspaceId) }
}
