import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { AppContext } from '../server/context.ts'
import { runDemo } from '../demo/index.ts'
import { DEMO_CAMPAIGN_NAME, seedDemoCampaign } from '../campaigns/index.ts'

/**
 * On a fresh database, `chorus serve` fills the default workspace with the demo brand by sending
 * its traffic through the public tracking APIs, exactly as SDKs would, then plans its launch
 * campaign over that traffic (message house, variants, plan, KPIs, finished review). A database
 * that already holds events is left alone.
 */
export async function seedDemoIfEmpty(input: { ctx: AppContext; baseUrl: string; writeKey: string; workspaceId: string; logger: Logger; people?: number; days?: number; outDir?: string }): Promise<void> {
  const { ctx, logger } = input
  const any = await ctx.database.db.selectFrom('events').select('seq').where('workspace_id', '=', input.workspaceId).limit(1).executeTakeFirst()
  if (any) {
    logger.info('database already has events; not seeding the demo brand')
    return
  }
  const people = input.people ?? 20_000
  const days = input.days ?? 90
  console.log(`Empty database: seeding the demo brand 和声优品 (${people.toLocaleString('en')} people, ${days} days) through the tracking API; use --no-demo to skip.`)
  const report = await runDemo({
    baseUrl: input.baseUrl,
    writeKey: input.writeKey,
    people,
    days,
    seed: 42,
    outDir: input.outDir ?? join('.chorus', 'demo'),
  })
  console.log(`Demo brand seeded: ${JSON.stringify(report)}`)
  const campaign = await seedDemoCampaign(ctx, input.workspaceId, { spendCsv: await readFile(report.files.spend, 'utf8') })
  console.log(`Demo campaign ${DEMO_CAMPAIGN_NAME} seeded with its message house, plan and review (${campaign.campaignId}).`)
}
