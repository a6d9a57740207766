import { locate, type CheckItem, type Fact } from '../report.ts'
import type { VariantText } from '../variant.ts'

/**
 * Cross-variant contradictions: two variants of one campaign that state different prices, dates,
 * discounts or thresholds. Mentioning less is not contradicting — a variant that gives only the
 * sale price (¥199) agrees with one that gives both (原价¥299, ¥199) — so a contradiction is two
 * sets of values where neither contains the other.
 *
 * Differing prices, discounts or thresholds block: a customer who sees two prices for one offer is
 * the 价格欺诈 case of 《明码标价和禁止价格欺诈规定》 (2022). Differing dates warn: campaigns do run in
 * phases (预售 10.20, 正式 11.11), so a person decides.
 */

export interface VariantFacts {
  id: string
  facts: Fact[]
  texts: readonly VariantText[]
}

const KINDS = ['price', 'discount', 'threshold', 'date'] as const
const LABEL: Record<Fact['kind'], string> = { price: 'price', discount: 'discount', threshold: 'spend-and-save offer', date: 'date' }

/** 11-11 equals 2026-11-11 (a year left out is not a different day); 2025-11-11 does not. */
function same(kind: Fact['kind'], a: string, b: string): boolean {
  if (a === b) return true
  if (kind !== 'date') return false
  return a.slice(-5) === b.slice(-5) && (a.length === 5 || b.length === 5)
}

function contains(kind: Fact['kind'], outer: readonly string[], inner: readonly string[]): boolean {
  return inner.every((b) => outer.some((a) => same(kind, a, b)))
}

/**
 * Reports every pair of disagreeing value sets. Variants stating the same set are grouped, so a
 * campaign of fifty variants with one stray price yields one item, naming all fifty.
 *
 * @example
 * findContradictions([
 *   { id: 'wechat', facts: extractFacts(a), texts: a },
 *   { id: 'sms', facts: extractFacts(b), texts: b },
 * ])
 * // [{ code: 'contradiction.price', what: 'price differs: "wechat" says ¥199 (CNY 199.00); "sms" says 179元 (CNY 179.00)', … }]
 */
export function findContradictions(variants: readonly VariantFacts[]): CheckItem[] {
  const items: CheckItem[] = []
  for (const kind of KINDS) {
    const groups = new Map<string, { values: string[]; members: VariantFacts[] }>()
    for (const variant of variants) {
      const values = [...new Set(variant.facts.filter((f) => f.kind === kind).map((f) => f.value))].sort()
      if (values.length === 0) continue
      const key = values.join('|')
      const group = groups.get(key) ?? { values, members: [] }
      group.members.push(variant)
      groups.set(key, group)
    }
    const list = [...groups.values()]
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!
        const b = list[j]!
        if (contains(kind, a.values, b.values) || contains(kind, b.values, a.values)) continue
        items.push(describe(kind, a, b))
      }
    }
  }
  return items
}

function describe(
  kind: Fact['kind'],
  a: { values: string[]; members: VariantFacts[] },
  b: { values: string[]; members: VariantFacts[] },
): CheckItem {
  const first = (group: typeof a) => group.members[0]!
  const stated = (group: typeof a) => {
    const variant = first(group)
    const facts = variant.facts.filter((f) => f.kind === kind)
    const others = group.members.length > 1 ? ` (and ${group.members.length - 1} more)` : ''
    return `"${variant.id}"${others} says ${facts.map((f) => `${f.text} (${f.value})`).join(', ')}`
  }
  const onlyIn = (group: typeof a, other: typeof a) => group.values.filter((v) => !other.values.some((o) => same(kind, v, o)))
  const where = [a, b].flatMap((group) => {
    const variant = first(group)
    const other = group === a ? b : a
    const differing = new Set(onlyIn(group, other))
    return variant.facts
      .filter((f) => f.kind === kind && differing.has(f.value))
      .map((f) => {
        const text = variant.texts.find((t) => t.field === f.field)?.text ?? f.text
        return locate(f.field, text, f.start, f.end, variant.id)
      })
  })
  return {
    check: 'contradiction',
    code: `contradiction.${kind}`,
    severity: kind === 'date' ? 'warn' : 'block',
    what: `${LABEL[kind]} differs: ${stated(a)}; ${stated(b)}`,
    why:
      kind === 'date'
        ? 'Variants of one campaign give different dates; fine for planned phases, confusing otherwise.'
        : 'Variants of one campaign state a different offer; a customer who meets both sees two prices for one offer (价格欺诈 risk under 《明码标价和禁止价格欺诈规定》).',
    where,
    data: {
      kind,
      variantsA: a.members.map((v) => v.id),
      valuesA: a.values,
      variantsB: b.members.map((v) => v.id),
      valuesB: b.values,
    },
  }
}
