import type { Clock, Database, JobQueue } from '../../platform/index.ts'
import { getAudience, requestRecompute } from '../../audiences/index.ts'

/**
 * Score traits are written straight into profiles, not through the log, so the audiences
 * module's real-time processor does not see them change. After a run writes a trait, every active
 * dynamic audience whose definition reads that trait gets a recompute queued, so "churn_score ≥
 * 0.7" follows the new scores. Returns the audiences queued.
 *
 * @example await recomputeAudiencesReading(ctx, workspaceId, 'churn_score')
 */
export async function recomputeAudiencesReading(ctx: { database: Database; jobs: JobQueue; clock: Clock }, workspaceId: string, trait: string): Promise<string[]> {
  // Candidates by a cheap look at the stored definitions; the audiences module's own analysis decides.
  const rows = await ctx.database.db
    .selectFrom('audiences')
    .select(['id', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'dynamic')
    .where('status', '=', 'active')
    .execute()
  const queued: string[] = []
  for (const row of rows) {
    const text = typeof row.definition === 'string' ? row.definition : JSON.stringify(row.definition)
    if (!text?.includes(`"${trait}`)) continue
    const audience = await getAudience(ctx.database.db, workspaceId, row.id)
    if (!audience?.deps?.traits || !readsTrait(audience.definition, trait)) continue
    await requestRecompute(ctx, audience, `${trait} updated`)
    queued.push(audience.id)
  }
  return queued
}

/** Whether a definition has a condition on the trait (or a nested path under it). */
function readsTrait(definition: unknown, trait: string): boolean {
  if (definition === null || typeof definition !== 'object') return false
  if (Array.isArray(definition)) return definition.some((d) => readsTrait(d, trait))
  const node = definition as Record<string, unknown>
  if (typeof node.trait === 'string' && (node.trait === trait || node.trait.startsWith(`${trait}.`))) return true
  return Object.values(node).some((v) => readsTrait(v, trait))
}
