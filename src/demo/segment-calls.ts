import { browserMessageId, serverMessageId } from './id-formats.ts'
import type { Rng } from './prng.ts'

/**
 * Segment Spec calls (https://segment.com/docs/connections/spec/common/) shaped the way the two
 * libraries the brand uses build them: analytics.js in the browser (page context, campaign parsed
 * from `utm_*`, user agent, time zone) and analytics-node on servers (library and `_metadata`).
 * `sentAt` is not here: libraries stamp it when they send, and so does the demo's sender.
 */
export interface SegmentMessage {
  type: 'identify' | 'track' | 'page'
  messageId: string
  timestamp: string
  userId?: string
  anonymousId?: string
  event?: string
  name?: string
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
  context: Record<string, unknown>
  integrations: Record<string, unknown>
  _metadata?: Record<string, unknown>
}

export const ANALYTICS_JS = { name: 'analytics.js', version: 'npm:next-1.77.0' } as const
export const ANALYTICS_NODE = { name: '@segment/analytics-node', version: '3.1.0' } as const

/** `context.campaign` as analytics.js reads it from `utm_*` (utm_campaign becomes `name`). */
export interface CampaignContext {
  source: string
  medium: string
  name: string
  term?: string
  content?: string
}

/** What the browser knows while a visitor is on a page. */
export interface BrowserPage {
  anonymousId: string
  userId: string | null
  userAgent: string
  timeZone: string
  path: string
  search: string
  url: string
  title: string
  referrer: string
  /** Present on calls made while the URL carries `utm_*` parameters. */
  campaign: CampaignContext | null
}

function browserContext(page: BrowserPage): Record<string, unknown> {
  const context: Record<string, unknown> = {
    library: ANALYTICS_JS,
    locale: 'zh-CN',
    page: { path: page.path, referrer: page.referrer, search: page.search, title: page.title, url: page.url },
    userAgent: page.userAgent,
    timezone: page.timeZone,
  }
  if (page.campaign) context.campaign = page.campaign
  return context
}

function browserIds(page: BrowserPage): { userId?: string; anonymousId: string } {
  return page.userId ? { userId: page.userId, anonymousId: page.anonymousId } : { anonymousId: page.anonymousId }
}

/** `analytics.page(name)`: properties repeat the page fields, as analytics.js does. */
export function browserPageCall(rng: Rng, atMs: number, page: BrowserPage, name: string): SegmentMessage {
  return {
    type: 'page',
    messageId: browserMessageId(rng, atMs),
    timestamp: new Date(atMs).toISOString(),
    ...browserIds(page),
    name,
    properties: { name, path: page.path, referrer: page.referrer, search: page.search, title: page.title, url: page.url },
    context: browserContext(page),
    integrations: {},
  }
}

export function browserTrackCall(rng: Rng, atMs: number, page: BrowserPage, event: string, properties: Record<string, unknown>): SegmentMessage {
  return {
    type: 'track',
    messageId: browserMessageId(rng, atMs),
    timestamp: new Date(atMs).toISOString(),
    ...browserIds(page),
    event,
    properties,
    context: browserContext(page),
    integrations: {},
  }
}

/** `analytics.identify(userId, traits)`: the anonymous id travels along, which links the two. */
export function browserIdentifyCall(rng: Rng, atMs: number, page: BrowserPage, userId: string, traits: Record<string, unknown>): SegmentMessage {
  return {
    type: 'identify',
    messageId: browserMessageId(rng, atMs),
    timestamp: new Date(atMs).toISOString(),
    userId,
    anonymousId: page.anonymousId,
    traits,
    context: browserContext({ ...page, userId }),
    integrations: {},
  }
}

/** Who a server-side call is about: a member id, or the anonymous id a source gave its buyer. */
export type ServerIdentity = { userId: string; anonymousId?: undefined } | { anonymousId: string; userId?: undefined }

const NODE_METADATA = { nodeVersion: 'v20.20.0', jsRuntime: 'node' } as const

export function serverTrackCall(
  rng: Rng,
  atMs: number,
  who: ServerIdentity,
  event: string,
  properties: Record<string, unknown>,
  contextTraits?: Record<string, unknown>,
): SegmentMessage {
  const context: Record<string, unknown> = { library: ANALYTICS_NODE }
  if (contextTraits) context.traits = contextTraits
  return {
    type: 'track',
    messageId: serverMessageId(rng, atMs),
    timestamp: new Date(atMs).toISOString(),
    ...(who.userId !== undefined ? { userId: who.userId } : { anonymousId: who.anonymousId }),
    event,
    properties,
    context,
    integrations: {},
    _metadata: NODE_METADATA,
  }
}

export function serverIdentifyCall(rng: Rng, atMs: number, who: ServerIdentity, traits: Record<string, unknown>): SegmentMessage {
  return {
    type: 'identify',
    messageId: serverMessageId(rng, atMs),
    timestamp: new Date(atMs).toISOString(),
    ...(who.userId !== undefined ? { userId: who.userId } : { anonymousId: who.anonymousId }),
    traits,
    context: { library: ANALYTICS_NODE },
    integrations: {},
    _metadata: NODE_METADATA,
  }
}
