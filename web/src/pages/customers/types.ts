/** Shapes of the profile API's answers (src/profiles), as the dashboard reads them. */
export interface ProfileSummary {
  id: string
  displayName: string
  traits: Record<string, unknown>
  identities: Array<{ type: string; value: string }>
  createdAt: string
  updatedAt: string
  match: 'identifier' | 'trait' | null
}

export interface ProfileView {
  id: string
  traits: Record<string, unknown>
  identities: Array<{ type: string; value: string }>
  firstSeen: string | null
  lastSeen: string | null
  eventCount: number
  orderCount: number
  lifetimeRevenue: { amountMinor: number; currency: string }
  channels: string[]
  mergedFrom: string[]
  createdAt: string
}

export interface TimelineItem {
  messageId: string
  type: string
  event: string | null
  timestamp: string
  channel: string | null
  properties: Record<string, unknown>
  traits?: Record<string, unknown>
  context: Record<string, unknown>
}

export interface MergeView {
  kind: 'merged' | 'refused' | string
  survivorId: string | null
  mergedId: string | null
  messageId: string | null
  identifiers: Array<{ type: string; value: string }>
  reason: string
  actor: string
  at: string
}

/** A trait value as text; objects and lists as compact JSON. */
export function traitText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}
