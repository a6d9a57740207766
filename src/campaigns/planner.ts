import { ContentHub } from '../content/index.ts'
import type { Database } from '../platform/index.ts'
import { getWorkspace } from '../workspaces/index.ts'
import { decideAlert, evaluateAlerts } from './alerts-flow.ts'
import { addLesson, searchLessons, suggestLessons } from './lessons-flow.ts'
import { LogReadCache } from './monitoring/log-read-cache.ts'
import { measurementSpend, type SpendSource } from './monitoring/spend.ts'
import { monitorCampaign } from './monitoring/snapshot.ts'
import { toICalendar } from './plan/icalendar.ts'
import { isTimeZone, parseInstant } from './plan/time.ts'
import {
  assessGoals,
  budgetForecast,
  campaignSchedule,
  launchProblems,
  writeExecution,
  writeInsight,
  writeMonitoring,
  writeStrategy,
  type SectionDeps,
} from './plan-sections.ts'
import type { JourneyResultsPort } from './ports.ts'
import { journeysFromModule } from './journeys-adapter.ts'
import { currentReview, finishReview, reviewPdf } from './retrospective-flow.ts'
import { listAlerts } from './store/alerts.ts'
import { insertCampaign, listCampaignRows, planEdits, readCampaign, writeCampaignFields, type CampaignRecord, type CampaignStatus } from './store/campaigns.ts'
import { readLessons, deleteLesson } from './store/lessons.ts'
import { conflict, invalidPlan, notFound, ok, type Outcome, type Problem } from './store/outcome.ts'

/**
 * The campaign planner: five stages over one plan per campaign — goals and insight, strategy,
 * execution, monitoring, review — plus the lessons knowledge base. Every method takes the
 * workspace and the time explicitly.
 *
 * @example
 * const planner = await CampaignPlanner.open({ database })
 * const created = await planner.create({ workspaceId, name: '活力健康新品上市', brand: '和声优品', startsAt: '2026-03-01', endsAt: '2026-05-29', actor, now })
 * const insight = await planner.setInsight({ workspaceId, campaignId: created.value.id, input: { goals: [...] }, actor, now })
 * insight.ok && insight.value.smart[0].missing // ['A'] — which SMART letters a goal still lacks
 */
export class CampaignPlanner {
  readonly #deps: SectionDeps

  constructor(deps: { database: Database; hub: ContentHub; spend?: SpendSource; journeys?: JourneyResultsPort | null }) {
    this.#deps = {
      database: deps.database,
      hub: deps.hub,
      spend: deps.spend ?? measurementSpend(deps.database),
      journeys: deps.journeys === undefined ? journeysFromModule(deps.database.db) : deps.journeys,
      logCache: new LogReadCache(),
    }
  }

  static async open(options: { database: Database; hub?: ContentHub; spend?: SpendSource; journeys?: JourneyResultsPort | null }): Promise<CampaignPlanner> {
    return new CampaignPlanner({ ...options, hub: options.hub ?? (await ContentHub.open({ database: options.database })) })
  }

  get deps(): SectionDeps {
    return this.#deps
  }

  async create(input: { workspaceId: string; name: string; brand: string; startsAt: string; endsAt: string; timezone?: string; currency?: string; actor: string; now: number }): Promise<Outcome<CampaignRecord>> {
    const workspace = await getWorkspace(this.#deps.database.db, input.workspaceId)
    const settings = (workspace?.settings ?? {}) as { timezone?: string; currency?: string }
    const timezone = input.timezone ?? settings.timezone ?? 'Asia/Shanghai'
    const currency = (input.currency ?? settings.currency ?? 'CNY').toUpperCase()
    const problems: Problem[] = []
    if (!isTimeZone(timezone)) problems.push({ code: 'campaign.bad-timezone', message: `"${timezone}" is not a time zone (use an IANA name such as Asia/Shanghai)`, subjects: [] })
    if (!/^[A-Z]{3}$/.test(currency)) problems.push({ code: 'campaign.bad-currency', message: `"${currency}" is not an ISO 4217 currency code such as CNY`, subjects: [] })
    const window = problems.length === 0 ? this.#window(input.startsAt, input.endsAt, timezone, problems) : null
    if (problems.length > 0 || !window) return invalidPlan(problems, 'the campaign cannot be created')
    return ok(await insertCampaign(this.#deps.database.db, { workspaceId: input.workspaceId, name: input.name, brand: input.brand, ...window, timezone, currency, actor: input.actor, now: input.now }))
  }

  #window(startsAt: string, endsAt: string, timezone: string, problems: Problem[]): { startsAt: number; endsAt: number } | null {
    const start = parseInstant(startsAt, timezone, 'start')
    const end = parseInstant(endsAt, timezone, 'end')
    if (start === null) problems.push({ code: 'campaign.bad-date', message: `startsAt "${startsAt}" is not a date (YYYY-MM-DD) or an ISO instant`, subjects: [] })
    if (end === null) problems.push({ code: 'campaign.bad-date', message: `endsAt "${endsAt}" is not a date (YYYY-MM-DD) or an ISO instant`, subjects: [] })
    if (start !== null && end !== null && end <= start) problems.push({ code: 'campaign.ends-before-start', message: `the campaign ends (${endsAt}) before it starts (${startsAt})`, subjects: [] })
    return problems.length === 0 ? { startsAt: start!, endsAt: end! } : null
  }

  get(workspaceId: string, campaignId: string): Promise<CampaignRecord | null> {
    return readCampaign(this.#deps.database.db, workspaceId, campaignId)
  }

  list(input: { workspaceId: string; status?: string; limit: number; cursor?: string | null }) {
    return listCampaignRows(this.#deps.database.db, input)
  }

  /** Renames, re-dates or re-brands a campaign (status moves go through launch and finish). */
  async update(input: { campaign: CampaignRecord; name?: string; brand?: string; startsAt?: string; endsAt?: string; actor: string; now: number; reason?: string | null }): Promise<Outcome<CampaignRecord>> {
    const problems: Problem[] = []
    const { campaign } = input
    const window =
      input.startsAt !== undefined || input.endsAt !== undefined
        ? this.#window(input.startsAt ?? new Date(campaign.startsAt).toISOString(), input.endsAt ?? new Date(campaign.endsAt).toISOString(), campaign.timezone, problems)
        : null
    if (problems.length > 0) return invalidPlan(problems, 'the campaign cannot be changed')
    const saved = await writeCampaignFields(this.#deps.database.db, this.#deps.database.dialect, {
      workspaceId: campaign.workspaceId,
      campaignId: campaign.id,
      fields: { name: input.name, brand: input.brand, ...(window ?? {}) },
      actor: input.actor,
      now: input.now,
      reason: input.reason ?? null,
    })
    return saved ? ok(saved) : notFound(`no campaign ${campaign.id}`)
  }

  setInsight(input: { campaign: CampaignRecord; input: unknown; actor: string; now: number; reason?: string | null }) {
    return writeInsight(this.#deps, input)
  }
  setStrategy(input: { campaign: CampaignRecord; input: unknown; actor: string; now: number; reason?: string | null }) {
    return writeStrategy(this.#deps, input)
  }
  setExecution(input: { campaign: CampaignRecord; input: unknown; actor: string; now: number; reason?: string | null }) {
    return writeExecution(this.#deps, input)
  }
  setMonitoring(input: { campaign: CampaignRecord; input: unknown; actor: string; now: number; reason?: string | null }) {
    return writeMonitoring(this.#deps, input)
  }

  smart(campaign: CampaignRecord) {
    return assessGoals(this.#deps, campaign)
  }
  forecast(campaign: CampaignRecord) {
    return budgetForecast(this.#deps, campaign)
  }
  schedule(campaign: CampaignRecord) {
    return campaignSchedule(campaign)
  }
  calendar(campaign: CampaignRecord, now: number): string {
    return toICalendar({ campaign: { id: campaign.id, name: campaign.name }, tasks: campaignSchedule(campaign).tasks, now })
  }
  edits(campaign: CampaignRecord) {
    return planEdits(this.#deps.database.db, campaign.workspaceId, campaign.id)
  }

  /** planning → running, once every goal is SMART and the strategy holds. */
  async launch(input: { campaign: CampaignRecord; actor: string; now: number }): Promise<Outcome<CampaignRecord>> {
    if (input.campaign.status !== 'planning') return conflict(`campaign ${input.campaign.id} is ${input.campaign.status}; only a campaign in planning can be launched`)
    const problems = await launchProblems(this.#deps, input.campaign)
    if (problems.length > 0) return invalidPlan(problems, 'the campaign cannot be launched')
    return this.#status(input.campaign, 'running', input.actor, input.now, 'launched')
  }

  /** → finished; the review is generated and kept. */
  async finish(input: { campaign: CampaignRecord; actor: string; now: number; reason?: string }): Promise<Outcome<CampaignRecord>> {
    if (input.campaign.status === 'finished') return conflict(`campaign ${input.campaign.id} is already finished`)
    const finished = await this.#status(input.campaign, 'finished', input.actor, input.now, input.reason ?? 'finished')
    if (finished.ok) await finishReview(this.#deps, finished.value, { actor: input.actor, now: input.now })
    return finished
  }

  async #status(campaign: CampaignRecord, status: CampaignStatus, actor: string, now: number, reason: string): Promise<Outcome<CampaignRecord>> {
    const saved = await writeCampaignFields(this.#deps.database.db, this.#deps.database.dialect, { workspaceId: campaign.workspaceId, campaignId: campaign.id, fields: { status }, actor, now, reason })
    return saved ? ok(saved) : notFound(`no campaign ${campaign.id}`)
  }

  monitor(campaign: CampaignRecord, now: number) {
    return monitorCampaign({ db: this.#deps.database.db, spend: this.#deps.spend, logCache: this.#deps.logCache }, campaign, now)
  }
  evaluateAlerts(campaign: CampaignRecord, now: number) {
    return evaluateAlerts(this.#deps, campaign, now)
  }
  alerts(campaign: CampaignRecord, status?: string) {
    return listAlerts(this.#deps.database.db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, ...(status ? { status } : {}) })
  }
  decide(input: Parameters<typeof decideAlert>[1]) {
    return decideAlert(this.#deps, input)
  }

  review(campaign: CampaignRecord, input: { now: number; fresh?: boolean }) {
    return currentReview(this.#deps, campaign, input)
  }
  keepReview(campaign: CampaignRecord, input: { actor: string; now: number }) {
    return finishReview(this.#deps, campaign, input)
  }
  reviewPdf(markdown: string, title: string, options: { executablePath?: string } = {}) {
    return reviewPdf(markdown, title, options)
  }

  addLesson(input: { workspaceId: string; campaign: CampaignRecord | null; lesson: unknown; actor: string; now: number }) {
    return addLesson(this.#deps, input)
  }
  lessons(workspaceId: string, campaignId?: string) {
    return readLessons(this.#deps.database.db, workspaceId, campaignId ? { campaignId } : {})
  }
  searchLessons(input: { workspaceId: string; query: string; limit: number; cursor?: string | null }) {
    return searchLessons(this.#deps, input)
  }
  suggestLessons(campaign: CampaignRecord, limit?: number) {
    return suggestLessons(this.#deps, campaign, limit)
  }
  deleteLesson(input: { workspaceId: string; lessonId: string }) {
    return deleteLesson(this.#deps.database.db, this.#deps.hub.searchIndex, input)
  }
}
