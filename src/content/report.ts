import { z } from 'zod'
import { Severity } from './channel-profile.ts'
import { Stage } from './message-house.ts'

/**
 * What the checks report. Every finding is one item saying what was found, where (field and
 * UTF-16 offsets, ready for highlighting), why it matters and how serious it is:
 * `block` — must not go out as is; `warn` — a person should look; `info` — for the record.
 */

export const CheckName = z.enum([
  'coverage',
  'core-message',
  'channel',
  'ad-law',
  'forbidden',
  'mandatory',
  'contradiction',
])
export type CheckName = z.infer<typeof CheckName>

export const Location = z.object({
  variantId: z.string().optional().describe('Set on campaign items, which span variants.'),
  field: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
  /** Up to 12 characters either side, for showing the match in its context. */
  before: z.string().optional(),
  after: z.string().optional(),
})
export type Location = z.infer<typeof Location>

export const CheckItem = z.object({
  check: CheckName,
  code: z.string().describe('Stable machine code, e.g. ad-law.block, channel.length.max.'),
  severity: Severity,
  what: z.string(),
  why: z.string(),
  where: z.array(Location),
  data: z.record(z.string(), z.unknown()).optional(),
})
export type CheckItem = z.infer<typeof CheckItem>

export const PillarCoverage = z.object({
  pillar: z.string(),
  /** 0–1: the share of the best key phrase's words the copy carries. */
  score: z.number().min(0).max(1),
  carried: z.boolean(),
  /** Key phrases carried in full. */
  phrases: z.array(z.string()),
  /** For the best partial phrase: the words still missing. */
  missing: z.array(z.string()),
  where: z.array(Location),
  /** Proof points of the pillar the copy carries in full. */
  proofPoints: z.array(z.string()),
  /** Benefits for the variant's persona the copy carries in full. */
  benefits: z.array(z.string()),
})
export type PillarCoverage = z.infer<typeof PillarCoverage>

export const Fact = z.object({
  kind: z.enum(['price', 'date', 'discount', 'threshold']),
  /** Normalised: "CNY 199.00", "11-11" or "2026-11-11", "pay 50%", "满300减50". */
  value: z.string(),
  field: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
})
export type Fact = z.infer<typeof Fact>

export const VariantScore = z.object({
  score: z.number().int().min(0).max(100),
  coverage: z.number().min(0).max(1),
  closeness: z.number().min(0).max(1).describe('TF-IDF cosine with the core message.'),
  closenessScaled: z.number().min(0).max(1),
  base: z.number(),
  blocks: z.number().int(),
  warnings: z.number().int(),
  penalty: z.number(),
})
export type VariantScore = z.infer<typeof VariantScore>

export const VariantReport = z.object({
  variantId: z.string(),
  channel: z.string(),
  stage: Stage,
  score: z.number().int().min(0).max(100),
  scoreParts: VariantScore,
  pillars: z.array(PillarCoverage),
  facts: z.array(Fact),
  items: z.array(CheckItem),
})
export type VariantReport = z.infer<typeof VariantReport>

export const CampaignReport = z.object({
  score: z.number().int().min(0).max(100),
  scoreParts: z.object({
    meanVariantScore: z.number(),
    pillarCoverage: z.number().min(0).max(1),
    contradictions: z.number().int(),
    penalty: z.number(),
  }),
  pillarsCarried: z.array(z.string()),
  pillarsMissing: z.array(z.string()),
  variants: z.array(VariantReport),
  /** Findings across variants (contradictions, pillars no variant carries). */
  items: z.array(CheckItem),
})
export type CampaignReport = z.infer<typeof CampaignReport>

const CONTEXT = 12

/** A location with its surrounding context, cut from the field's text. */
export function locate(field: string, text: string, start: number, end: number, variantId?: string): Location {
  const location: Location = {
    field,
    start,
    end,
    text: text.slice(start, end),
    before: text.slice(Math.max(0, start - CONTEXT), start),
    after: text.slice(end, end + CONTEXT),
  }
  if (variantId !== undefined) location.variantId = variantId
  return location
}
