import { z } from 'zod'

/**
 * What kind of contact a touchpoint is. A conversion definition says which kinds count.
 *
 * | kind | from |
 * |---|---|
 * | `click` | a landing or app launch with a source (UTM, ad click id, external referrer, a WeChat scene that is not a reopen), or a message click |
 * | `visit` | a landing or launch with no source (direct: typed, bookmarked, reopened), or an order or visit on a marketplace |
 * | `view` | an opened message (`Message Opened`, `Email Opened`) or an ad exposure (`Ad Viewed`, `Ad Impression`) |
 * | `message` | a message that reached the person (`Message Sent`/`Delivered`, `Email Delivered`, `WeChat Template Message Sent`…) |
 * | `store_visit` | an offline store: an event with `properties.channel` pos/store, or `Store Visited` |
 */
export const TOUCH_KINDS = ['click', 'visit', 'view', 'message', 'store_visit'] as const
export const TouchKind = z.enum(TOUCH_KINDS)
export type TouchKind = z.infer<typeof TouchKind>

/** The kinds a conversion counts unless told otherwise: deliveries alone are not engagement. */
export const DEFAULT_TOUCH_KINDS: readonly TouchKind[] = ['click', 'visit', 'view', 'store_visit']

/** Track events that start a visit in an app or mini program (Sensors presets, Segment mobile spec). */
export const ARRIVAL_EVENTS: readonly string[] = ['$MPLaunch', '$MPShow', '$AppStart', 'Application Opened', 'Deep Link Opened']

/** Message events by the kind of touch they are. */
export const MESSAGE_EVENT_KINDS: Readonly<Record<string, TouchKind>> = {
  // Chorus's own delivery events (channels and journeys write them).
  'Message Sent': 'message',
  'Message Delivered': 'message',
  'Message Opened': 'view',
  'Message Clicked': 'click',
  // Segment Email spec.
  'Email Delivered': 'message',
  'Email Opened': 'view',
  'Email Link Clicked': 'click',
  // SMS and push (Segment mobile spec), WeChat template messages.
  'SMS Sent': 'message',
  'SMS Delivered': 'message',
  'SMS Link Clicked': 'click',
  'Push Notification Received': 'message',
  'Push Notification Tapped': 'click',
  'WeChat Template Message Sent': 'message',
  'WeChat Template Message Delivered': 'message',
  'WeChat Template Message Clicked': 'click',
}

/** Ad exposures reported per person (rare on the wire: platforms report impressions in aggregate). */
export const EXPOSURE_EVENTS: readonly string[] = ['Ad Viewed', 'Ad Impression']

/** Events that say the person was in a store. */
export const STORE_EVENTS: readonly string[] = ['Store Visited', 'Store Checked In']

/** `properties.channel` values of offline stores (the POS and store exports say `pos` or `store`). */
export const STORE_CHANNELS: readonly string[] = ['pos', 'store', 'offline', 'offline_store', 'retail', '门店', '线下']

/** `properties.channel` values of marketplaces: orders exported from Tmall, JD, Pinduoduo… */
export const MARKETPLACE_CHANNELS: readonly string[] = ['tmall', 'taobao', 'jd', 'pinduoduo', 'pdd', 'douyin_shop', 'doudian', 'kuaishou_shop', 'vipshop', 'vip', '天猫', '淘宝', '京东', '拼多多', '抖店']

/** Every event name that may be a touchpoint, for the scan's filter. */
export const TOUCH_EVENT_NAMES: readonly string[] = [...ARRIVAL_EVENTS, ...Object.keys(MESSAGE_EVENT_KINDS), ...EXPOSURE_EVENTS, ...STORE_EVENTS]
