import type { Kysely } from 'kysely'
import type { Schema } from '../platform/index.ts'
import { getWorkspace } from '../workspaces/index.ts'

/** The currency lifetime revenue is kept in for a workspace (its settings; CNY by default). */
export async function workspaceCurrency(db: Kysely<Schema>, workspaceId: string): Promise<string> {
  return (await getWorkspace(db, workspaceId))?.settings.currency ?? 'CNY'
}
