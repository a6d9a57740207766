import { z } from 'zod'
import { Stage, toIssues, type InputIssue } from './message-house.ts'
import { LengthUnit } from './text/length.ts'
import { SmsBilling } from './text/sms.ts'

/**
 * A channel profile: the rules copy must follow on one channel (lengths with the channel's own
 * unit, required CTA / link / hashtags, formats it forbids or requires). Every rule has an id so a
 * brand can change or drop it; the shipped defaults are in default-channels.ts.
 */

export const Severity = z.enum(['block', 'warn', 'info'])
export type Severity = z.infer<typeof Severity>

/** A field name, or a prefix ending in `*` (`thing*` matches thing1, thing12 …). */
const FieldSelector = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\*?$/, 'a field name, or a prefix ending in *')

const RegexSource = z.string().min(1).superRefine((source, ctx) => {
  try {
    new RegExp(source, 'u')
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(error as Error).message}` })
  }
})

const ruleBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'rule ids are lower-case words joined by -'),
  stages: z.array(Stage).optional().describe('The rule applies only at these stages; at all when absent.'),
  source: z.string().optional().describe('Where the limit comes from (a platform document, a law).'),
}

export const LengthRule = z
  .object({
    ...ruleBase,
    kind: z.literal('length'),
    fields: z.array(FieldSelector).min(1).describe('Measured together, joined without separator.'),
    unit: LengthUnit,
    min: z.number().positive().optional().describe('Below: block.'),
    max: z.number().positive().optional().describe('Above: block.'),
    recommended: z.number().positive().optional().describe('Above: warn (e.g. the visible part of a post).'),
  })
  .refine((r) => r.min !== undefined || r.max !== undefined || r.recommended !== undefined, {
    message: 'a length rule needs min, max or recommended',
  })

export const SmsSegmentsRule = z.object({
  ...ruleBase,
  kind: z.literal('sms-segments'),
  fields: z.array(FieldSelector).min(1),
  billing: SmsBilling.default('gsm'),
  maxSegments: z.number().int().positive().optional().describe('Above: block.'),
  recommendedSegments: z.number().int().positive().optional().describe('Above: warn (each part is billed).'),
})

export const RequiredFieldRule = z.object({
  ...ruleBase,
  kind: z.literal('required'),
  field: FieldSelector,
  severity: Severity.default('block'),
})

export const CtaRule = z.object({
  ...ruleBase,
  kind: z.literal('cta'),
  severity: Severity.default('warn'),
})

export const LinkRule = z.object({
  ...ruleBase,
  kind: z.literal('link'),
  field: FieldSelector.default('link'),
  /** When true a link must be present (in the field, or written into the text). */
  required: z.boolean().default(true),
  allowedHosts: z.array(z.string().min(1)).optional().describe('e.g. ["chorus.example", "weixin.qq.com"]'),
  severity: Severity.default('block'),
})

export const HashtagRule = z.object({
  ...ruleBase,
  kind: z.literal('hashtags'),
  /** `paired`: #话题# (Weibo); `leading`: #话题 (Douyin, Xiaohongshu). */
  style: z.enum(['paired', 'leading']),
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().positive().optional(),
  severity: Severity.default('warn'),
})

export const PatternRule = z.object({
  ...ruleBase,
  kind: z.literal('pattern'),
  /** `require`: every listed field present must match; `forbid`: no listed field may match. */
  mode: z.enum(['require', 'forbid']),
  fields: z.array(FieldSelector).min(1),
  pattern: RegexSource.describe('A JavaScript regular expression, run with the u flag.'),
  ignoreCase: z.boolean().default(false),
  message: z.string().min(1).describe('What is wrong, said to the writer.'),
  severity: Severity.default('warn'),
})

export const ChannelRule = z.discriminatedUnion('kind', [
  LengthRule,
  SmsSegmentsRule,
  RequiredFieldRule,
  CtaRule,
  LinkRule,
  HashtagRule,
  PatternRule,
])
export type ChannelRule = z.infer<typeof ChannelRule>
export type ChannelRuleInput = z.input<typeof ChannelRule>

export const ChannelProfile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string().min(1),
    /** How many pillars one piece on this channel can carry; the coverage score expects that many. */
    expectedPillars: z.number().int().min(1).max(7).default(1),
    fields: z.array(z.string()).default([]).describe('The fields this channel uses, for editors and docs.'),
    rules: z.array(ChannelRule),
    sources: z.array(z.object({ label: z.string(), url: z.string() })).default([]),
  })
  .superRefine((profile, ctx) => {
    const ids = new Set<string>()
    profile.rules.forEach((rule, i) => {
      if (ids.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${rule.id}" appears twice` })
      ids.add(rule.id)
    })
  })
export type ChannelProfile = z.infer<typeof ChannelProfile>
export type ChannelProfileInput = z.input<typeof ChannelProfile>

export type ChannelProfileResult =
  | { ok: true; profile: ChannelProfile }
  | { ok: false; kind: 'InvalidChannelProfile'; issues: InputIssue[] }

export function parseChannelProfile(input: unknown): ChannelProfileResult {
  const parsed = ChannelProfile.safeParse(input)
  return parsed.success
    ? { ok: true, profile: parsed.data }
    : { ok: false, kind: 'InvalidChannelProfile', issues: toIssues(parsed.error) }
}

/** A brand's edits to a profile: rules to add or replace (by id), rule ids to drop. */
export const ChannelProfileChange = z.object({
  name: z.string().min(1).optional(),
  expectedPillars: z.number().int().min(1).max(7).optional(),
  upsert: z.array(z.unknown()).default([]),
  remove: z.array(z.string()).default([]),
})
export type ChannelProfileChange = z.input<typeof ChannelProfileChange>

/**
 * Applies a brand's edits to a profile and validates the result.
 *
 * @example
 * const result = customiseChannelProfile(DEFAULT_CHANNEL_PROFILES['xiaohongshu-note'], {
 *   upsert: [{ id: 'body-length', kind: 'length', fields: ['body'], unit: 'chars', max: 800 }],
 *   remove: ['hashtags'],
 * })
 */
export function customiseChannelProfile(base: ChannelProfile, change: ChannelProfileChange): ChannelProfileResult {
  const parsedChange = ChannelProfileChange.safeParse(change)
  if (!parsedChange.success) return { ok: false, kind: 'InvalidChannelProfile', issues: toIssues(parsedChange.error) }
  const { upsert, remove, name, expectedPillars } = parsedChange.data
  const unknownIds = remove.filter((id) => !base.rules.some((rule) => rule.id === id))
  if (unknownIds.length > 0) {
    return {
      ok: false,
      kind: 'InvalidChannelProfile',
      issues: unknownIds.map((id) => ({ path: 'remove', message: `profile ${base.id} has no rule "${id}"` })),
    }
  }
  const rules: unknown[] = base.rules.filter((rule) => !remove.includes(rule.id))
  for (const rule of upsert) {
    const id = (rule as { id?: unknown }).id
    const at = rules.findIndex((existing) => (existing as { id: string }).id === id)
    if (at >= 0) rules[at] = rule
    else rules.push(rule)
  }
  return parseChannelProfile({ ...base, name: name ?? base.name, expectedPillars: expectedPillars ?? base.expectedPillars, rules })
}

/** Whether a field name is selected by a rule's field selector. */
export function fieldMatches(selector: string, field: string): boolean {
  if (!selector.endsWith('*')) return selector === field
  const prefix = selector.slice(0, -1)
  return field.startsWith(prefix) && /^\d*$/.test(field.slice(prefix.length))
}
