import { ChannelRule, CHANNEL_PLACEHOLDERS, type ChannelAssignment, type ChannelPlaceholder, type RuleCondition } from './channel-rule.ts'
import { factValues, type FactField, type TouchFacts } from './touch-facts.ts'

type Test = (facts: TouchFacts) => boolean

interface CompiledRule {
  rule: ChannelRule
  tests: Test[]
  placeholders: ChannelPlaceholder[]
}

/** Above this many distinct fact combinations the memo starts over, so memory stays bounded. */
const MEMO_LIMIT = 200_000

/**
 * Ordered channel rules, compiled once: the first rule whose conditions all hold decides. Results
 * are memoised on the facts the rules actually read (a log has few distinct combinations of
 * source, medium, referrer and scene), so classifying millions of touches costs a map lookup each.
 *
 * @example
 * const classifier = new ChannelClassifier(defaultChannelRules())
 * classifier.classify({ ...facts, source: 'douyin', medium: 'paid_video' })
 * // { kind: 'assigned', channel: 'douyin', group: 'paid_social', ruleId: 'utm-douyin-paid' }
 */
export class ChannelClassifier {
  readonly #rules: CompiledRule[]
  readonly #keyFields: FactField[]
  readonly #memo = new Map<string, ChannelAssignment | null>()

  constructor(rules: readonly ChannelRule[]) {
    this.#rules = rules.map((rule) => compileRule(ChannelRule.parse(rule)))
    const fields = new Set<FactField>()
    for (const { rule, placeholders } of this.#rules) {
      for (const condition of rule.when) fields.add(condition.field)
      for (const p of placeholders) fields.add(p)
    }
    this.#keyFields = [...fields]
  }

  /** The channel of a touch, `excluded`, or `null` when no rule matches. */
  classify(facts: TouchFacts): ChannelAssignment | null {
    let key = ''
    for (const field of this.#keyFields) key += `${field === 'clickId' ? facts.clickIds.join('\u0002') : field === 'origin' ? facts.origin : (facts[field] ?? '')}\u0001`
    const known = this.#memo.get(key)
    if (known !== undefined) return known
    const result = this.#evaluate(facts)
    if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear()
    this.#memo.set(key, result)
    return result
  }

  #evaluate(facts: TouchFacts): ChannelAssignment | null {
    for (const { rule, tests, placeholders } of this.#rules) {
      if (!tests.every((test) => test(facts))) continue
      if (rule.exclude) return { kind: 'excluded', ruleId: rule.id }
      let channel = rule.channel!
      let filled = true
      for (const p of placeholders) {
        const value = factValues(facts, p)[0]
        if (value === undefined) {
          filled = false
          break
        }
        channel = channel.replaceAll(`{${p}}`, channelSlug(p === 'referrer' ? value.replace(/^www\./, '') : value))
      }
      if (!filled || channel === '') continue
      return { kind: 'assigned', channel, group: rule.group!, ruleId: rule.id }
    }
    return null
  }
}

/** A fact as part of a channel name: lower-case, spaces and slashes as `_`. */
export function channelSlug(value: string): string {
  return value.trim().toLowerCase().replace(/[\s/\\|,>]+/g, '_')
}

function compileRule(rule: ChannelRule): CompiledRule {
  const placeholders = CHANNEL_PLACEHOLDERS.filter((p) => rule.channel?.includes(`{${p}}`))
  return { rule, tests: rule.when.map(compileCondition), placeholders }
}

function compileCondition(condition: RuleCondition): Test {
  const field = condition.field
  const values = condition.values ?? []
  switch (condition.op) {
    case 'exists':
      return (facts) => factValues(facts, field).length > 0
    case 'absent':
      return (facts) => factValues(facts, field).length === 0
    case 'in': {
      const wanted = new Set(values.map((v) => v.toLowerCase()))
      return (facts) => factValues(facts, field).some((v) => wanted.has(v.toLowerCase()))
    }
    case 'not_in': {
      const unwanted = new Set(values.map((v) => v.toLowerCase()))
      return (facts) => !factValues(facts, field).some((v) => unwanted.has(v.toLowerCase()))
    }
    case 'matches': {
      const patterns = values.map((p) => new RegExp(p, 'iu'))
      return (facts) => factValues(facts, field).some((v) => patterns.some((p) => p.test(v)))
    }
    case 'domain': {
      const domains = values.map((d) => d.toLowerCase().replace(/^\.+/, ''))
      return (facts) => factValues(facts, field).some((v) => inDomains(v.toLowerCase(), domains))
    }
  }
}

function inDomains(host: string, domains: readonly string[]): boolean {
  for (const d of domains) if (host === d || host.endsWith(`.${d}`)) return true
  return false
}
