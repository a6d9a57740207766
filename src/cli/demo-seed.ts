import { join } from 'node:path'
import type { Logger } from 'pino'
import type { AppContext } from '../server/context.ts'
import { runDemo } from '../demo/index.ts'

/**
 * On a fresh database, `chorus serve` fills the default workspace with the demo brand by sending
 * its traffic through the public tracking APIs, exactly as SDKs would. A database that already
 * holds events is left alone.
 */
export async function seedDemoIfEmpty(input: { ctx: AppContext; baseUrl: string; writeKey: string; workspaceId: string; logger: Logger }): Promise<void> {
  const { ctx, logger } = input
  const any = await ctx.database.db.selectFrom('events').select('seq').where('workspace_id', '=', input.workspaceId).limit(1).executeTakeFirst()
  if (any) {
    logger.info('database already has events; not seeding the demo brand')
    return
  }
  console.log('Empty database: seeding the demo brand 和声优品 (20,000 people, 90 days) through the tracking API; use --no-demo to skip.')
  const report = await runDemo({
    baseUrl: input.baseUrl,
    writeKey: input.writeKey,
    people: 20_000,
    days: 90,
    seed: 42,
    outDir: join('.chorus', 'demo'),
  })
  console.log(`Demo brand seeded: ${JSON.stringify(report)}`)
}
