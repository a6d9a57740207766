import type { HouseReport, ContentMatrix } from '../../content/index.ts'
import { goalDeadline } from '../plan/smart.ts'
import { LOWER_IS_BETTER } from '../plan/schema.ts'
import { iso } from '../plan/time.ts'
import type { Snapshot } from '../monitoring/snapshot.ts'
import type { AlertView } from '../store/alerts.ts'
import type { CampaignRecord, PlanEdit } from '../store/campaigns.ts'
import type { Lesson } from '../store/lessons.ts'

/**
 * The campaign's retrospective, generated from the plan, the log and the records kept along the
 * way: each goal achieved or missed and by how much; channel ROI with last-touch attribution
 * (when spend is recorded); journey results (when the journeys module reports them); content
 * consistency from the message house's checks; what changed in the plan during the campaign;
 * the alerts and what was decided; the lessons the team wrote down. The JSON feeds a page; the
 * Markdown and the PDF are rendered from it.
 */
export interface GoalResult {
  goalId: string
  statement: string
  metric: string | null
  target: number | null
  actual: number | null
  deadline: string
  /** null while the deadline has not passed or the goal cannot be measured. */
  achieved: boolean | null
  /** actual − target (for CAC, target − actual: positive is better). */
  difference: number | null
  /** difference as a share of the target. */
  differenceShare: number | null
  verdict: 'achieved' | 'missed' | 'in-progress' | 'unmeasurable'
}

export interface JourneyResult {
  journeyId: string
  name: string
  entered: number
  completed: number
  converted: number
  note?: string
}

export interface Retrospective {
  campaign: { id: string; name: string; brand: string; status: string; startsAt: string; endsAt: string; timezone: string; currency: string; planVersion: number }
  generatedAt: string
  finished: boolean
  window: Snapshot['window']
  goals: GoalResult[]
  kpis: Snapshot['kpis']
  channels: { available: boolean; note: string; attribution: Snapshot['attribution']; rows: Snapshot['channels']; unattributed: Snapshot['unattributed']; spend: Snapshot['spend'] }
  journeys: { available: boolean; note: string; items: JourneyResult[] }
  content: {
    available: boolean
    note: string
    houseId: string | null
    score: number | null
    pillarsCarried: string[]
    pillarsMissing: string[]
    contradictions: Array<{ what: string; variants: string[] }>
    variants: Array<{ variantId: string; channel: string; stage: string; state: string; score: number | null; blocks: number; warnings: number }>
    /** What blocks each variant that may not go out as is. */
    blocking: Array<{ variantId: string; channel: string; stage: string; findings: string[] }>
  }
  changes: Array<PlanEdit & { duringCampaign: boolean }>
  alerts: Array<Pick<AlertView, 'id' | 'kind' | 'subject' | 'status' | 'message' | 'raisedAt' | 'decidedAt' | 'decidedBy' | 'decision'>>
  lessons: Lesson[]
}

export interface RetrospectiveInput {
  campaign: CampaignRecord
  now: number
  snapshot: Snapshot
  edits: readonly PlanEdit[]
  alerts: readonly AlertView[]
  lessons: readonly Lesson[]
  content: { report: HouseReport | null; matrix: ContentMatrix | null; blocking: Array<{ variantId: string; channel: string; stage: string; findings: string[] }> } | null
  journeys: { items: JourneyResult[]; note: string } | null
}

/**
 * @example
 * const retro = buildRetrospective({ campaign, now, snapshot, edits, alerts, lessons, content, journeys: null })
 * retro.goals.map((g) => `${g.goalId}: ${g.verdict} by ${g.difference}`)
 */
export function buildRetrospective(input: RetrospectiveInput): Retrospective {
  const { campaign, snapshot } = input
  const goals: GoalResult[] = campaign.plan.insight.goals.map((goal) => {
    const progress = snapshot.goals.find((g) => g.goalId === goal.id)
    const deadline = goalDeadline(goal, campaign)
    const actual = progress?.actual ?? null
    const target = goal.target ?? null
    const lower = goal.metric ? LOWER_IS_BETTER.has(goal.metric) : false
    const difference = actual === null || target === null ? null : lower ? target - actual : actual - target
    const passed = input.now >= deadline
    const achieved = !passed || difference === null ? null : difference >= 0
    return {
      goalId: goal.id,
      statement: goal.statement,
      metric: goal.metric ?? null,
      target,
      actual,
      deadline: iso(deadline),
      achieved,
      difference: difference === null ? null : round(difference),
      differenceShare: difference === null || !target ? null : round(difference / target, 4),
      verdict: achieved === true ? 'achieved' : achieved === false ? 'missed' : difference === null ? 'unmeasurable' : 'in-progress',
    }
  })
  const spendKnown = snapshot.spend !== null
  const report = input.content?.report ?? null
  const matrix = input.content?.matrix ?? null
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      brand: campaign.brand,
      status: campaign.status,
      startsAt: iso(campaign.startsAt),
      endsAt: iso(campaign.endsAt),
      timezone: campaign.timezone,
      currency: campaign.currency,
      planVersion: campaign.planVersion,
    },
    generatedAt: iso(input.now),
    finished: input.now >= campaign.endsAt,
    window: snapshot.window,
    goals,
    kpis: snapshot.kpis,
    channels: {
      available: spendKnown,
      note: spendKnown
        ? `spend from the spend table for ${snapshot.spend!.dates.from} to ${snapshot.spend!.dates.to}; conversions and revenue credited by last touch within ${snapshot.attribution.lookbackDays} days`
        : 'no spend is recorded for the campaign\'s dates, so ROI and CPA cannot be computed; conversions and revenue are credited by last touch',
      attribution: snapshot.attribution,
      rows: snapshot.channels,
      unattributed: snapshot.unattributed,
      spend: snapshot.spend,
    },
    journeys: input.journeys
      ? { available: input.journeys.items.length > 0, note: input.journeys.note, items: input.journeys.items }
      : { available: false, note: 'no journey results: the plan has no journey deliverables, or journeys report none', items: [] },
    content: report
      ? {
          available: true,
          note: `the checks of message house ${campaign.houseId} version ${report.houseVersion} over its current variants`,
          houseId: campaign.houseId,
          score: report.score,
          pillarsCarried: report.pillarsCarried,
          pillarsMissing: report.pillarsMissing,
          contradictions: report.items.filter((i) => i.check === 'contradiction').map((i) => ({ what: i.what, variants: [...new Set(i.where.map((w) => w.variantId).filter((v): v is string => Boolean(v)))] })),
          variants: (matrix?.cells ?? []).map((c) => ({ variantId: c.variantId, channel: c.channel, stage: c.stage, state: c.state, score: c.score, blocks: c.blocks, warnings: c.warnings })),
          blocking: input.content?.blocking ?? [],
        }
      : { available: false, note: campaign.houseId ? `message house ${campaign.houseId} has no report` : 'the plan links no message house', houseId: campaign.houseId, score: null, pillarsCarried: [], pillarsMissing: [], contradictions: [], variants: [], blocking: [] },
    changes: input.edits.map((e) => ({ ...e, duringCampaign: Date.parse(e.at) >= campaign.startsAt && Date.parse(e.at) < campaign.endsAt })),
    alerts: input.alerts.map((a) => ({ id: a.id, kind: a.kind, subject: a.subject, status: a.status, message: a.message, raisedAt: a.raisedAt, decidedAt: a.decidedAt, decidedBy: a.decidedBy, decision: a.decision })),
    lessons: [...input.lessons],
  }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits
