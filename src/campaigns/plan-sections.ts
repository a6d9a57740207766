import type { z } from 'zod'
import { audienceExists } from '../audiences/index.ts'
import type { ContentHub } from '../content/index.ts'
import type { Database } from '../platform/index.ts'
import { forecastBudget, type BudgetForecast } from './plan/forecast.ts'
import { scheduleTasks, type Schedule } from './plan/schedule.ts'
import { Execution, Insight, Monitoring, Strategy, logSourcesOf, type CampaignPlan } from './plan/schema.ts'
import { validateGoal, type GoalAssessment } from './plan/smart.ts'
import { checkStrategy } from './plan/strategy-check.ts'
import { previousPeriodChannels, previousPeriodMetric } from './monitoring/snapshot.ts'
import type { LogReadCache } from './monitoring/log-read-cache.ts'
import type { SpendSource } from './monitoring/spend.ts'
import type { JourneyResultsPort } from './ports.ts'
import { writePlanSection, type CampaignRecord } from './store/campaigns.ts'
import { invalidPlan, ok, type Outcome, type Problem } from './store/outcome.ts'

/**
 * The four plan sections a team writes — goals and insight, strategy, execution, monitoring —
 * each validated before it is stored: input shape (zod), then the section's own rules. A section
 * with problems is refused with every problem named; a valid one is stored with an audit entry.
 */
export interface SectionDeps {
  database: Database
  hub: ContentHub
  spend: SpendSource
  journeys: JourneyResultsPort | null
  /** Log answers kept while the log is unchanged (KPIs, last-touch credits, history). */
  logCache: LogReadCache
}

interface WriteInput {
  campaign: CampaignRecord
  input: unknown
  actor: string
  now: number
  reason?: string | null
}

function shapeProblems(error: z.ZodError, section: string): Problem[] {
  return error.issues.map((i) => ({ code: 'input', message: `${[section, ...i.path.map(String)].join('.')}: ${i.message}`, subjects: [] }))
}

async function store<S extends keyof CampaignPlan>(deps: SectionDeps, w: WriteInput, section: S, value: CampaignPlan[S]): Promise<CampaignRecord> {
  const saved = await writePlanSection(deps.database.db, deps.database.dialect, {
    workspaceId: w.campaign.workspaceId,
    campaignId: w.campaign.id,
    section,
    value,
    actor: w.actor,
    now: w.now,
    reason: w.reason ?? null,
  })
  return saved!
}

/**
 * Stage 1: goals, target audiences (ids of the audiences module's audiences), personas, competitors,
 * resources. Goals are stored even when not yet SMART; the assessment says what each lacks.
 */
export async function writeInsight(deps: SectionDeps, w: WriteInput): Promise<Outcome<{ campaign: CampaignRecord; smart: GoalAssessment[] }>> {
  const parsed = Insight.safeParse(w.input)
  if (!parsed.success) return invalidPlan(shapeProblems(parsed.error, 'insight'), 'the goals and insight are not valid')
  const ids = parsed.data.goals.map((g) => g.id)
  const dupes = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]
  const problems: Problem[] = dupes.map((id) => ({ code: 'goal.duplicate-id', message: `two goals have the id "${id}"`, subjects: [id] }))
  for (const audience of parsed.data.audiences) {
    if (!(await audienceExists(deps.database.db, w.campaign.workspaceId, audience.audienceId))) {
      problems.push({ code: 'insight.unknown-audience', message: `no audience ${audience.audienceId}${audience.name ? ` (${audience.name})` : ''} in this workspace`, subjects: [audience.audienceId] })
    }
  }
  if (problems.length > 0) return invalidPlan(problems, 'the goals and insight are not valid')
  const campaign = await store(deps, w, 'insight', parsed.data)
  return ok({ campaign, smart: await assessGoals(deps, campaign) })
}

/** The SMART assessment of every goal, with history read from the log for the period before the campaign. */
export async function assessGoals(deps: SectionDeps, campaign: CampaignRecord): Promise<GoalAssessment[]> {
  const mix = campaign.plan.strategy.channelMix
  const out: GoalAssessment[] = []
  for (const goal of campaign.plan.insight.goals) {
    const entry = goal.channel ? mix.find((m) => m.channel === goal.channel) : undefined
    const history = goal.metric
      ? await previousPeriodMetric({ db: deps.database.db, spend: deps.spend, logCache: deps.logCache }, campaign, goal.metric, goal.channel ? (entry ? logSourcesOf(entry) : [goal.channel]) : undefined)
      : null
    out.push(
      validateGoal(goal, {
        campaign: { startsAt: campaign.startsAt, endsAt: campaign.endsAt, timezone: campaign.timezone, currency: campaign.currency },
        history,
        ...(mix.length > 0 ? { channels: mix.map((m) => m.channel) } : {}),
      }),
    )
  }
  return out
}

/** Stage 2: the message house, the channel mix with roles, the budget (which must add up). */
export async function writeStrategy(deps: SectionDeps, w: WriteInput): Promise<Outcome<{ campaign: CampaignRecord; forecast: BudgetForecast | null }>> {
  const parsed = Strategy.safeParse(w.input)
  if (!parsed.success) return invalidPlan(shapeProblems(parsed.error, 'strategy'), 'the strategy is not valid')
  const problems = checkStrategy(parsed.data, w.campaign.plan.insight, w.campaign.currency)
  if (parsed.data.houseId) {
    const house = await deps.hub.getHouse({ workspaceId: w.campaign.workspaceId, houseId: parsed.data.houseId })
    if (!house) problems.push({ code: 'strategy.unknown-house', message: `no message house ${parsed.data.houseId} in this workspace`, subjects: [parsed.data.houseId] })
  }
  if (problems.length > 0) return invalidPlan(problems, 'the strategy is not valid')
  const campaign = await store(deps, w, 'strategy', parsed.data)
  return ok({ campaign, forecast: await budgetForecast(deps, campaign) })
}

export async function budgetForecast(deps: SectionDeps, campaign: CampaignRecord): Promise<BudgetForecast | null> {
  const budget = campaign.plan.strategy.budget
  if (!budget) return null
  const history = await previousPeriodChannels({ db: deps.database.db, spend: deps.spend, logCache: deps.logCache }, campaign)
  return forecastBudget({ budget, mix: campaign.plan.strategy.channelMix, currency: campaign.currency, history })
}

/** Stage 3: tasks with owners, departments, dates, dependencies and deliverables. Refused when the plan cannot be scheduled or a deliverable names something that does not exist. */
export async function writeExecution(deps: SectionDeps, w: WriteInput): Promise<Outcome<{ campaign: CampaignRecord; schedule: Schedule }>> {
  const parsed = Execution.safeParse(w.input)
  if (!parsed.success) return invalidPlan(shapeProblems(parsed.error, 'execution'), 'the execution plan is not valid')
  const outcome = scheduleTasks(parsed.data.tasks, w.campaign.timezone)
  const problems: Problem[] = outcome.ok ? [] : [...outcome.problems]
  const workspaceId = w.campaign.workspaceId
  for (const task of parsed.data.tasks) {
    for (const d of task.deliverables) {
      if (!d.ref) continue
      const exists =
        d.kind === 'variant'
          ? Boolean(await deps.hub.getVariant({ workspaceId, variantId: d.ref }))
          : d.kind === 'asset'
            ? Boolean(await deps.hub.getAsset({ workspaceId, assetId: d.ref }))
            : d.kind === 'journey' && deps.journeys
              ? await deps.journeys.exists(workspaceId, d.ref)
              : true
      if (!exists) problems.push({ code: 'task.unknown-deliverable', message: `task "${task.id}" (${task.name}) delivers ${d.kind} ${d.ref}, which does not exist in this workspace`, subjects: [task.id, d.ref] })
    }
  }
  if (problems.length > 0 || !outcome.ok) return invalidPlan(problems, 'the execution plan is not valid')
  const campaign = await store(deps, w, 'execution', parsed.data)
  return ok({ campaign, schedule: outcome.schedule })
}

/** The schedule of the stored tasks (they were valid when stored). */
export function campaignSchedule(campaign: CampaignRecord): Schedule {
  const outcome = scheduleTasks(campaign.plan.execution.tasks, campaign.timezone)
  if (!outcome.ok) throw new Error(`stored plan of ${campaign.id} no longer schedules: ${outcome.problems.map((p) => p.message).join('; ')}`)
  return outcome.schedule
}

/** Stage 4 settings: pacing tolerance, CPA thresholds, which events are leads and conversions. */
export async function writeMonitoring(deps: SectionDeps, w: WriteInput): Promise<Outcome<{ campaign: CampaignRecord }>> {
  const parsed = Monitoring.safeParse(w.input)
  if (!parsed.success) return invalidPlan(shapeProblems(parsed.error, 'monitoring'), 'the monitoring settings are not valid')
  return ok({ campaign: await store(deps, w, 'monitoring', parsed.data) })
}

/** What stands between a plan and launching it: every goal SMART, a channel mix and a budget that adds up, a schedulable plan. */
export async function launchProblems(deps: SectionDeps, campaign: CampaignRecord): Promise<Problem[]> {
  const problems: Problem[] = []
  const { plan } = campaign
  if (plan.insight.goals.length === 0) problems.push({ code: 'launch.no-goals', message: 'the plan has no goals', subjects: [] })
  for (const a of await assessGoals(deps, campaign)) {
    if (!a.smart) problems.push({ code: 'launch.goal-not-smart', message: `goal "${a.goalId}" is not SMART yet: ${a.missing.map((l) => `${l} — ${a.letters[l].message}`).join('; ')}`, subjects: [a.goalId] })
  }
  if (plan.strategy.channelMix.length === 0) problems.push({ code: 'launch.no-channels', message: 'the strategy has no channel mix', subjects: [] })
  if (!plan.strategy.budget) problems.push({ code: 'launch.no-budget', message: 'the strategy has no budget', subjects: [] })
  problems.push(...checkStrategy(plan.strategy, plan.insight, campaign.currency))
  return problems
}
