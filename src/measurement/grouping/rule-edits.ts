import type { ChannelRule } from './channel-rule.ts'
import type { RuleEdit } from './rule-store.ts'

/**
 * Edits of the ordered rule list, as {@link RuleEdit}s for `editChannelRules`. Positions are
 * 1-based places in the evaluation order; a new rule goes first unless told otherwise, because
 * the defaults end with catch-all rules that would otherwise shadow it.
 */

/** @example await editChannelRules(db, input, insertRule(rule, 3)) */
export function insertRule(rule: ChannelRule, position?: number): RuleEdit<ChannelRule> {
  return (rules) => {
    if (rules.some((r) => r.id === rule.id)) return { kind: 'DuplicateId', message: `a rule with id '${rule.id}' exists; choose another id or change that rule` }
    const at = clampPosition(position ?? 1, rules.length + 1)
    rules.splice(at - 1, 0, rule)
    return { rules, value: rule }
  }
}

/** Replaces the rule with this id (keeping its place unless a position is given). */
export function replaceRule(id: string, rule: ChannelRule, position?: number): RuleEdit<ChannelRule> {
  return (rules) => {
    const index = rules.findIndex((r) => r.id === id)
    if (index < 0) return { kind: 'NotFound', message: `no channel rule '${id}'` }
    if (rule.id !== id && rules.some((r) => r.id === rule.id)) return { kind: 'DuplicateId', message: `a rule with id '${rule.id}' exists` }
    rules.splice(index, 1)
    const at = position === undefined ? index + 1 : clampPosition(position, rules.length + 1)
    rules.splice(at - 1, 0, rule)
    return { rules, value: rule }
  }
}

export function removeRule(id: string): RuleEdit<ChannelRule> {
  return (rules) => {
    const index = rules.findIndex((r) => r.id === id)
    if (index < 0) return { kind: 'NotFound', message: `no channel rule '${id}'` }
    const [removed] = rules.splice(index, 1)
    return { rules, value: removed! }
  }
}

/** The whole list at once, in the order given. */
export function replaceAllRules(next: ChannelRule[]): RuleEdit<ChannelRule[]> {
  return () => ({ rules: next, value: next })
}

function clampPosition(position: number, max: number): number {
  return Math.min(Math.max(1, Math.trunc(position)), max)
}
