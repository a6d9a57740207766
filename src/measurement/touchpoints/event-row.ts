/**
 * One event of the log as the scan reads it: the columns, and the few payload fields that touch
 * classification and conversion matching need (read in the database, see `jsonText`).
 */
export interface EventRow {
  seq: number
  profileId: string
  timestamp: number
  type: string
  event: string | null
  orderMinor: number | null
  orderCurrency: string | null
  /** `context.library.name`. */
  library: string | null
  /** `context.campaign.*` (analytics.js fills it from `utm_*` on the landing URL). */
  campaignSource: string | null
  campaignMedium: string | null
  campaignName: string | null
  campaignTerm: string | null
  campaignContent: string | null
  /** `properties.utm_*` (set by hand or by server-side trackers). */
  utmSource: string | null
  utmMedium: string | null
  utmCampaign: string | null
  /** Sensors `properties.$utm_*` of this visit (the SDK's `$latest_utm_*` are not a visit's source). */
  sensorsSource: string | null
  sensorsMedium: string | null
  sensorsCampaign: string | null
  /** `context.page.referrer`, else `properties.referrer`. */
  referrer: string | null
  /** `context.page.url`, else `properties.url`. */
  url: string | null
  /** `context.page.search`, else `properties.search`. */
  search: string | null
  /** `properties.channel`. */
  propertyChannel: string | null
  /** `properties.$scene`, else `properties.scene`. */
  scene: string | null
  /** `properties.platform` (ad exposures). */
  platform: string | null
  /** A message's campaign: `properties.campaign_name`, `campaign`, `campaign_id`. */
  messageCampaign: string | null
  /** The journey that sent a message: `properties.journey_name`, `journeyName`, `journey_id`, `journeyId`. */
  journey: string | null
  /** The payload paths a conversion definition asked for, in its order. */
  extra: (string | null)[]
}
