import { z } from 'zod'

/**
 * Per-workspace identity resolution rules. Priority decides which identifier wins when two
 * profiles cannot be merged; limits stop one profile from collecting identifiers that must
 * belong to different people (two user ids); blocked values are placeholders that SDKs and
 * exports emit when they have no real id.
 */
export const IdentityRules = z.object({
  /** Identifier types from most to least trusted; types not listed rank after these. */
  priority: z.array(z.string().min(1)).min(1),
  /** Maximum distinct values of a type on one profile. */
  limits: z.record(z.string(), z.number().int().min(1).max(1000)),
  /** Limit for types not in `limits`. */
  defaultLimit: z.number().int().min(1).max(1000),
  /** Exact values (case-insensitive) that never link anything. */
  blockedValues: z.array(z.string()),
  /** Regular expressions (source text) for values that never link anything. */
  blockedPatterns: z.array(z.string()).refine((patterns) => patterns.every(isValidRegExp), 'every blocked pattern must be a valid regular expression'),
  /** Country calling code used when a phone number has none. */
  defaultCountryCode: z.string().regex(/^\d{1,3}$/),
})
export type IdentityRules = z.infer<typeof IdentityRules>

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source)
    return true
  } catch {
    return false
  }
}

export const DEFAULT_IDENTITY_RULES: IdentityRules = {
  priority: ['user_id', 'wechat_unionid', 'phone', 'email', 'wechat_openid', 'device_id', 'anonymous_id'],
  limits: { user_id: 1, wechat_unionid: 1 },
  defaultLimit: 5,
  blockedValues: ['', 'null', 'undefined', 'nil', 'none', 'nan', '0', '-1', 'anonymous', 'guest', 'unknown', 'n/a', 'na', 'test', '[object object]', 'false', 'true'],
  blockedPatterns: ['^[0-]*$', '^(.)\\1{5,}$'],
  defaultCountryCode: '86',
}

/** Rules with their patterns compiled once, for the hot path. */
export class CompiledRules {
  readonly rules: IdentityRules
  readonly #blocked: Set<string>
  readonly #patterns: RegExp[]
  readonly #rank: Map<string, number>

  constructor(rules: IdentityRules) {
    this.rules = rules
    this.#blocked = new Set(rules.blockedValues.map((v) => v.toLowerCase()))
    this.#patterns = rules.blockedPatterns.map((p) => new RegExp(p, 'i'))
    this.#rank = new Map(rules.priority.map((type, i) => [type, i]))
  }

  isBlocked(value: string): boolean {
    if (this.#blocked.has(value.toLowerCase())) return true
    return this.#patterns.some((p) => p.test(value))
  }

  rank(type: string): number {
    return this.#rank.get(type) ?? this.rules.priority.length
  }

  limit(type: string): number {
    return this.rules.limits[type] ?? this.rules.defaultLimit
  }
}
