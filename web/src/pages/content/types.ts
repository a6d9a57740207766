/** Shapes of the content hub API's answers (src/content), as the dashboard reads them. */
export type Severity = 'block' | 'warn' | 'info'
export type Stage = 'awareness' | 'consideration' | 'decision' | 'loyalty'
export const STAGES: Stage[] = ['awareness', 'consideration', 'decision', 'loyalty']
export type VariantState = 'draft' | 'in_review' | 'approved' | 'published'

export interface Location {
  variantId?: string
  field: string
  start: number
  end: number
  text: string
  before?: string
  after?: string
}

export interface CheckItem {
  check: string
  code: string
  severity: Severity
  what: string
  why: string
  where: Location[]
  data?: Record<string, unknown>
}

export interface PillarCoverage {
  pillar: string
  score: number
  carried: boolean
  phrases: string[]
  missing: string[]
  where: Location[]
  proofPoints: string[]
  benefits: string[]
}

export interface VariantReport {
  variantId: string
  channel: string
  stage: Stage
  score: number
  pillars: PillarCoverage[]
  items: CheckItem[]
}

export interface VariantView {
  id: string
  houseId: string
  channel: string
  stage: Stage
  state: VariantState
  version: number
  currentVersion: number
  persona: string | null
  fields: Record<string, string>
  hashtags: string[]
  check: { houseVersion: number | null; score: number | null; blocks: number; warnings: number; checkedAt: string | null; report: VariantReport | null }
  versionCreatedBy: string
  versionCreatedAt: string
}

export interface HouseReport {
  houseVersion: number
  score: number | null
  pillarsCarried: string[]
  pillarsMissing: string[]
  items: CheckItem[]
  variants: Array<{ variantId: string; channel: string; stage: string; score: number; blocks: number; warnings: number }>
  computedAt: string
}

export interface MessageHouse {
  brand: string
  coreMessage: string
  coreMessageTranslations?: Record<string, string>
  pillars: Array<{ name: string; keyPhrases: string[]; synonyms?: Record<string, string[]>; proofPoints?: string[]; benefits?: Record<string, string[]> }>
  toneWords?: string[]
  mandatoryElements?: Array<{ name: string; kind: 'brand' | 'cta' | 'legal' | 'other'; anyOf: string[]; channels?: string[]; stages?: Stage[]; severity?: 'block' | 'warn' }>
  forbiddenWords?: Array<{ text: string; reason?: string } | string>
  forbiddenClaims?: Array<{ text: string; reason?: string } | string>
  visualIdentity?: unknown
}

export interface HouseView {
  id: string
  name: string
  brand: string
  campaignId: string | null
  version: number
  currentVersion: number
  house: MessageHouse
  note: string | null
  versionCreatedBy: string
  versionCreatedAt: string
  report: HouseReport | null
}

export interface HouseListItem {
  id: string
  name: string
  brand: string
  campaignId: string | null
  currentVersion: number
  score: number | null
  updatedAt: string
}

export interface MatrixCell {
  channel: string
  stage: Stage
  variantId: string
  state: VariantState
  version: number
  score: number | null
  blocks: number
  warnings: number
  persona: string | null
  preview: string
}

export interface ContentMatrix {
  houseId: string
  houseVersion: number
  stages: Stage[]
  channels: string[]
  cells: MatrixCell[]
  consistency: HouseReport | null
}

export interface ChannelProfileView {
  profile: { id: string; name: string; expectedPillars: number; fields: string[]; rules: Array<Record<string, unknown>> }
  hasDefault: boolean
  customised: boolean
}

export interface ReviewEvent {
  id: string
  version: number
  action: string
  fromState: string | null
  toState: string
  actor: string
  actorName: string | null
  role: string
  comment: string | null
  at: string
}
