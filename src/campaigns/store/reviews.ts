import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../../platform/index.ts'
import type { Retrospective } from '../review/retrospective.ts'

/** The retrospective as last generated and kept ("finished review"), with its Markdown. */
export async function saveReview(db: Kysely<Schema>, input: { workspaceId: string; campaignId: string; report: Retrospective; markdown: string; actor: string; now: number }): Promise<void> {
  const values = { report: writeJson(input.report), markdown: input.markdown, generated_by: input.actor, generated_at: input.now }
  await db
    .insertInto('campaign_reviews')
    .values({ campaign_id: input.campaignId, workspace_id: input.workspaceId, ...values })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
    .execute()
}

export async function readReview(db: Kysely<Schema>, workspaceId: string, campaignId: string): Promise<{ report: Retrospective; markdown: string; generatedAt: string; generatedBy: string } | null> {
  const row = await db.selectFrom('campaign_reviews').selectAll().where('workspace_id', '=', workspaceId).where('campaign_id', '=', campaignId).executeTakeFirst()
  if (!row) return null
  return { report: readJson<Retrospective>(row.report, {} as Retrospective), markdown: row.markdown, generatedAt: new Date(Number(row.generated_at)).toISOString(), generatedBy: row.generated_by }
}
