import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../../platform/index.ts'
import { ConsistencyChecker } from '../checker.ts'
import { MessageHouse } from '../message-house.ts'
import type { CampaignReport, CheckItem, VariantReport } from '../report.ts'
import type { Tokenizer } from '../text/tokenizer.ts'
import type { Variant } from '../variant.ts'
import { effectiveChannelProfiles } from './channel-profiles.ts'

/**
 * Runs the engine over a house's current variants and stores what it found: each variant's
 * report on its current version (with the house version it was checked against), and the
 * campaign-level report on the house. Called inside every transaction that changes a house, one
 * of its variants, or a channel profile its variants use — so a stored score is never stale.
 */

/** The campaign-level part of a report; each variant's own report lives on its version. */
export interface HouseReport {
  houseVersion: number
  score: number | null
  scoreParts: CampaignReport['scoreParts'] | null
  pillarsCarried: string[]
  pillarsMissing: string[]
  items: CheckItem[]
  variants: Array<{ variantId: string; channel: string; stage: string; score: number; blocks: number; warnings: number }>
  computedAt: string
}

export async function recheckHouse(
  trx: Kysely<Schema>,
  input: { workspaceId: string; houseId: string; tokenizer: Tokenizer; now: number },
): Promise<HouseReport | null> {
  const { workspaceId, houseId, now } = input
  const houseRow = await trx.selectFrom('content_houses').select(['current_version']).where('workspace_id', '=', workspaceId).where('id', '=', houseId).executeTakeFirst()
  if (!houseRow) return null
  const versionRow = await trx
    .selectFrom('content_house_versions')
    .select('house')
    .where('house_id', '=', houseId)
    .where('version', '=', houseRow.current_version)
    .executeTakeFirstOrThrow()
  const house = MessageHouse.parse(readJson(versionRow.house, {}))
  const variantRows = await trx
    .selectFrom('content_variants as v')
    .innerJoin('content_variant_versions as vv', (j) => j.onRef('vv.variant_id', '=', 'v.id').onRef('vv.version', '=', 'v.current_version'))
    .select(['v.id', 'v.channel', 'v.stage', 'v.current_version', 'vv.persona', 'vv.fields', 'vv.hashtags'])
    .where('v.workspace_id', '=', workspaceId)
    .where('v.house_id', '=', houseId)
    .orderBy('v.id')
    .execute()

  let report: HouseReport = {
    houseVersion: houseRow.current_version,
    score: null,
    scoreParts: null,
    pillarsCarried: [],
    pillarsMissing: house.pillars.map((p) => p.name),
    items: [],
    variants: [],
    computedAt: new Date(now).toISOString(),
  }
  if (variantRows.length > 0) {
    const channels = (await effectiveChannelProfiles(trx, workspaceId)).map((v) => v.profile)
    const checker = new ConsistencyChecker({ house, tokenizer: input.tokenizer, channels })
    const variants: Variant[] = variantRows.map((row) => {
      const variant: Variant = {
        id: row.id,
        channel: row.channel,
        stage: row.stage as Variant['stage'],
        fields: readJson<Record<string, string>>(row.fields, {}),
        hashtags: readJson<string[]>(row.hashtags, []),
      }
      if (row.persona) variant.persona = row.persona
      return variant
    })
    const campaign = checker.checkCampaign(variants)
    for (const [i, variantReport] of campaign.variants.entries()) {
      const row = variantRows[i]!
      await storeVariantReport(trx, row.id, row.current_version, houseRow.current_version, variantReport, now)
    }
    report = {
      ...report,
      score: campaign.score,
      scoreParts: campaign.scoreParts,
      pillarsCarried: campaign.pillarsCarried,
      pillarsMissing: campaign.pillarsMissing,
      items: campaign.items,
      variants: campaign.variants.map((v) => ({
        variantId: v.variantId,
        channel: v.channel,
        stage: v.stage,
        score: v.score,
        blocks: v.scoreParts.blocks,
        warnings: v.scoreParts.warnings,
      })),
    }
  }
  await trx
    .insertInto('content_house_reports')
    .values({ house_id: houseId, workspace_id: workspaceId, house_version: report.houseVersion, score: report.score, report: writeJson(report), computed_at: now })
    .onConflict((oc) => oc.column('house_id').doUpdateSet({ house_version: report.houseVersion, score: report.score, report: writeJson(report), computed_at: now }))
    .execute()
  return report
}

async function storeVariantReport(trx: Kysely<Schema>, variantId: string, version: number, houseVersion: number, report: VariantReport, now: number): Promise<void> {
  await trx
    .updateTable('content_variant_versions')
    .set({
      house_version: houseVersion,
      report: writeJson(report),
      score: report.score,
      blocks: report.scoreParts.blocks,
      warnings: report.scoreParts.warnings,
      checked_at: now,
    })
    .where('variant_id', '=', variantId)
    .where('version', '=', version)
    .execute()
}

/** Houses with at least one variant on a channel: the ones to recheck when its profile changes. */
export async function housesUsingChannel(db: Kysely<Schema>, workspaceId: string, channel: string): Promise<string[]> {
  const rows = await db.selectFrom('content_variants').select('house_id').distinct().where('workspace_id', '=', workspaceId).where('channel', '=', channel).execute()
  return rows.map((r) => r.house_id)
}

export async function readHouseReport(db: Kysely<Schema>, workspaceId: string, houseId: string): Promise<HouseReport | null> {
  const row = await db.selectFrom('content_house_reports').select('report').where('workspace_id', '=', workspaceId).where('house_id', '=', houseId).executeTakeFirst()
  return row ? readJson<HouseReport | null>(row.report, null) : null
}
