import { fieldMatches, type ChannelProfile, type ChannelRule } from '../channel-profile.ts'
import { locate, type CheckItem, type Location } from '../report.ts'
import { measureLength, offsetAtLength, type LengthUnit } from '../text/length.ts'
import { countSmsSegments } from '../text/sms.ts'
import { bareHashtag, type Variant, type VariantText } from '../variant.ts'

/**
 * Channel rule compliance: lengths in the channel's own unit, SMS segments, required fields,
 * CTA, link and hashtags, and formats the channel requires or forbids.
 */

export interface CompiledChannelProfile {
  profile: ChannelProfile
  patterns: Map<string, RegExp>
}

/** Compiles a profile's patterns once (they are validated when the profile is parsed). */
export function compileChannelProfile(profile: ChannelProfile): CompiledChannelProfile {
  const patterns = new Map<string, RegExp>()
  for (const rule of profile.rules) {
    if (rule.kind === 'pattern') patterns.set(rule.id, new RegExp(rule.pattern, rule.ignoreCase ? 'giu' : 'gu'))
  }
  return { profile, patterns }
}

const UNIT_NAME: Record<LengthUnit, string> = {
  chars: 'characters',
  units: 'units (a Chinese character 1, an ASCII character ½)',
  bytes: 'bytes (a Chinese or full-width character 2, ASCII 1)',
}
const URL_IN_TEXT = /(?:https?:\/\/|www\.)[^\s，。！？、）)】]+/i

/** The non-empty fields a rule's selectors pick, in selector order, then field order. */
function select(selectors: readonly string[], variant: Variant): VariantText[] {
  const out: VariantText[] = []
  for (const selector of selectors) {
    for (const [field, text] of Object.entries(variant.fields)) {
      if (fieldMatches(selector, field) && text.trim() !== '' && !out.some((o) => o.field === field)) out.push({ field, text })
    }
  }
  return out
}

/** Locates a stretch of text that spans joined fields, in the field where it starts. */
function locateInParts(parts: readonly VariantText[], offset: number, length: number): Location | null {
  let base = 0
  for (const part of parts) {
    if (offset < base + part.text.length) {
      const start = offset - base
      return locate(part.field, part.text, start, Math.min(part.text.length, start + length))
    }
    base += part.text.length
  }
  return null
}

/** Where a group of fields passes `limit`: from that point to the end of the field. */
function overflowAt(parts: readonly VariantText[], unit: LengthUnit, limit: number): Location[] {
  let used = 0
  for (const part of parts) {
    const length = measureLength(part.text, unit)
    if (used + length > limit) {
      const start = offsetAtLength(part.text, unit, limit - used)
      return [locate(part.field, part.text, start, part.text.length)]
    }
    used += length
  }
  return []
}

function item(rule: ChannelRule, profile: ChannelProfile, code: string, severity: CheckItem['severity'], what: string, where: Location[], data?: Record<string, unknown>): CheckItem {
  const why = rule.source ? `${profile.name}, rule "${rule.id}": ${rule.source}.` : `${profile.name}, rule "${rule.id}".`
  return { check: 'channel', code: `channel.${code}`, severity, what, why, where, ...(data ? { data } : {}) }
}

function checkLength(rule: Extract<ChannelRule, { kind: 'length' }>, profile: ChannelProfile, variant: Variant): CheckItem[] {
  const selected = select(rule.fields, variant)
  if (selected.length === 0) return []
  // A wildcard (thing*) measures each field on its own; named fields are measured together.
  const groups = rule.fields.some((f) => f.endsWith('*')) ? selected.map((s) => [s]) : [selected]
  const items: CheckItem[] = []
  for (const parts of groups) {
    const length = parts.reduce((sum, part) => sum + measureLength(part.text, rule.unit), 0)
    const name = parts.map((p) => p.field).join(' + ')
    const data = { fields: parts.map((p) => p.field), unit: rule.unit, length, min: rule.min, max: rule.max, recommended: rule.recommended }
    const unit = UNIT_NAME[rule.unit]
    if (rule.max !== undefined && length > rule.max) {
      items.push(item(rule, profile, 'length.max', 'block', `${name} is ${length} ${unit}; at most ${rule.max} allowed`, overflowAt(parts, rule.unit, rule.max), data))
    } else if (rule.recommended !== undefined && length > rule.recommended) {
      items.push(item(rule, profile, 'length.recommended', 'warn', `${name} is ${length} ${unit}; ${rule.recommended} or fewer recommended`, overflowAt(parts, rule.unit, rule.recommended), data))
    }
    if (rule.min !== undefined && length < rule.min) {
      items.push(item(rule, profile, 'length.min', 'block', `${name} is ${length} ${unit}; at least ${rule.min} needed`, [], data))
    }
  }
  return items
}

function checkSegments(rule: Extract<ChannelRule, { kind: 'sms-segments' }>, profile: ChannelProfile, variant: Variant): CheckItem[] {
  const parts = select(rule.fields, variant)
  if (parts.length === 0) return []
  const count = countSmsSegments(parts.map((p) => p.text).join(''), { billing: rule.billing })
  const data = { encoding: count.encoding, length: count.length, segments: count.segments, perSegment: count.perSegment, billing: rule.billing }
  const describe = `${count.length} ${count.encoding === 'gsm-7' ? 'GSM-7 septets' : 'characters (UCS-2)'}: ${count.segments} segment${count.segments === 1 ? '' : 's'} of up to ${count.perSegment}`
  // A few stray characters (a curly quote in English copy) halving the capacity are worth showing.
  const culprits = count.nonGsm.length > 0 && count.nonGsm.length <= 3
    ? count.nonGsm.map((c) => locateInParts(parts, c.offset, c.char.length)).filter((l): l is Location => l !== null)
    : []
  if (rule.maxSegments !== undefined && count.segments > rule.maxSegments) {
    return [item(rule, profile, 'sms.segments.max', 'block', `the message is ${describe}; at most ${rule.maxSegments} allowed`, culprits, data)]
  }
  if (rule.recommendedSegments !== undefined && count.segments > rule.recommendedSegments) {
    return [item(rule, profile, 'sms.segments.recommended', 'warn', `the message is ${describe}; each segment is billed`, culprits, data)]
  }
  return [item(rule, profile, 'sms.segments', 'info', `the message is ${describe}`, [], data)]
}

function inlineHashtags(variant: Variant, style: 'paired' | 'leading'): { tags: string[]; unclosed: Location[] } {
  const tags: string[] = []
  const unclosed: Location[] = []
  for (const [field, text] of Object.entries(variant.fields)) {
    if (style === 'paired') {
      for (const m of text.matchAll(/#([^#\n]{1,40}?)#/g)) tags.push(m[1]!.trim())
      const withoutPairs = text.replace(/#[^#\n]{1,40}?#/g, (s) => ' '.repeat(s.length))
      for (const m of withoutPairs.matchAll(/#[^\s#，。！？,.!?]+/g)) unclosed.push(locate(field, text, m.index, m.index + m[0].length))
    } else {
      for (const m of text.matchAll(/#([^\s#，。！？,.!?]+)/g)) tags.push(m[1]!)
    }
  }
  return { tags, unclosed }
}

function checkHashtags(rule: Extract<ChannelRule, { kind: 'hashtags' }>, profile: ChannelProfile, variant: Variant): CheckItem[] {
  const { tags, unclosed } = inlineHashtags(variant, rule.style)
  const all = new Set([...variant.hashtags.map(bareHashtag), ...tags].filter((t) => t !== ''))
  const items: CheckItem[] = []
  const data = { hashtags: [...all], style: rule.style }
  if (rule.min !== undefined && all.size < rule.min) {
    items.push(item(rule, profile, 'hashtags.min', rule.severity, `${all.size} hashtag${all.size === 1 ? '' : 's'}; at least ${rule.min} expected`, [], data))
  }
  if (rule.max !== undefined && all.size > rule.max) {
    items.push(item(rule, profile, 'hashtags.max', rule.severity, `${all.size} hashtags; at most ${rule.max}`, [], data))
  }
  if (unclosed.length > 0) {
    items.push(item(rule, profile, 'hashtags.style', 'warn', `topics on ${profile.name} are written #话题# with a closing #`, unclosed, data))
  }
  return items
}

function checkLink(rule: Extract<ChannelRule, { kind: 'link' }>, profile: ChannelProfile, variant: Variant): CheckItem[] {
  const inField = select([rule.field], variant)[0]
  const inText = Object.entries(variant.fields)
    .map(([field, text]) => ({ field, text, m: URL_IN_TEXT.exec(text) }))
    .find((x) => x.m !== null)
  if (!inField && !inText) {
    return rule.required ? [item(rule, profile, 'link.missing', rule.severity, `no link: put one in "${rule.field}"`, [])] : []
  }
  const field = inField?.field ?? inText!.field
  const text = inField?.text ?? inText!.text
  const raw = inField ? inField.text.trim() : inText!.m![0]
  const start = text.indexOf(raw)
  const where = [locate(field, text, start, start + raw.length)]
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`)
  } catch {
    return [item(rule, profile, 'link.invalid', 'block', `"${raw}" is not a web address`, where)]
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return [item(rule, profile, 'link.invalid', 'block', `"${raw}" is not an http(s) address`, where)]
  }
  const hosts = rule.allowedHosts
  if (hosts && !hosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`))) {
    return [item(rule, profile, 'link.host', rule.severity, `${url.hostname} is not one of the allowed hosts (${hosts.join(', ')})`, where)]
  }
  return []
}

function checkPattern(rule: Extract<ChannelRule, { kind: 'pattern' }>, compiled: CompiledChannelProfile, variant: Variant): CheckItem[] {
  const pattern = compiled.patterns.get(rule.id)!
  const items: CheckItem[] = []
  for (const { field, text } of select(rule.fields, variant)) {
    pattern.lastIndex = 0
    if (rule.mode === 'require') {
      if (!pattern.test(text)) {
        items.push(item(rule, compiled.profile, 'format.required', rule.severity, `${field}: ${rule.message}`, [locate(field, text, 0, text.length)]))
      }
      continue
    }
    const where = [...text.matchAll(pattern)].map((m) => locate(field, text, m.index, m.index + m[0].length))
    if (where.length > 0) items.push(item(rule, compiled.profile, 'format.forbidden', rule.severity, `${field}: ${rule.message}`, where))
  }
  return items
}

/**
 * Every channel rule that applies to the variant's stage, checked.
 *
 * @example
 * checkChannelRules(variant, compileChannelProfile(DEFAULT_CHANNEL_PROFILES.sms), { hasHouseCta: true })
 */
export function checkChannelRules(variant: Variant, compiled: CompiledChannelProfile, context: { hasHouseCta: boolean }): CheckItem[] {
  const { profile } = compiled
  const items: CheckItem[] = []
  for (const rule of profile.rules) {
    if (rule.stages && !rule.stages.includes(variant.stage)) continue
    switch (rule.kind) {
      case 'length':
        items.push(...checkLength(rule, profile, variant))
        break
      case 'sms-segments':
        items.push(...checkSegments(rule, profile, variant))
        break
      case 'required':
        if (select([rule.field], variant).length === 0) {
          items.push(item(rule, profile, 'required', rule.severity, `"${rule.field}" is empty; ${profile.name} needs it`, []))
        }
        break
      case 'cta':
        if (!(variant.fields.cta?.trim() || context.hasHouseCta)) {
          items.push(item(rule, profile, 'cta.missing', rule.severity, `no call to action at the ${variant.stage} stage: fill "cta" or use one of the house's CTA phrases`, []))
        }
        break
      case 'link':
        items.push(...checkLink(rule, profile, variant))
        break
      case 'hashtags':
        items.push(...checkHashtags(rule, profile, variant))
        break
      case 'pattern':
        items.push(...checkPattern(rule, compiled, variant))
        break
    }
  }
  return items
}
