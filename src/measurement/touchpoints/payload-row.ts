import type { EventRow } from './event-row.ts'

/**
 * The {@link EventRow} of a stored payload (Segment-shaped JSON): the fields touch classification
 * and conversion matching read. Used by the log scan for every candidate event, and for
 * previewing channel rules on a sample event.
 *
 * @example
 * eventRowOf({ type: 'page', context: { page: { referrer: 'https://www.baidu.com/s?wd=x', url: 'https://shop.cn/' } } })
 */
export function eventRowOf(
  payload: Record<string, unknown>,
  options: { seq?: number; profileId?: string; timestamp?: number; type?: string; event?: string | null; extraPaths?: readonly string[]; orderMinor?: number | null; orderCurrency?: string | null } = {},
): EventRow {
  const context = objectOf(payload.context)
  const properties = objectOf(payload.properties)
  const page = objectOf(context?.page)
  const campaign = objectOf(context?.campaign)
  const library = objectOf(context?.library)
  const p = properties ?? EMPTY
  const timestamp = options.timestamp ?? (typeof payload.timestamp === 'string' ? Date.parse(payload.timestamp) : Date.now())
  const extraPaths = options.extraPaths ?? NO_PATHS
  const extra: (string | null)[] = new Array(extraPaths.length)
  for (let i = 0; i < extraPaths.length; i++) {
    const value = pick(payload, extraPaths[i]!)
    extra[i] = typeof value === 'boolean' ? String(value) : textOf(value)
  }
  return {
    seq: options.seq ?? 0,
    profileId: options.profileId ?? '',
    timestamp,
    type: options.type ?? (typeof payload.type === 'string' ? payload.type : 'track'),
    event: options.event !== undefined ? options.event : typeof payload.event === 'string' ? payload.event : typeof payload.name === 'string' ? payload.name : null,
    orderMinor: options.orderMinor ?? null,
    orderCurrency: options.orderCurrency ?? null,
    library: textOf(library?.name),
    campaignSource: campaign ? textOf(campaign.source) : null,
    campaignMedium: campaign ? textOf(campaign.medium) : null,
    campaignName: campaign ? textOf(campaign.name) : null,
    campaignTerm: campaign ? textOf(campaign.term) : null,
    campaignContent: campaign ? textOf(campaign.content) : null,
    utmSource: textOf(p.utm_source),
    utmMedium: textOf(p.utm_medium),
    utmCampaign: textOf(p.utm_campaign),
    sensorsSource: textOf(p.$utm_source),
    sensorsMedium: textOf(p.$utm_medium),
    sensorsCampaign: textOf(p.$utm_campaign),
    referrer: textOf(page?.referrer) ?? textOf(p.referrer),
    url: textOf(page?.url) ?? textOf(p.url),
    search: textOf(page?.search) ?? textOf(p.search),
    propertyChannel: textOf(p.channel),
    scene: textOf(p.$scene) ?? textOf(p.scene),
    platform: textOf(p.platform),
    messageCampaign: textOf(p.campaign_name) ?? textOf(p.campaign) ?? textOf(p.campaign_id),
    journey: textOf(p.journey_name) ?? textOf(p.journeyName) ?? textOf(p.journey_id) ?? textOf(p.journeyId),
    extra,
  }
}

const EMPTY: Record<string, unknown> = {}
const NO_PATHS: readonly string[] = []

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** A value by dot path (`properties.total`). */
function pick(value: unknown, path: string): unknown {
  let current = value
  for (const key of path.split('.')) {
    const object = objectOf(current)
    if (!object) return undefined
    current = object[key]
  }
  return current
}

/** A payload value as text: strings (non-empty), numbers and booleans. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return null
}
