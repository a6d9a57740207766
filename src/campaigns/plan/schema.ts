import { z } from 'zod'

/**
 * The campaign plan, one document per campaign in five stages: goals and insight, strategy,
 * execution, monitoring settings (the fifth stage, the review, is generated from the others and
 * the log). Money is integer minor units in the campaign's currency; times are ISO dates or
 * instants (see time.ts).
 */

export const STAGES = ['awareness', 'consideration', 'decision', 'loyalty'] as const
export const JourneyStage = z.enum(STAGES)
export type JourneyStage = z.infer<typeof JourneyStage>

export const Department = z.enum(['marketing', 'sales', 'product', 'service', 'it'])
export type Department = z.infer<typeof Department>

/** What a channel does for the campaign at a stage. */
export const ChannelRole = z.enum(['reach', 'engage', 'convert', 'serve'])
export type ChannelRole = z.infer<typeof ChannelRole>

/**
 * What a goal can be measured on, all computed from the event log:
 * reach (distinct people), traffic (page and screen views), leads (distinct people with a lead
 * event), conversions (conversion events), revenue (minor units), new_customers (first-ever
 * orders), roi ((revenue − spend) / spend, a ratio) and cac (spend per new customer, minor units).
 */
export const GoalMetric = z.enum(['reach', 'traffic', 'leads', 'conversions', 'revenue', 'new_customers', 'roi', 'cac'])
export type GoalMetric = z.infer<typeof GoalMetric>

/** Lower is better for these; higher for the rest. */
export const LOWER_IS_BETTER: ReadonlySet<GoalMetric> = new Set(['cac'])
/** Ratios and averages: compared with the target as they stand, not paced over time. */
export const NOT_CUMULATIVE: ReadonlySet<GoalMetric> = new Set(['roi', 'cac'])
export const MONEY_METRICS: ReadonlySet<GoalMetric> = new Set(['revenue', 'cac'])

const Id = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'ids are letters, digits, _ . - (at most 64)')
const Text = z.string().trim().min(1)

export const Baseline = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('previous-period').describe('The same metric in the period of equal length before the campaign, from the log') }),
  z.object({ kind: z.literal('value'), value: z.number().min(0), note: z.string().optional().describe('Where the number comes from') }),
])
export type Baseline = z.infer<typeof Baseline>

/** A goal as the team writes it; the SMART validator says what is missing (smart.ts). */
export const Goal = z.object({
  id: Id,
  statement: Text.describe('The goal in words, e.g. 上市期间天猫+官网销售额达到 ¥450,000'),
  metric: GoalMetric.optional(),
  target: z.number().positive().optional().describe('Money in minor units; roi as a ratio (0.5 = 50%)'),
  baseline: Baseline.optional(),
  deadline: z.string().optional().describe('YYYY-MM-DD or an ISO instant'),
  why: z.string().trim().optional().describe('The business objective this goal serves'),
  plausibleGrowth: z.number().gt(0).max(100).optional().describe('Overrides the growth the achievability check allows (× the baseline)'),
  channel: z.string().trim().min(1).optional().describe('Scope the metric to one channel of the mix (traffic, reach)'),
})
export type Goal = z.infer<typeof Goal>

export const Insight = z.object({
  goals: z.array(Goal).default([]),
  audiences: z
    .array(z.object({ audienceId: Text, name: z.string().optional(), role: z.enum(['primary', 'secondary']).default('primary') }))
    .default([]),
  personas: z.array(z.object({ name: Text, description: z.string().optional(), needs: z.array(Text).default([]), channels: z.array(Text).default([]) })).default([]),
  competitors: z.array(z.object({ name: Text, notes: z.string().default(''), channels: z.array(Text).default([]) })).default([]),
  resources: z
    .object({
      budgetMinor: z.number().int().min(0).optional().describe('The money available; the strategy may not spend more'),
      team: z.array(z.object({ name: Text, role: z.string().optional(), department: Department })).default([]),
      constraints: z.array(Text).default([]),
    })
    .default({ team: [], constraints: [] }),
})
export type Insight = z.infer<typeof Insight>

export const ChannelMixEntry = z.object({
  channel: Id.describe('The channel as the plan names it, e.g. douyin, xiaohongshu, baidu_search'),
  roles: z.partialRecord(JourneyStage, ChannelRole).describe('Its role at each journey stage it serves'),
  logSources: z.array(Text).optional().describe('events.channel values that count as this channel (default: the channel id)'),
  spendChannels: z.array(Text).optional().describe('Spend-table channel names for it (default: the channel id)'),
  contentChannels: z.array(Text).optional().describe('Channel profiles its copy runs on (xiaohongshu-note …)'),
  assumedRoas: z.number().min(0).optional().describe('Revenue per unit of spend to assume when there is no history'),
  cpaThresholdMinor: z.number().int().positive().optional().describe('Alert when cost per conversion rises above this'),
  paused: z.boolean().default(false),
  notes: z.string().optional(),
})
export type ChannelMixEntry = z.infer<typeof ChannelMixEntry>

export const Budget = z.object({
  totalMinor: z.number().int().min(0),
  lines: z.array(z.object({ channel: Id, amountMinor: z.number().int().min(0), note: z.string().optional() })).default([]),
  test: z
    .object({ amountMinor: z.number().int().min(0), channels: z.array(Text).min(1), hypothesis: Text.describe('What the test should show') })
    .optional()
    .describe('A budget set aside to test a channel or an idea; not forecast'),
})
export type Budget = z.infer<typeof Budget>

export const Strategy = z.object({
  houseId: z.string().min(1).nullable().optional().describe('The message house the campaign speaks from'),
  channelMix: z.array(ChannelMixEntry).default([]),
  budget: Budget.optional(),
})
export type Strategy = z.infer<typeof Strategy>

export const Deliverable = z.object({
  kind: z.enum(['variant', 'journey', 'asset', 'other']),
  ref: z.string().min(1).optional().describe('The variant, journey or asset id'),
  title: Text,
})

export const Task = z.object({
  id: Id,
  name: Text,
  owner: Text,
  department: Department,
  start: Text,
  end: Text,
  dependsOn: z.array(Id).default([]),
  deliverables: z.array(Deliverable).default([]),
})
export type Task = z.infer<typeof Task>
export type TaskInput = z.input<typeof Task>

export const Execution = z.object({ tasks: z.array(Task).default([]) })
export type Execution = z.infer<typeof Execution>

export const Monitoring = z.object({
  /** A cumulative KPI more than this share behind its linear pace raises an alert. */
  pacingTolerance: z.number().min(0).max(1).default(0.1),
  /** No pacing alerts before this share of the campaign has elapsed (early numbers are noise). */
  minElapsedForAlerts: z.number().min(0).max(1).default(0.1),
  /** Alert when any channel's cost per conversion rises above this (a channel may set its own). */
  cpaThresholdMinor: z.number().int().positive().optional(),
  kpiEvents: z
    .object({
      leads: z.array(Text).default(['Signed Up', '$SignUp', 'Lead Generated']),
      conversions: z.array(Text).default(['Order Completed']),
    })
    .default({ leads: ['Signed Up', '$SignUp', 'Lead Generated'], conversions: ['Order Completed'] }),
  /** Last-touch attribution looks back this far from a conversion for a channel touch. */
  attributionWindowDays: z.number().int().min(1).max(90).default(7),
})
export type Monitoring = z.infer<typeof Monitoring>

export const CampaignPlan = z.object({
  insight: Insight.default(Insight.parse({})),
  strategy: Strategy.default(Strategy.parse({})),
  execution: Execution.default(Execution.parse({})),
  monitoring: Monitoring.default(Monitoring.parse({})),
})
export type CampaignPlan = z.infer<typeof CampaignPlan>

export const PLAN_SECTIONS = ['insight', 'strategy', 'execution', 'monitoring'] as const
export type PlanSection = (typeof PLAN_SECTIONS)[number]

/** The events.channel values a mix entry counts (its own id unless it says otherwise). */
export const logSourcesOf = (entry: ChannelMixEntry): string[] => (entry.logSources ?? [entry.channel]).map((s) => s.toLowerCase())
export const spendChannelsOf = (entry: ChannelMixEntry): string[] => entry.spendChannels ?? [entry.channel]
