import { monitorCampaign } from './monitoring/snapshot.ts'
import type { SectionDeps } from './plan-sections.ts'
import { retrospectiveHtml } from './review/html.ts'
import { retrospectiveMarkdown } from './review/markdown.ts'
import { renderPdf, type PdfOutcome } from './review/pdf.ts'
import { buildRetrospective, type Retrospective, type RetrospectiveInput } from './review/retrospective.ts'
import { listAlerts } from './store/alerts.ts'
import { planEdits, type CampaignRecord } from './store/campaigns.ts'
import { readLessons } from './store/lessons.ts'
import { readReview, saveReview } from './store/reviews.ts'

/**
 * Stage 5: the review. Generated live from the plan, the log and what was recorded along the way;
 * "finished" (stored) when the campaign ends or someone asks, so the page, the Markdown and the
 * PDF read the same report later.
 */
export async function generateRetrospective(deps: SectionDeps, campaign: CampaignRecord, now: number): Promise<Retrospective> {
  const db = deps.database.db
  const workspaceId = campaign.workspaceId
  const snapshot = await monitorCampaign({ db, spend: deps.spend, logCache: deps.logCache }, campaign, now)
  let content: RetrospectiveInput['content'] = null
  if (campaign.houseId) {
    const matrix = await deps.hub.matrix({ workspaceId, houseId: campaign.houseId })
    const blocking = []
    for (const cell of matrix?.cells ?? []) {
      if (cell.blocks === 0) continue
      const variant = await deps.hub.getVariant({ workspaceId, variantId: cell.variantId })
      const findings = (variant?.check.report?.items ?? []).filter((i) => i.severity === 'block').map((i) => i.what)
      blocking.push({ variantId: cell.variantId, channel: cell.channel, stage: cell.stage, findings })
    }
    content = { report: await deps.hub.houseReport({ workspaceId, houseId: campaign.houseId }), matrix, blocking }
  }
  const journeyIds = [...new Set(campaign.plan.execution.tasks.flatMap((t) => t.deliverables.filter((d) => d.kind === 'journey' && d.ref).map((d) => d.ref!)))]
  let journeys: { items: Awaited<ReturnType<NonNullable<SectionDeps['journeys']>['results']>>; note: string } | null = null
  if (journeyIds.length > 0) {
    journeys = deps.journeys
      ? { items: await deps.journeys.results({ workspaceId, journeyIds, from: campaign.startsAt, to: Math.min(now, campaign.endsAt) }), note: `journeys delivered by the plan: ${journeyIds.join(', ')}` }
      : { items: [], note: `the plan delivers journeys ${journeyIds.join(', ')}, but no journey results are available in this installation` }
  }
  return buildRetrospective({
    campaign,
    now,
    snapshot,
    edits: await planEdits(db, workspaceId, campaign.id),
    alerts: await listAlerts(db, { workspaceId, campaignId: campaign.id }),
    lessons: await readLessons(db, workspaceId, { campaignId: campaign.id }),
    content,
    journeys,
  })
}

/** Generates the review and keeps it as the campaign's finished review. */
export async function finishReview(deps: SectionDeps, campaign: CampaignRecord, input: { actor: string; now: number }): Promise<{ report: Retrospective; markdown: string }> {
  const report = await generateRetrospective(deps, campaign, input.now)
  const markdown = retrospectiveMarkdown(report)
  await saveReview(deps.database.db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, report, markdown, actor: input.actor, now: input.now })
  return { report, markdown }
}

/** The kept review if there is one (unless `fresh`), else one generated now. */
export async function currentReview(deps: SectionDeps, campaign: CampaignRecord, input: { now: number; fresh?: boolean }): Promise<{ report: Retrospective; markdown: string; stored: boolean; generatedAt: string }> {
  if (!input.fresh) {
    const kept = await readReview(deps.database.db, campaign.workspaceId, campaign.id)
    if (kept) return { report: kept.report, markdown: kept.markdown, stored: true, generatedAt: kept.generatedAt }
  }
  const report = await generateRetrospective(deps, campaign, input.now)
  return { report, markdown: retrospectiveMarkdown(report), stored: false, generatedAt: report.generatedAt }
}

export async function reviewPdf(markdown: string, title: string, options: { executablePath?: string } = {}): Promise<PdfOutcome> {
  return renderPdf(retrospectiveHtml(markdown, title), options)
}
