/**
 * What channel rules can look at: the facts of one touch, extracted from an event of the log.
 * Text facts are trimmed; `source` and `medium` are lower-cased (UTM values are matched without
 * case, as Google Analytics does), the rest keep their case and are compared without it.
 */
export interface TouchFacts {
  /** How the touch reached Chorus: a landing or app launch, a message, a store or marketplace order, an ad exposure. */
  origin: TouchOrigin
  type: string
  event: string | null
  /** `utm_source` of this visit (Segment `context.campaign.source`, `properties.utm_source`, Sensors `$utm_source`). */
  source: string | null
  medium: string | null
  campaign: string | null
  term: string | null
  content: string | null
  /** Host of an external referrer (`context.page.referrer`), lower-case, e.g. `www.baidu.com`. */
  referrer: string | null
  /** Names of the ad click-id parameters on the landing URL, e.g. `['bd_vid']`. */
  clickIds: readonly string[]
  /** WeChat mini-program scene value (`$scene: 'wx-1058'` → `1058`), as text. */
  scene: string | null
  /** `properties.channel` of a message event (email, sms, wechat, wecom, push, in_app…). */
  messageChannel: string | null
  /** `properties.channel` of any event (pos, store, tmall, jd…). */
  propertyChannel: string | null
  /** The SDK that sent the event (`context.library.name`), e.g. `analytics.js`, `sensors/MiniProgram`. */
  library: string | null
}

export const TOUCH_ORIGINS = ['arrival', 'message', 'store', 'marketplace', 'exposure'] as const
export type TouchOrigin = (typeof TOUCH_ORIGINS)[number]

/** Fact names a rule condition can test. */
export const FACT_FIELDS = [
  'origin',
  'type',
  'event',
  'source',
  'medium',
  'campaign',
  'term',
  'content',
  'referrer',
  'clickId',
  'scene',
  'messageChannel',
  'propertyChannel',
  'library',
] as const
export type FactField = (typeof FACT_FIELDS)[number]

/** The values of one fact (a list for `clickId`, at most one value for the others). */
export function factValues(facts: TouchFacts, field: FactField): readonly string[] {
  if (field === 'clickId') return facts.clickIds
  const value = field === 'origin' ? facts.origin : facts[field]
  return value === null || value === '' ? NONE : [value]
}

const NONE: readonly string[] = []
