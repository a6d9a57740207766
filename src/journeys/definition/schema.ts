import { z } from 'zod'
import { TemplateVariants } from '../../channels/index.ts'
import { Duration, SignedDuration } from './duration.ts'

/**
 * The journey graph as people write it (JSON through the API). docs/journeys.md documents every
 * field with examples; graph rules (exits, cycles, reachability, percentages) are checked by
 * `validateDefinition`, which names the node at fault.
 */

export const NodeId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'a node id is 1-64 letters, digits, "_" or "-"' })

export const FilterOp = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'exists', 'not_exists'])
export type FilterOp = z.infer<typeof FilterOp>

const FilterValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()]))])

/** A test on an event property (dotted path into `properties`), e.g. `{ property: 'price', op: 'gte', value: 100 }`. */
export const PropertyFilter = z.strictObject({ property: z.string().min(1), op: FilterOp, value: FilterValue.optional() })
export type PropertyFilter = z.infer<typeof PropertyFilter>

export const TraitCondition = z.strictObject({ trait: z.string().min(1), op: FilterOp, value: FilterValue.optional() })
export type TraitCondition = z.infer<typeof TraitCondition>

/** Membership of an audience now (`member: false` tests that the person is outside it). */
export const AudienceCondition = z.strictObject({ audience: z.string().min(1), member: z.boolean().default(true) })
export type AudienceCondition = z.infer<typeof AudienceCondition>

/** The person performed an event at least `atLeast` times, within a window or since entering. */
export const PerformedCondition = z.strictObject({
  performed: z.string().min(1),
  where: z.array(PropertyFilter).default([]),
  within: Duration.optional(),
  sinceEntry: z.boolean().default(false),
  atLeast: z.number().int().min(1).default(1),
})
export type PerformedCondition = z.infer<typeof PerformedCondition>

export type Condition =
  | TraitCondition
  | AudienceCondition
  | PerformedCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    TraitCondition,
    AudienceCondition,
    PerformedCondition,
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
  ]),
) as z.ZodType<Condition>

const LocalTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'expected a local time "HH:MM" (24-hour)' })
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
export type Weekday = z.infer<typeof Weekday>

export const Category = z.enum(['marketing', 'transactional'])
export type Category = z.infer<typeof Category>

/**
 * What to send: a stored channel template (`templateId`), inline channel variants (`variants`,
 * the shape templates use: `{ "email": { "subject", "html" }, "sms": { "templateCode", … } }`),
 * or plain content (`subject`, `text`, `html`, `url`) that email, inbox, WeCom and webhook can
 * carry as is. Everything is Liquid: `{{ profile.name }}`, `{{ event.properties.sku }}`.
 */
export const MessageSpec = z
  .strictObject({
    templateId: z.string().min(1).optional(),
    variants: TemplateVariants.optional(),
    subject: z.string().optional(),
    text: z.string().optional(),
    html: z.string().optional(),
    url: z.url({ error: 'expected an absolute http(s) URL' }).optional(),
    data: z.record(z.string(), z.string()).optional(),
  })
  .refine((m) => m.templateId !== undefined || m.variants !== undefined || m.text !== undefined || m.html !== undefined, { error: 'a message needs a templateId, variants, or text or html' })
  .refine((m) => !(m.templateId !== undefined && m.variants !== undefined), { error: 'give templateId or variants, not both' })
export type MessageSpec = z.infer<typeof MessageSpec>

export const DelayNode = z
  .strictObject({
    id: NodeId,
    type: z.literal('delay'),
    /** A fixed wait, `30s` to `52w`. */
    for: Duration.optional(),
    /** The next local time of day on an allowed weekday, in the person's timezone. */
    until: z.strictObject({ time: LocalTime, weekdays: z.array(Weekday).min(1).optional() }).optional(),
    /** A date trait (e.g. `renewal_date`) plus an offset, at a local time. */
    untilDate: z
      .strictObject({ trait: z.string().min(1), offset: SignedDuration.optional(), time: LocalTime.optional(), ifMissing: z.enum(['continue', 'exit']).default('exit') })
      .optional(),
    next: NodeId,
  })
  .refine((n) => [n.for, n.until, n.untilDate].filter((x) => x !== undefined).length === 1, { error: 'a delay needs exactly one of "for", "until" or "untilDate"' })
export type DelayNode = z.infer<typeof DelayNode>

export const WaitForEventNode = z.strictObject({
  id: NodeId,
  type: z.literal('wait_for_event'),
  event: z.string().min(1),
  where: z.array(PropertyFilter).default([]),
  timeout: Duration,
  onEvent: NodeId,
  onTimeout: NodeId,
})
export type WaitForEventNode = z.infer<typeof WaitForEventNode>

const BranchKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'a branch key is 1-64 letters, digits, "_" or "-"' })

export const ConditionNode = z.strictObject({
  id: NodeId,
  type: z.literal('condition'),
  branches: z.array(z.strictObject({ key: BranchKey, when: Condition, next: NodeId })).min(1),
  otherwise: NodeId,
})
export type ConditionNode = z.infer<typeof ConditionNode>

export const RandomSplitNode = z.strictObject({
  id: NodeId,
  type: z.literal('random_split'),
  branches: z
    .array(z.strictObject({ key: BranchKey, percent: z.number().gt(0).max(100), next: NodeId.optional(), holdout: z.boolean().default(false) }))
    .min(2),
})
export type RandomSplitNode = z.infer<typeof RandomSplitNode>

export const SendNode = z.strictObject({
  id: NodeId,
  type: z.literal('send'),
  channel: z.string().min(1),
  /** Channels to try, in order, when the person cannot be reached on `channel`. */
  fallback: z.array(z.string().min(1)).default([]),
  category: Category.default('marketing'),
  message: MessageSpec,
  next: NodeId,
})
export type SendNode = z.infer<typeof SendNode>

export const UpdateTraitNode = z
  .strictObject({
    id: NodeId,
    type: z.literal('update_trait'),
    set: z.record(z.string(), z.unknown()).optional(),
    setOnce: z.record(z.string(), z.unknown()).optional(),
    increment: z.record(z.string(), z.number()).optional(),
    unset: z.array(z.string().min(1)).optional(),
    next: NodeId,
  })
  .refine((n) => Boolean(n.set || n.setOnce || n.increment || n.unset), { error: 'update_trait needs at least one of set, setOnce, increment or unset' })
export type UpdateTraitNode = z.infer<typeof UpdateTraitNode>

export const WebhookNode = z.strictObject({
  id: NodeId,
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.record(z.string(), z.string()).default({}),
  /** JSON body; string values are Liquid templates (`{{ profile.email }}`, `{{ event.properties.cart_id }}`). */
  body: z.record(z.string(), z.unknown()).optional(),
  next: NodeId,
})
export type WebhookNode = z.infer<typeof WebhookNode>

export const ExitNode = z.strictObject({ id: NodeId, type: z.literal('exit') })
export type ExitNode = z.infer<typeof ExitNode>

export const NODE_TYPES = ['delay', 'wait_for_event', 'condition', 'random_split', 'send', 'update_trait', 'webhook', 'exit'] as const

export const JourneyNode = z.discriminatedUnion('type', [DelayNode, WaitForEventNode, ConditionNode, RandomSplitNode, SendNode, UpdateTraitNode, WebhookNode, ExitNode])
export type JourneyNode = z.infer<typeof JourneyNode>

/** Entry on an event (with property filters), or on entering an audience. */
export const EntryTrigger = z.union([
  z.strictObject({ event: z.string().min(1), where: z.array(PropertyFilter).default([]) }),
  z.strictObject({ audience: z.string().min(1) }),
])
export type EntryTrigger = z.infer<typeof EntryTrigger>

export const ReentryPolicy = z
  .strictObject({ policy: z.enum(['never', 'always', 'after']), after: Duration.optional() })
  .refine((r) => (r.policy === 'after') === (r.after !== undefined), { error: 're-entry "after" needs a duration in "after" (e.g. "7d"); the other policies take none' })
export type ReentryPolicy = z.infer<typeof ReentryPolicy>

/** A conversion event within a window from entry: counted per node and branch; may end the run. */
export const Goal = z.strictObject({
  event: z.string().min(1),
  where: z.array(PropertyFilter).default([]),
  within: Duration,
  exitOnConversion: z.boolean().default(false),
})
export type Goal = z.infer<typeof Goal>

export const JourneyDefinition = z.strictObject({
  entry: EntryTrigger,
  reentry: ReentryPolicy.default({ policy: 'never' }),
  /** One active run per person (the default); false lets a person be in the journey several times at once. */
  oneRunAtATime: z.boolean().default(true),
  /** Entry events older than this when read are not entered (back-filled history does not trigger journeys). */
  maxEntryLateness: Duration.default('1d'),
  goal: Goal.optional(),
  start: NodeId,
  nodes: z.array(JourneyNode).min(1),
})
export type JourneyDefinition = z.infer<typeof JourneyDefinition>
