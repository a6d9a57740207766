/**
 * Campaigns: the five-stage planner (goals and insight, strategy, execution, monitoring, review)
 * over one plan per campaign, with KPIs from the event log, alerts a person decides on, a
 * generated retrospective (JSON, Markdown, PDF) and a lessons knowledge base. See docs/campaigns.md.
 */
export { CampaignPlanner } from './planner.ts'
export { campaignRoutes } from './routes.ts'
export { campaignView, type CampaignView } from './campaign-view.ts'
export { seedDemoCampaign, DEMO_CAMPAIGN_NAME, type DemoCampaignReport } from './demo-campaign.ts'
export { campaignMonitorHandler, CAMPAIGN_MONITOR_JOB } from './monitoring/monitor-job.ts'
export type { JourneyResultsPort } from './ports.ts'

export {
  CampaignPlan,
  Insight,
  Strategy,
  Execution,
  Monitoring,
  Goal,
  GoalMetric,
  ChannelMixEntry,
  ChannelRole,
  Budget,
  Task,
  Department,
  JourneyStage,
  type TaskInput,
} from './plan/schema.ts'
export { validateGoal, PLAUSIBLE_GROWTH, type GoalAssessment, type LetterCheck, type SmartContext } from './plan/smart.ts'
export { checkStrategy, type PlanProblem } from './plan/strategy-check.ts'
export { forecastBudget, type BudgetForecast, type ChannelForecast, type ChannelHistory } from './plan/forecast.ts'
export { scheduleTasks, findCycles, findConflicts, type Schedule, type ScheduledTask, type Conflict, type GanttData } from './plan/schedule.ts'
export { toICalendar, escapeText, foldLine } from './plan/icalendar.ts'
export { parseInstant, localDate } from './plan/time.ts'
export { formatMoney } from './plan/money.ts'
export { logKpis, lastTouchCredits, type LogKpis } from './monitoring/log-kpis.ts'
export { measurementSpend, type SpendSource, type SpendSummary } from './monitoring/spend.ts'
export { goalProgress, type GoalProgress } from './monitoring/pacing.ts'
export { alertCandidates, type AlertCandidate, type SuggestedAction } from './monitoring/alert-rules.ts'
export { monitorCampaign, type Snapshot } from './monitoring/snapshot.ts'
export { buildRetrospective, type Retrospective, type GoalResult } from './review/retrospective.ts'
export { retrospectiveMarkdown } from './review/markdown.ts'
export { markdownToHtml, retrospectiveHtml } from './review/html.ts'
export { renderPdf, CHROMIUM_PATH } from './review/pdf.ts'
export { rankBySimilarity, SIMILARITY_WEIGHTS } from './knowledge/similarity.ts'
