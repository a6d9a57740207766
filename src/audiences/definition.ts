import { z } from 'zod'
import { CHANNELS, type Channel } from '../channels/index.ts'
import { Duration, IsoDate } from './time-values.ts'

/**
 * The audience definition language: one JSON condition, nested with `all` / `any` / `not`. Each
 * leaf kind has its own schema here; `parse-definition.ts` picks the schema by the leaf's key and
 * reports every problem with its path. The language is documented, with examples, in
 * docs/audiences.md.
 */

const SEGMENT = String.raw`\$?[\p{L}\p{N}_-]{1,64}`
const PATH = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT}){0,4}$`, 'u')

/**
 * A trait or property path: names joined by dots, e.g. `address.city` or Sensors' `$city`. Only
 * letters, digits, `_`, `-` and a leading `$` are allowed, so a path can never carry SQL or JSON
 * path syntax (it is bound as a parameter as well).
 */
export const FieldPath = z
  .string({ error: 'expected a name such as "plan" or "address.city"' })
  .regex(PATH, { error: 'expected names joined by dots, e.g. "address.city": letters, digits, _ and - (a leading $ is allowed), at most 5 levels of 64 characters' })

export const EventName = z
  .string({ error: 'expected an event name such as "Order Completed"' })
  .min(1, { error: 'the event name is empty' })
  .max(200, { error: 'an event name is at most 200 characters' })
  .refine((name) => !/[\u0000-\u001f]/.test(name), { error: 'an event name may not contain control characters' })

const Scalar = z.union([z.string().max(1000), z.number(), z.boolean()], { error: 'expected a string, number or boolean' })
const ListItem = z.union([z.string().max(1000), z.number()], { error: 'expected a string or number' })
const Needle = z.union([z.string().min(1).max(1000), z.number()], { error: 'expected a non-empty string or a number' })
const Between = z
  .union([z.tuple([z.number(), z.number()]), z.tuple([IsoDate, IsoDate])], { error: 'expected [low, high]: two numbers, or two ISO dates' })
  .refine(([low, high]) => (typeof low === 'number' ? low <= (high as number) : Date.parse(low) <= Date.parse(high as string)), {
    error: 'the low end of between is above the high end',
  })

/** The comparisons a trait or an event property can be tested with, by `op`. */
function comparisons<S extends Record<string, z.ZodType>>(shape: S) {
  return z.discriminatedUnion(
    'op',
    [
      z.strictObject({ ...shape, op: z.enum(['equals', 'not_equals']), value: Scalar }),
      z.strictObject({ ...shape, op: z.enum(['in', 'not_in']), value: z.array(ListItem, { error: 'expected a list of strings or numbers' }).min(1).max(1000) }),
      z.strictObject({ ...shape, op: z.enum(['contains', 'not_contains', 'starts_with']), value: Needle }),
      z.strictObject({ ...shape, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number({ error: 'expected a number' }) }),
      z.strictObject({ ...shape, op: z.literal('between'), value: Between }),
      z.strictObject({ ...shape, op: z.enum(['exists', 'not_exists']) }),
      z.strictObject({ ...shape, op: z.enum(['before', 'after']), value: IsoDate }),
      z.strictObject({ ...shape, op: z.enum(['within_last', 'within_next']), value: Duration }),
    ],
    { error: 'unknown op: use equals, not_equals, in, not_in, contains, not_contains, starts_with, gt, gte, lt, lte, between, exists, not_exists, before, after, within_last or within_next' },
  )
}

/** `{ "trait": "plan", "op": "equals", "value": "pro" }` — a trait of the person's profile. */
export const TraitCondition = comparisons({ trait: FieldPath })
export type TraitCondition = z.infer<typeof TraitCondition>

/** `{ "property": "total", "op": "gte", "value": 300 }` — a property of an event. */
export const PropertyCondition = comparisons({ property: FieldPath })
export type PropertyCondition = z.infer<typeof PropertyCondition>

export type ComparisonOp = TraitCondition['op']

export const CountOp = z.enum(['=', '!=', '>', '>=', '<', '<='], { error: 'expected one of =, !=, >, >=, <, <=' })
export type CountOp = z.infer<typeof CountOp>

const DateRange = z
  .strictObject({ from: IsoDate, to: IsoDate })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { error: '"from" must be before "to"' })

const eventWindow = {
  event: EventName,
  where: z.array(PropertyCondition).max(20, { error: 'at most 20 property conditions' }).optional(),
  within: Duration.optional(),
  between: DateRange.optional(),
}
const oneWindow = { error: 'give either "within" (a relative window) or "between" (dates), not both' }

/**
 * `{ "performed": { "event": "Order Completed", "where": [...], "count": { "op": ">=", "value": 2 }, "within": "30d" } }`
 * Counts the person's matching events (1 or more when `count` is absent).
 */
export const PerformedCondition = z.strictObject({
  performed: z
    .strictObject({ ...eventWindow, count: z.strictObject({ op: CountOp, value: z.number().int().min(0).max(1_000_000) }).optional() })
    .refine((p) => !(p.within && p.between), oneWindow),
})
export type PerformedCondition = z.infer<typeof PerformedCondition>

/** `{ "notPerformed": { "event": "Order Completed", "within": "30d" } }` — no matching event. */
export const NotPerformedCondition = z.strictObject({
  notPerformed: z.strictObject(eventWindow).refine((p) => !(p.within && p.between), oneWindow),
})
export type NotPerformedCondition = z.infer<typeof NotPerformedCondition>

/** `{ "lastPerformed": { "event": "Order Completed", "where": [...] } }` — tests the latest such event. */
export const LastPerformedCondition = z.strictObject({
  lastPerformed: z.strictObject({ event: EventName, where: eventWindow.where, within: Duration.optional() }),
})
export type LastPerformedCondition = z.infer<typeof LastPerformedCondition>

const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code such as "CNY"' })
  .refine((code) => Intl.supportedValuesOf('currency').includes(code), { error: 'unknown ISO 4217 currency code' })

/**
 * A value computed from the log: `order_count` and `lifetime_revenue` (in major units of
 * `currency`, the workspace currency by default) over an optional window, or
 * `days_since_last_order` (recency).
 */
export const ComputedCondition = z
  .strictObject({
    computed: z.enum(['order_count', 'lifetime_revenue', 'days_since_last_order'], { error: 'expected order_count, lifetime_revenue or days_since_last_order' }),
    op: CountOp,
    value: z.number({ error: 'expected a number' }).min(0, { error: 'expected a number of 0 or more' }),
    within: Duration.optional(),
    currency: Currency.optional(),
  })
  .refine((c) => !(c.computed === 'days_since_last_order' && c.within), { error: 'days_since_last_order looks at every order; "within" does not apply', path: ['within'] })
  .refine((c) => !(c.currency && c.computed !== 'lifetime_revenue'), { error: '"currency" applies to lifetime_revenue only', path: ['currency'] })
  .refine((c) => c.computed === 'lifetime_revenue' || Number.isInteger(c.value), { error: 'expected a whole number', path: ['value'] })
export type ComputedCondition = z.infer<typeof ComputedCondition>

const CutPoints = z
  .array(z.number().min(0), { error: 'expected four ascending numbers' })
  .length(4, { error: 'expected exactly four cut points (they split scores 1 to 5)' })
  .refine((cuts) => cuts.every((c, i) => i === 0 || c > cuts[i - 1]!), { error: 'cut points must be strictly ascending' })

/** Fixed RFM cut points when a definition gives none. */
export const RFM_DEFAULTS = { window: '365d', recency: [30, 60, 90, 180], frequency: [2, 3, 5, 8], monetary: [200, 500, 1000, 3000] } as const

/**
 * `{ "rfm": { ... }, "part": "score", "op": ">=", "value": 12 }` — recency, frequency and
 * monetary scores of 1–5 from fixed cut points over a window; `score` is their sum (3–15).
 */
export const RfmCondition = z.strictObject({
  rfm: z.strictObject({
    window: Duration.optional(),
    recency: CutPoints.optional(),
    frequency: CutPoints.optional(),
    monetary: CutPoints.optional(),
    currency: Currency.optional(),
  }),
  part: z.enum(['score', 'recency', 'frequency', 'monetary'], { error: 'expected score, recency, frequency or monetary' }).optional(),
  op: CountOp,
  value: z.number().int({ error: 'expected a whole-number score' }).min(0).max(15),
})
export type RfmCondition = z.infer<typeof RfmCondition>

const ChannelName = z.string().min(1).max(100).transform((c) => c.toLowerCase())

/** `{ "channel": { "in": ["wechat", "douyin"], "within": "30d" } }` — came through one of these channels. */
export const ChannelCondition = z.strictObject({
  channel: z
    .strictObject({ in: z.array(ChannelName).min(1).max(100), within: Duration.optional(), first: z.boolean().optional() })
    .refine((c) => !(c.first && c.within), { error: '"first" looks at the first channel ever; "within" does not apply' }),
})
export type ChannelCondition = z.infer<typeof ChannelCondition>

/**
 * `{ "consent": { "channel": "email", "state": "subscribed" } }` — the person's consent for a
 * channel, as the channels module keeps it: `subscribed`, `unsubscribed`, or `unknown` (never
 * said, which includes having no consent row at all).
 */
export const ConsentCondition = z.strictObject({
  consent: z.strictObject({
    channel: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { error: 'expected a channel name such as "email", "sms" or "wechat"' }),
    state: z.enum(['subscribed', 'unsubscribed', 'unknown'], { error: 'expected subscribed, unsubscribed or unknown' }),
  }),
})
export type ConsentCondition = z.infer<typeof ConsentCondition>

/**
 * `{ "reachable": "sms" }` — a channel could reach the person with a marketing message: they have
 * the address the channel needs (the identifier types the channels module reads for it, the
 * workspace's provider deciding), are not marked do-not-contact, have not unsubscribed from the
 * channel, and have opted in where the workspace requires it.
 */
export const ReachableCondition = z.strictObject({
  reachable: z.enum(CHANNELS as [Channel, ...Channel[]], {
    error: (issue) => `unknown channel ${JSON.stringify(issue.input)}: use ${CHANNELS.join(', ')}`,
  }),
})
export type ReachableCondition = z.infer<typeof ReachableCondition>

/** `{ "audience": "aud_…" }` — a member of another audience of the workspace. */
export const AudienceCondition = z.strictObject({
  audience: z.string().regex(/^aud_[0-9a-z]{1,40}$/, { error: 'expected an audience id such as "aud_01jd…"' }),
})
export type AudienceCondition = z.infer<typeof AudienceCondition>

const Percent = z.number().min(0).max(100).refine((p) => Math.round(p * 100) === p * 100, { error: 'at most two decimals' })

/**
 * `{ "random": { "seed": "spring-holdout", "percent": [0, 10] } }` — a stable pseudo-random 10%
 * of people: the bucket is a hash of the profile id and the seed, so it never changes and two
 * seeds split people independently.
 */
export const RandomCondition = z.strictObject({
  random: z.strictObject({
    seed: z.string().min(1).max(100),
    percent: z.tuple([Percent, Percent], { error: 'expected [from, to] percentages, e.g. [0, 10]' }).refine(([from, to]) => from < to, { error: '"from" must be below "to"' }),
  }),
})
export type RandomCondition = z.infer<typeof RandomCondition>

export interface AllCondition {
  all: Condition[]
}
export interface AnyCondition {
  any: Condition[]
}
export interface NotCondition {
  not: Condition
}

export type Condition =
  | AllCondition
  | AnyCondition
  | NotCondition
  | TraitCondition
  | PerformedCondition
  | NotPerformedCondition
  | LastPerformedCondition
  | ComputedCondition
  | RfmCondition
  | ChannelCondition
  | ConsentCondition
  | ReachableCondition
  | AudienceCondition
  | RandomCondition

/** The key that names a condition's kind, and the schema its leaf is checked with. */
export const LEAF_SCHEMAS = {
  trait: TraitCondition,
  performed: PerformedCondition,
  notPerformed: NotPerformedCondition,
  lastPerformed: LastPerformedCondition,
  computed: ComputedCondition,
  rfm: RfmCondition,
  channel: ChannelCondition,
  consent: ConsentCondition,
  reachable: ReachableCondition,
  audience: AudienceCondition,
  random: RandomCondition,
} as const

export const GROUP_KINDS = ['all', 'any', 'not'] as const
export type LeafKind = keyof typeof LEAF_SCHEMAS
export const CONDITION_KINDS = [...GROUP_KINDS, ...(Object.keys(LEAF_SCHEMAS) as LeafKind[])]
