import type { MandatoryElement, MessageHouse } from '../message-house.ts'
import { locate, type CheckItem } from '../report.ts'
import { findAll, foldForMatching } from '../text/fold.ts'
import { splitSentences } from '../text/sentences.ts'
import type { Analyzer, Term } from '../text/terms.ts'
import type { Variant, VariantText } from '../variant.ts'

/**
 * The house's own rules: forbidden words (matched as written, case- and width-insensitive),
 * forbidden claims (matched on words within one sentence, in any order, so "治愈感冒" is caught
 * as "感冒三天就能治愈"), and mandatory elements (brand name, CTA, legal line) where they apply.
 */

interface CompiledClaim {
  text: string
  reason: string | undefined
  keys: string[]
}

export interface CompiledHouseRules {
  words: { text: string; folded: string; reason: string | undefined }[]
  claims: CompiledClaim[]
  mandatory: (MandatoryElement & { folded: string[] })[]
  /** Every CTA phrase of the house, folded; a channel's CTA rule accepts any of them. */
  ctaPhrases: string[]
}

export function compileHouseRules(house: MessageHouse, analyzer: Analyzer): CompiledHouseRules {
  return {
    words: house.forbiddenWords.map((w) => ({ text: w.text, folded: foldForMatching(w.text), reason: w.reason })),
    claims: house.forbiddenClaims.map((c) => ({
      text: c.text,
      reason: c.reason,
      keys: [...new Set(analyzer.terms(c.text).map((t) => t.key))],
    })),
    mandatory: house.mandatoryElements.map((m) => ({ ...m, folded: m.anyOf.map(foldForMatching) })),
    ctaPhrases: house.mandatoryElements.filter((m) => m.kind === 'cta').flatMap((m) => m.anyOf.map(foldForMatching)),
  }
}

/** A field with the terms the analyzer found in it. */
export interface AnalysedText extends VariantText {
  terms: Term[]
}

/** Forbidden words and claims in a variant's text. */
export function checkForbidden(rules: CompiledHouseRules, texts: readonly AnalysedText[]): CheckItem[] {
  const items: CheckItem[] = []
  for (const { field, text, terms } of texts) {
    const folded = foldForMatching(text)
    for (const word of rules.words) {
      for (const at of findAll(folded, word.folded)) {
        items.push({
          check: 'forbidden',
          code: 'forbidden.word',
          severity: 'block',
          what: `"${text.slice(at, at + word.text.length)}" is on the brand's forbidden list`,
          why: word.reason ?? 'The message house forbids this word.',
          where: [locate(field, text, at, at + word.text.length)],
        })
      }
    }
    if (rules.claims.length === 0) continue
    for (const sentence of splitSentences(text)) {
      const keys = new Set(terms.filter((t) => t.start >= sentence.start && t.end <= sentence.end).map((t) => t.key))
      for (const claim of rules.claims) {
        if (claim.keys.length === 0 || !claim.keys.every((k) => keys.has(k))) continue
        items.push({
          check: 'forbidden',
          code: 'forbidden.claim',
          severity: 'block',
          what: `this sentence makes the forbidden claim "${claim.text}"`,
          why: claim.reason ?? 'The message house forbids this claim, however it is worded.',
          where: [locate(field, text, sentence.start, sentence.end)],
          data: { claim: claim.text },
        })
      }
    }
  }
  return items
}

function applies(element: MandatoryElement, variant: Variant): boolean {
  return (element.channels === undefined || element.channels.includes(variant.channel)) &&
    (element.stages === undefined || element.stages.includes(variant.stage))
}

/** Mandatory elements missing from a variant. */
export function checkMandatory(rules: CompiledHouseRules, variant: Variant, texts: readonly VariantText[]): CheckItem[] {
  const folded = texts.map((t) => foldForMatching(t.text))
  const items: CheckItem[] = []
  for (const element of rules.mandatory) {
    if (!applies(element, variant)) continue
    if (element.folded.some((needle) => folded.some((text) => text.includes(needle)))) continue
    items.push({
      check: 'mandatory',
      code: `mandatory.${element.kind}`,
      severity: element.severity,
      what: `missing ${element.name}: none of ${element.anyOf.map((a) => `"${a}"`).join(', ')} appears`,
      why: `The message house requires ${element.name} on ${element.channels?.join(', ') ?? 'every channel'}${element.stages ? ` at ${element.stages.join(', ')}` : ''}.`,
      where: [],
    })
  }
  return items
}

/** Whether any house CTA phrase appears in the text. */
export function hasHouseCta(rules: CompiledHouseRules, texts: readonly VariantText[]): boolean {
  return texts.some((t) => {
    const folded = foldForMatching(t.text)
    return rules.ctaPhrases.some((phrase) => folded.includes(phrase))
  })
}
