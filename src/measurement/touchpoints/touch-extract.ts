import type { ChannelClassifier } from '../grouping/classify.ts'
import type { ChannelGroup } from '../grouping/channel-group.ts'
import type { TouchFacts, TouchOrigin } from '../grouping/touch-facts.ts'
import type { EventRow } from './event-row.ts'
import { clickIdsOf, sameSite, urlHost } from './landing-url.ts'
import { ARRIVAL_EVENTS, EXPOSURE_EVENTS, MARKETPLACE_CHANNELS, MESSAGE_EVENT_KINDS, STORE_CHANNELS, STORE_EVENTS, type TouchKind } from './touch-kinds.ts'

/** A touchpoint with its channel: what paths are made of. */
export interface Touch {
  at: number
  kind: TouchKind
  channel: string
  group: ChannelGroup
  campaign: string | null
  journey: string | null
}

/** The outcome of looking at one event: a touch, an excluded touch, or nothing to do with marketing. */
export type TouchOutcome = { kind: 'touch'; touch: Touch } | { kind: 'excluded' } | { kind: 'unassigned' } | null

const arrivalEvents = new Set(ARRIVAL_EVENTS)
const exposureEvents = new Set(EXPOSURE_EVENTS)
const storeEvents = new Set(STORE_EVENTS)
const storeChannels = new Set(STORE_CHANNELS)
const marketplaceChannels = new Set(MARKETPLACE_CHANNELS)

/**
 * The touch an event is, if any, classified by the channel rules. Which events are touches:
 *
 * - **arrivals**: a web page whose referrer is another site, or that carries UTM or an ad click
 *   id, or has no referrer at all (direct); an app or mini-program launch (`$MPLaunch`, `$MPShow`,
 *   `$AppStart`, `Application Opened`, `Deep Link Opened`). A page whose referrer is the same site
 *   (or not a URL, like a mini program's previous page) is navigation inside a visit, not a touch;
 * - **messages**: the delivery, open and click events in {@link MESSAGE_EVENT_KINDS};
 * - **ad exposures**: `Ad Viewed`, `Ad Impression` (source from UTM, `properties.platform` or
 *   `properties.channel`, medium `cpm` when none is given: an exposure is bought media);
 * - **stores and marketplaces**: `properties.channel` of an offline store or a marketplace, or
 *   `Store Visited` / `Store Checked In`.
 *
 * For Sensors events only `$utm_*` is read as the visit's campaign: the SDK adds the last
 * campaign it saw (`$latest_utm_*`) to every event, which says nothing about this visit.
 *
 * @example
 * touchOf(row, classifier) // { kind: 'touch', touch: { channel: 'baidu_search', group: 'paid_search', kind: 'click', … } }
 */
export function touchOf(row: EventRow, classifier: ChannelClassifier): TouchOutcome {
  const facts = touchFactsOf(row)
  if (facts === null) return null
  const origin = facts.origin
  const assignment = classifier.classify(facts)
  if (assignment === null) return { kind: 'unassigned' }
  if (assignment.kind === 'excluded') return { kind: 'excluded' }
  const kind = kindOf(row, origin, assignment.group)
  const campaign = origin === 'message' ? row.messageCampaign : (facts.campaign ?? row.messageCampaign)
  return {
    kind: 'touch',
    touch: { at: row.timestamp, kind, channel: assignment.channel, group: assignment.group, campaign, journey: row.journey },
  }
}

/**
 * What the channel rules see of an event that may be a touch, or `null` when it is not one (an
 * order, a product view, navigation inside a visit). {@link touchOf} classifies these facts; a
 * reader that keeps facts (event counts per channel) classifies them later with the rules of the day.
 */
export function touchFactsOf(row: EventRow): TouchFacts | null {
  const origin = originOf(row)
  return origin === null ? null : factsOf(row, origin)
}

function originOf(row: EventRow): TouchOrigin | null {
  const event = row.event
  if (row.type === 'track' && event !== null) {
    if (event in MESSAGE_EVENT_KINDS) return 'message'
    if (arrivalEvents.has(event)) return 'arrival'
    if (exposureEvents.has(event)) return 'exposure'
    if (storeEvents.has(event)) return 'store'
  }
  const channel = row.propertyChannel?.trim().toLowerCase()
  if (channel) {
    if (storeChannels.has(channel)) return 'store'
    if (marketplaceChannels.has(channel)) return 'marketplace'
  }
  if (row.type === 'page' || row.type === 'screen') return 'arrival'
  return null
}

function kindOf(row: EventRow, origin: TouchOrigin, group: ChannelGroup): TouchKind {
  switch (origin) {
    case 'message':
      return MESSAGE_EVENT_KINDS[row.event!]!
    case 'exposure':
      return 'view'
    case 'store':
      return 'store_visit'
    case 'marketplace':
      return 'visit'
    case 'arrival':
      return group === 'direct' ? 'visit' : 'click'
  }
}

function isSensors(row: EventRow): boolean {
  return row.library !== null && row.library.startsWith('sensors/')
}

/** The facts of an event, or `null` when a page or screen is navigation inside a visit. */
function factsOf(row: EventRow, origin: TouchOrigin): TouchFacts | null {
  const sensors = isSensors(row)
  let source = sensors ? row.sensorsSource : (row.campaignSource ?? row.utmSource)
  let medium = sensors ? row.sensorsMedium : (row.campaignMedium ?? row.utmMedium)
  const campaign = sensors ? row.sensorsCampaign : (row.campaignName ?? row.utmCampaign)
  const clickIds = origin === 'arrival' ? clickIdsOf(row.url, row.search) : []
  let referrer: string | null = null
  const scene = sceneOf(row.scene)

  if (origin === 'arrival' && (row.type === 'page' || row.type === 'screen')) {
    const hasCampaign = source !== null || medium !== null || clickIds.length > 0
    const refHost = urlHost(row.referrer)
    const pageHost = urlHost(row.url)
    if (refHost !== null && !(pageHost !== null && sameSite(refHost, pageHost))) referrer = refHost
    if (!hasCampaign && referrer === null) {
      // A screen, or a page with a same-site or non-URL referrer, continues a visit; a page
      // with no referrer at all was typed in, bookmarked or opened from an app (direct).
      if (row.type === 'screen') return null
      if (row.referrer !== null && row.referrer.trim() !== '') return null
    }
  }
  if (origin === 'exposure') {
    source = source ?? row.platform ?? row.propertyChannel
    medium = medium ?? 'cpm'
  }
  const propertyChannel = clean(row.propertyChannel)
  return {
    origin,
    type: row.type,
    event: row.event,
    source: lower(source),
    medium: lower(medium),
    campaign: clean(campaign),
    term: clean(sensors ? null : row.campaignTerm),
    content: clean(sensors ? null : row.campaignContent),
    referrer,
    clickIds,
    scene: origin === 'arrival' ? scene : null,
    messageChannel: origin === 'message' ? lower(propertyChannel) : null,
    propertyChannel,
    library: row.library,
  }
}

/** `wx-1058`, `1058` or 1058 → `'1058'`. */
function sceneOf(value: string | null): string | null {
  if (value === null) return null
  const match = /(\d{3,5})\s*$/.exec(value)
  return match ? match[1]! : null
}

function clean(value: string | null): string | null {
  if (value === null) return null
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed
}

function lower(value: string | null): string | null {
  const trimmed = clean(value)
  return trimmed === null ? null : trimmed.toLowerCase()
}
