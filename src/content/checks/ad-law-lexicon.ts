import { z } from 'zod'
import { parseWordLine, readShippedList } from '../text/word-list.ts'

/**
 * The advertising-law lexicon: terms that block or warn, by category, and the allowed phrases
 * in which a term is narrative rather than a claim. The shipped list is `data/ad-law.txt`
 * (sources and the reasoning for each severity are in its header); a brand passes its own lists
 * as {@link AdLawExtension}s or as text in the same format.
 */

export const AdLawSeverity = z.enum(['block', 'warn'])
export type AdLawSeverity = z.infer<typeof AdLawSeverity>

export const AdLawEntry = z.object({
  term: z.string().trim().min(1),
  severity: AdLawSeverity,
  /** Category from the list header (`statutory`, `ranking`, `最`, …) or `brand`. */
  category: z.string().min(1),
})
export type AdLawEntry = z.infer<typeof AdLawEntry>

export const AdLawLexicon = z.object({
  entries: z.array(AdLawEntry),
  allow: z.array(z.string().trim().min(1)),
})
export type AdLawLexicon = z.infer<typeof AdLawLexicon>

/**
 * A brand's additions: its own blocked and warned words (a brand entry replaces a shipped entry
 * for the same term, so a brand can also relax or tighten one), and phrases to allow.
 */
export const AdLawExtension = z.object({
  category: z.string().min(1).default('brand'),
  block: z.array(z.string().trim().min(1)).default([]),
  warn: z.array(z.string().trim().min(1)).default([]),
  allow: z.array(z.string().trim().min(1)).default([]),
})
export type AdLawExtension = z.input<typeof AdLawExtension>

export type LexiconParseResult =
  | { ok: true; lexicon: AdLawLexicon }
  | { ok: false; kind: 'InvalidLexicon'; errors: { line: number; message: string }[] }

/**
 * Parses a lexicon in the `data/ad-law.txt` format.
 *
 * @example
 * const parsed = parseAdLawLexicon('[block:brand]\n永不磨损\n[allow]\n"永不磨损测试"')
 * parsed.ok && parsed.lexicon.entries[0] // { term: '永不磨损', severity: 'block', category: 'brand' }
 */
export function parseAdLawLexicon(text: string): LexiconParseResult {
  const entries: AdLawEntry[] = []
  const allow: string[] = []
  const errors: { line: number; message: string }[] = []
  let section: { kind: 'allow' } | { kind: 'terms'; severity: AdLawSeverity; category: string } | null = null
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const header = /^\[(.+)\]$/.exec(line)
    if (header) {
      const [name, category] = header[1]!.split(':').map((part) => part.trim())
      if (name === 'allow' && category === undefined) section = { kind: 'allow' }
      else if ((name === 'block' || name === 'warn') && category) section = { kind: 'terms', severity: name, category }
      else {
        errors.push({ line: index + 1, message: `unknown section "${line}": use [block:<category>], [warn:<category>] or [allow]` })
        section = null
      }
      return
    }
    if (section === null) {
      errors.push({ line: index + 1, message: 'entries must follow a [block:…], [warn:…] or [allow] header' })
      return
    }
    const current = section
    for (const term of parseWordLine(line)) {
      if (current.kind === 'allow') allow.push(term)
      else entries.push({ term, severity: current.severity, category: current.category })
    }
  })
  return errors.length > 0 ? { ok: false, kind: 'InvalidLexicon', errors } : { ok: true, lexicon: { entries, allow } }
}

/**
 * The lexicon shipped in `src/content/data/ad-law.txt`.
 *
 * @example
 * const lexicon = loadShippedAdLawLexicon()
 * lexicon.entries.find((e) => e.term === '最佳')?.severity // 'block'
 */
export function loadShippedAdLawLexicon(): AdLawLexicon {
  const parsed = parseAdLawLexicon(readShippedList('ad-law.txt'))
  if (!parsed.ok) {
    const detail = parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')
    throw new Error(`src/content/data/ad-law.txt is malformed: ${detail}`)
  }
  return parsed.lexicon
}

/**
 * Adds brand lists to a lexicon; later lists win for a term they repeat.
 *
 * @example
 * const lexicon = extendAdLawLexicon(loadShippedAdLawLexicon(), { block: ['唯一'], allow: ['卓越跑团'] })
 */
export function extendAdLawLexicon(base: AdLawLexicon, ...extensions: (AdLawExtension | AdLawLexicon)[]): AdLawLexicon {
  const byTerm = new Map<string, AdLawEntry>()
  const key = (term: string) => term.replace(/[A-Z]/g, (c) => c.toLowerCase())
  for (const entry of base.entries) byTerm.set(key(entry.term), entry)
  const allow = [...base.allow]
  for (const raw of extensions) {
    if ('entries' in raw) {
      for (const entry of raw.entries) byTerm.set(key(entry.term), entry)
      allow.push(...raw.allow)
      continue
    }
    const extension = AdLawExtension.parse(raw)
    for (const term of extension.warn) byTerm.set(key(term), { term, severity: 'warn', category: extension.category })
    for (const term of extension.block) byTerm.set(key(term), { term, severity: 'block', category: extension.category })
    allow.push(...extension.allow)
  }
  return { entries: [...byTerm.values()], allow: [...new Set(allow)] }
}
