import { z } from 'zod'
import { ChannelGroup } from './channel-group.ts'
import { FACT_FIELDS } from './touch-facts.ts'

/**
 * One test on a touch's facts:
 *
 * | op | holds when |
 * |---|---|
 * | `in` | the fact equals one of `values` (ignoring case) |
 * | `not_in` | the fact is absent or equals none of `values` |
 * | `matches` | the fact matches one of the regular expressions in `values` (ignoring case) |
 * | `domain` | the fact is one of the domains in `values` or a subdomain of one (`m.baidu.com` is in `baidu.com`) |
 * | `exists` / `absent` | the fact has a value / has none |
 *
 * @example
 * RuleCondition.parse({ field: 'medium', op: 'matches', values: ['^(cpc|ppc)$'] })
 */
export const RuleCondition = z
  .object({
    field: z.enum(FACT_FIELDS).describe('Which fact of the touch to test'),
    op: z.enum(['in', 'not_in', 'matches', 'domain', 'exists', 'absent']),
    values: z.array(z.string().min(1).max(500)).max(500).optional(),
  })
  .superRefine((condition, ctx) => {
    const needsValues = condition.op !== 'exists' && condition.op !== 'absent'
    if (needsValues && (!condition.values || condition.values.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `op '${condition.op}' needs at least one value` })
    }
    if (condition.op === 'matches') {
      for (const [i, pattern] of (condition.values ?? []).entries()) {
        try {
          new RegExp(pattern, 'iu')
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: ['values', i], message: `not a valid regular expression: ${(error as Error).message}` })
        }
      }
    }
  })
export type RuleCondition = z.infer<typeof RuleCondition>

/** Placeholders a channel name may use: `{source}` becomes the touch's UTM source, and so on. */
export const CHANNEL_PLACEHOLDERS = ['source', 'medium', 'referrer', 'messageChannel', 'propertyChannel', 'scene'] as const
export type ChannelPlaceholder = (typeof CHANNEL_PLACEHOLDERS)[number]

const RuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.:-]{0,79}$/, 'a rule id is 1–80 lower-case letters, digits, and _ . : - (starting with a letter or digit)')

/**
 * A channel rule: when every condition holds (an empty list always holds), the touch belongs to
 * `channel` in `group` — or, with `exclude`, is not a touchpoint at all (payment pages and other
 * referrers that only interrupt a visit, Google Analytics' "unwanted referrals").
 *
 * `channel` may contain placeholders (`{source}`, `{medium}`, `{referrer}`, `{messageChannel}`,
 * `{propertyChannel}`, `{scene}`); they are filled with the fact, lower-cased, spaces and slashes
 * turned into `_`, and a rule whose placeholder has no value does not match.
 *
 * @example
 * ChannelRule.parse({
 *   id: 'kol-notes', name: 'Our KOL short links',
 *   when: [{ field: 'source', op: 'in', values: ['kol_xhs'] }],
 *   channel: 'xiaohongshu', group: 'paid_social',
 * })
 */
export const ChannelRule = z
  .object({
    id: RuleId,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    when: z.array(RuleCondition).max(50).default([]),
    exclude: z.boolean().default(false),
    channel: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[^\s]+$/, 'a channel name has no spaces')
      .optional(),
    group: ChannelGroup.optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.exclude) return
    if (!rule.channel) ctx.addIssue({ code: 'custom', path: ['channel'], message: 'a rule that does not exclude needs a channel' })
    if (!rule.group) ctx.addIssue({ code: 'custom', path: ['group'], message: 'a rule that does not exclude needs a group' })
    for (const match of rule.channel?.matchAll(/\{([^}]*)\}/g) ?? []) {
      if (!(CHANNEL_PLACEHOLDERS as readonly string[]).includes(match[1]!)) {
        ctx.addIssue({ code: 'custom', path: ['channel'], message: `unknown placeholder {${match[1]}}; use one of ${CHANNEL_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` })
      }
    }
  })
export type ChannelRule = z.infer<typeof ChannelRule>
export type ChannelRuleInput = z.input<typeof ChannelRule>

/** What a rule decided about a touch. */
export type ChannelAssignment =
  | { kind: 'assigned'; channel: string; group: ChannelGroup; ruleId: string }
  | { kind: 'excluded'; ruleId: string }
