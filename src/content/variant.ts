import { z } from 'zod'
import { Stage, toIssues, type InputIssue } from './message-house.ts'

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

/**
 * A variant: one piece of copy for one channel at one stage of the customer journey. Its text
 * lives in named fields (`title`, `digest`, `body`, `cta`, `link`, `signature`, or a channel's own
 * such as `thing1` for a WeChat subscribe message); hashtags are a list of their own.
 */
export const Variant = z.object({
  id: z.string().trim().min(1),
  channel: z.string().trim().min(1).describe('A channel profile id, e.g. xiaohongshu-note.'),
  stage: Stage,
  persona: z.string().trim().min(1).optional().describe('Whom the copy speaks to; matched to pillar benefits.'),
  fields: z
    .record(z.string(), z.string())
    .superRefine((fields, ctx) => {
      for (const name of Object.keys(fields)) {
        if (!FIELD_NAME.test(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `field names are letters, digits and _ (got "${name}")` })
        }
      }
    })
    .describe('Field name → text, e.g. { title, body, cta, link }.'),
  hashtags: z
    .array(z.string().trim().min(1))
    .default([])
    .describe('Topics without or with their # marks (跑步, #跑步, #跑步#).'),
})
export type Variant = z.infer<typeof Variant>
export type VariantInput = z.input<typeof Variant>

/** The variants of one campaign: ids must be unique so reports can name them. */
export const CampaignVariants = z
  .array(Variant)
  .min(1)
  .superRefine((variants, ctx) => {
    const seen = new Set<string>()
    variants.forEach((variant, i) => {
      if (seen.has(variant.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `variant id "${variant.id}" appears twice` })
      seen.add(variant.id)
    })
  })

export type VariantsResult = { ok: true; variants: Variant[] } | { ok: false; kind: 'InvalidVariants'; issues: InputIssue[] }

/**
 * Validates the variants of a campaign.
 *
 * @example
 * parseCampaignVariants([{ id: 'v1', channel: 'sms', stage: 'decision', fields: { body: '…' } }])
 */
export function parseCampaignVariants(input: unknown): VariantsResult {
  const parsed = CampaignVariants.safeParse(input)
  return parsed.success ? { ok: true, variants: parsed.data } : { ok: false, kind: 'InvalidVariants', issues: toIssues(parsed.error) }
}

/** Fields that hold addresses, not prose: left out of message checks. */
const NON_PROSE = new Set(['link', 'url', 'page', 'displayUrl', 'qr'])

export interface VariantText {
  /** `title`, `body`, … or `hashtags[2]` for the third hashtag. */
  field: string
  text: string
}

/** A hashtag without its # marks. */
export function bareHashtag(tag: string): string {
  return tag.replace(/^#+|#+$/g, '').trim()
}

/**
 * The prose of a variant, field by field, in the order the fields were given, then each hashtag
 * as its own field so offsets stay exact for highlighting.
 */
export function proseOf(variant: Variant): VariantText[] {
  const out: VariantText[] = []
  for (const [field, text] of Object.entries(variant.fields)) {
    if (!NON_PROSE.has(field) && text.trim() !== '') out.push({ field, text })
  }
  variant.hashtags.forEach((tag, i) => {
    const text = bareHashtag(tag)
    if (text) out.push({ field: `hashtags[${i}]`, text })
  })
  return out
}

/** Every field of a variant, links included (mandatory elements may sit anywhere). */
export function allTextOf(variant: Variant): VariantText[] {
  const out: VariantText[] = Object.entries(variant.fields)
    .filter(([, text]) => text.trim() !== '')
    .map(([field, text]) => ({ field, text }))
  variant.hashtags.forEach((tag, i) => out.push({ field: `hashtags[${i}]`, text: bareHashtag(tag) }))
  return out
}
