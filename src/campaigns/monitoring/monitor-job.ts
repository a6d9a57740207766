import type { Job } from '../../platform/index.ts'
import type { AppContext } from '../../server/context.ts'
import { CampaignPlanner } from '../planner.ts'
import { campaignsWithStatus } from '../store/campaigns.ts'

export const CAMPAIGN_MONITOR_JOB = 'campaigns.monitor'
export const MONITOR_EVERY_MS = 3600_000

/**
 * Hourly: every running campaign's alerts are evaluated against the log, and a campaign past its
 * end is finished (its review kept). The job re-arms itself; one failing campaign does not stop
 * the others (it is logged and retried next hour).
 */
export function campaignMonitorHandler(ctx: Pick<AppContext, 'database' | 'clock' | 'logger'>, options: { planner?: CampaignPlanner } = {}) {
  let planner: Promise<CampaignPlanner> | null = options.planner ? Promise.resolve(options.planner) : null
  return async (_job: Job): Promise<{ reschedule: number }> => {
    planner ??= CampaignPlanner.open({ database: ctx.database })
    const p = await planner
    for (const { id, workspaceId } of await campaignsWithStatus(ctx.database.db, 'running')) {
      try {
        const campaign = await p.get(workspaceId, id)
        if (!campaign) continue
        const now = ctx.clock.now()
        if (now >= campaign.endsAt) await p.finish({ campaign, actor: 'system', now, reason: 'the campaign reached its end date' })
        else await p.evaluateAlerts(campaign, now)
      } catch (error) {
        ctx.logger.error({ err: error, campaignId: id }, 'campaign monitoring failed')
      }
    }
    return { reschedule: ctx.clock.now() + MONITOR_EVERY_MS }
  }
}
