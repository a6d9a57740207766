import { z } from 'zod'
import { splitSentences } from './text/sentences.ts'

/**
 * The message house (信息屋): the one statement every piece of a brand's copy must agree with —
 * a core message (the roof), the pillars that support it with key phrases and proof (the
 * columns), the tone, what every piece must carry and what none may say. Copy is checked against
 * it; this module only defines and validates it (storage and versions live elsewhere).
 */

export const Stage = z.enum(['awareness', 'consideration', 'decision', 'loyalty'])
export type Stage = z.infer<typeof Stage>

const Text = z.string().trim().min(1)

export const Pillar = z.object({
  name: Text.describe('The pillar, as the team calls it (e.g. 轻盈缓震).'),
  keyPhrases: z.array(Text).min(1).describe('Phrases that carry the pillar; matched on words, in any order.'),
  synonyms: z
    .record(Text, z.array(Text).min(1))
    .default({})
    .describe('Term or key phrase → equivalents (轻盈 → 轻便, 轻量). Groups are symmetric.'),
  proofPoints: z.array(Text).default([]).describe('Evidence for the pillar (3万名跑者实测).'),
  benefits: z
    .record(Text, z.array(Text).min(1))
    .default({})
    .describe('Persona → what the pillar means for them.'),
})
export type Pillar = z.infer<typeof Pillar>

export const MandatoryElement = z.object({
  name: Text.describe('What the element is, e.g. "brand name" or "CTA".'),
  kind: z.enum(['brand', 'cta', 'legal', 'other']),
  anyOf: z.array(Text).min(1).describe('Any one of these must appear (case-insensitive, full-width folded).'),
  channels: z.array(Text).optional().describe('Only on these channels; all channels when absent.'),
  stages: z.array(Stage).optional().describe('Only at these stages; all stages when absent.'),
  severity: z.enum(['block', 'warn']).default('warn'),
})
export type MandatoryElement = z.infer<typeof MandatoryElement>

const ForbiddenEntry = z.union([
  Text.transform((text) => ({ text, reason: undefined as string | undefined })),
  z.object({ text: Text, reason: z.string().optional() }),
])

export const VisualIdentity = z.object({
  colours: z
    .array(
      z.object({
        name: Text,
        hex: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #RRGGBB, e.g. #E60012'),
        role: z.string().optional(),
      }),
    )
    .default([]),
  logo: z
    .object({
      url: z.url().optional(),
      minWidthPx: z.number().int().positive().optional(),
      clearSpace: z.string().optional().describe('e.g. "the height of the 和 glyph on every side"'),
      usage: z.array(z.string()).default([]),
    })
    .optional(),
  fonts: z.array(z.object({ name: Text, role: z.string().optional(), fallback: z.string().optional() })).default([]),
})
export type VisualIdentity = z.infer<typeof VisualIdentity>

/**
 * A brand's own advertising-law words on top of the shipped list: terms to block or warn on (a
 * brand entry replaces the shipped one for the same term, so a brand can tighten or relax one),
 * and phrases to allow — its own names (卓越跑团 stops 卓越 warning inside it).
 */
export const AdLawWords = z.object({
  block: z.array(Text).default([]).describe('Blocked like the statutory terms, as category "brand".'),
  warn: z.array(Text).default([]).describe('Warned like the extreme words, as category "brand".'),
  allow: z.array(Text).default([]).describe('Phrases in which a listed term is not a claim.'),
})
export type AdLawWords = z.infer<typeof AdLawWords>

export const MessageHouse = z
  .object({
    brand: Text,
    coreMessage: Text.describe('The roof: one sentence.'),
    coreMessageTranslations: z
      .record(z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$/, 'a language tag such as en or zh-Hant'), Text)
      .default({})
      .describe('The same sentence in other languages, so English copy is compared with English words.'),
    pillars: z.array(Pillar).min(1).max(7),
    toneWords: z.array(Text).default([]).describe('How the brand sounds (专业, 温暖); guidance for writers.'),
    mandatoryElements: z.array(MandatoryElement).default([]),
    forbiddenWords: z.array(ForbiddenEntry).default([]).describe('Matched as written.'),
    forbiddenClaims: z
      .array(ForbiddenEntry)
      .default([])
      .describe('Matched on words within one sentence, in any order (治愈, 感冒 ↔ 感冒 … 治愈).'),
    visualIdentity: VisualIdentity.default({ colours: [], fonts: [] }),
    adLawWords: AdLawWords.default({ block: [], warn: [], allow: [] }).describe(
      "The brand's additions to the shipped advertising-law list (data/ad-law.txt), versioned with the house.",
    ),
  })
  .superRefine((house, ctx) => {
    // One sentence keeps the roof memorable and gives the closeness score one target.
    const versions: [(string | number)[], string][] = [
      [['coreMessage'], house.coreMessage],
      ...Object.entries(house.coreMessageTranslations).map(([tag, text]): [(string | number)[], string] => [['coreMessageTranslations', tag], text]),
    ]
    for (const [path, text] of versions) {
      const sentences = splitSentences(text)
      if (sentences.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `the core message must be one sentence; found ${sentences.length}: ${sentences.map((s) => `"${s.text}"`).join(', ')}`,
        })
      }
    }
    const names = new Set<string>()
    house.pillars.forEach((pillar, i) => {
      if (names.has(pillar.name)) {
        ctx.addIssue({ code: 'custom', path: ['pillars', i, 'name'], message: `pillar "${pillar.name}" appears twice` })
      }
      names.add(pillar.name)
    })
    const phrases = new Set(house.pillars.flatMap((p) => p.keyPhrases.map((k) => k.toLowerCase())))
    house.forbiddenWords.forEach((word, i) => {
      if (phrases.has(word.text.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['forbiddenWords', i],
          message: `"${word.text}" is both a key phrase and a forbidden word`,
        })
      }
    })
    // A key phrase the brand's own list blocks would fail every variant that carries the message.
    house.adLawWords.block.forEach((term, i) => {
      if (phrases.has(term.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['adLawWords', 'block', i], message: `"${term}" is both a key phrase and a blocked word` })
    })
    const blocked = new Set(house.adLawWords.block.map((t) => t.toLowerCase()))
    house.adLawWords.warn.forEach((term, i) => {
      if (blocked.has(term.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['adLawWords', 'warn', i], message: `"${term}" is listed both to block and to warn` })
    })
  })
export type MessageHouse = z.infer<typeof MessageHouse>
export type MessageHouseInput = z.input<typeof MessageHouse>

/** A validation problem a person can fix: where in the input, and what is wrong. */
export interface InputIssue {
  path: string
  message: string
}

export function toIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }))
}

export type MessageHouseResult =
  | { ok: true; house: MessageHouse }
  | { ok: false; kind: 'InvalidMessageHouse'; issues: InputIssue[] }

/**
 * Validates a message house.
 *
 * @example
 * const result = parseMessageHouse({
 *   brand: '和声跑鞋',
 *   coreMessage: '轻盈缓震，让每一次奔跑都更远。',
 *   pillars: [{ name: '轻盈缓震', keyPhrases: ['轻盈缓震'] }],
 * })
 * if (!result.ok) console.log(result.issues) // [{ path: 'coreMessage', message: '…' }]
 */
export function parseMessageHouse(input: unknown): MessageHouseResult {
  const parsed = MessageHouse.safeParse(input)
  return parsed.success
    ? { ok: true, house: parsed.data }
    : { ok: false, kind: 'InvalidMessageHouse', issues: toIssues(parsed.error) }
}
