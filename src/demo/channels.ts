/**
 * Marketing channels with a TRUE causal effect on buying, and the paid campaigns that buy their
 * exposure. The numbers are the simulation's ground truth: the demand model multiplies a person's
 * baseline purchase hazard by `1 + lift × adstock / (adstock + halfSaturation)` for every channel —
 * a geometric adstock and a Hill saturation curve with shape 1, as in Jin et al. 2017, "Bayesian
 * Methods for Media Mix Modeling with Carryover and Shape Effects".
 */

/** Channels whose removal changes how many people buy; order is the index used in state arrays. */
export const CAUSAL_CHANNELS = [
  'wechat_official_account',
  'douyin',
  'xiaohongshu',
  'weibo',
  'baidu_search',
  'sms',
  'email',
] as const
export type CausalChannel = (typeof CAUSAL_CHANNELS)[number]
export const CHANNEL_COUNT = CAUSAL_CHANNELS.length

export const CH = {
  wechat_official_account: 0,
  douyin: 1,
  xiaohongshu: 2,
  weibo: 3,
  baidu_search: 4,
  sms: 5,
  email: 6,
} as const satisfies Record<CausalChannel, number>

export interface ChannelEffect {
  channel: CausalChannel
  /** Maximum relative increase of the purchase hazard at full saturation. */
  lift: number
  /** Share of yesterday's adstock that carries over to today. */
  decay: number
  /** Adstock at which the effect reaches half of its maximum. */
  halfSaturation: number
  paid: boolean
}

/**
 * Deliberately unequal: search and CRM messages collect many clicks from people who would buy
 * anyway (small lift), while Xiaohongshu notes and Weibo views work mostly without clicks.
 */
export const CHANNEL_EFFECTS: readonly ChannelEffect[] = [
  { channel: 'wechat_official_account', lift: 0.5, decay: 0.75, halfSaturation: 1.0, paid: false },
  { channel: 'douyin', lift: 0.45, decay: 0.6, halfSaturation: 1.5, paid: true },
  { channel: 'xiaohongshu', lift: 0.6, decay: 0.85, halfSaturation: 1.8, paid: true },
  { channel: 'weibo', lift: 0.3, decay: 0.6, halfSaturation: 1.5, paid: true },
  { channel: 'baidu_search', lift: 0.3, decay: 0.5, halfSaturation: 1.0, paid: true },
  { channel: 'sms', lift: 0.35, decay: 0.5, halfSaturation: 1.0, paid: false },
  { channel: 'email', lift: 0.25, decay: 0.5, halfSaturation: 1.0, paid: false },
]

/** Adstock added per exposure kind. */
export const EXPOSURE_WEIGHT = {
  impression: 1,
  click: 2.5,
  emailDelivered: 0.3,
  emailOpened: 1,
  templateDelivered: 0.5,
  smsDelivered: 1,
} as const

export interface PaidCampaign {
  /** Position in the spend arrays. */
  index: number
  channel: 'douyin' | 'xiaohongshu' | 'weibo'
  name: string
  /** Active between these fractions of the period. */
  from: number
  to: number
  /** Expected impressions per person per day at a weekly multiplier of 1. */
  rate: number
  /** Cost per thousand impressions, fen. */
  cpmMinor: number
  /** Probability that one impression is clicked. */
  ctr: number
  /** Extra weight during the first 15% of the period (launch burst). */
  launchBurst: number
  /** Probability that a week is dark (no budget). */
  darkWeekChance: number
  utmMedium: string
}

export const DISPLAY_CAMPAIGNS: readonly PaidCampaign[] = [
  { index: 0, channel: 'douyin', name: '活力健康新品上市', from: 0, to: 0.5, rate: 0.16, cpmMinor: 3800, ctr: 0.012, launchBurst: 1.7, darkWeekChance: 0, utmMedium: 'paid_video' },
  { index: 1, channel: 'douyin', name: '元气焕活季', from: 0.5, to: 1, rate: 0.11, cpmMinor: 3500, ctr: 0.013, launchBurst: 1, darkWeekChance: 0.1, utmMedium: 'paid_video' },
  { index: 2, channel: 'xiaohongshu', name: 'KOL种草·活力健康', from: 0, to: 1, rate: 0.07, cpmMinor: 9000, ctr: 0.004, launchBurst: 1.5, darkWeekChance: 0.15, utmMedium: 'kol' },
  { index: 3, channel: 'xiaohongshu', name: '信息流·元气水', from: 0.3, to: 1, rate: 0.06, cpmMinor: 5500, ctr: 0.008, launchBurst: 1, darkWeekChance: 0.2, utmMedium: 'paid_social' },
  { index: 4, channel: 'weibo', name: '活力健康新品上市', from: 0, to: 0.4, rate: 0.12, cpmMinor: 1800, ctr: 0.003, launchBurst: 1.6, darkWeekChance: 0.1, utmMedium: 'paid_social' },
  { index: 5, channel: 'weibo', name: '热搜话题·元气挑战', from: 0.62, to: 0.76, rate: 0.25, cpmMinor: 2000, ctr: 0.004, launchBurst: 1, darkWeekChance: 0, utmMedium: 'paid_social' },
]

export interface SearchCampaign {
  index: number
  channel: 'baidu_search'
  name: string
  /** Cost per click, fen, before the weekly bid factor. */
  cpcMinor: number
  keywords: readonly string[]
}

/** Always-on paid search; impressions follow searches, cost follows clicks. */
export const SEARCH_CAMPAIGNS: readonly SearchCampaign[] = [
  { index: 6, channel: 'baidu_search', name: '品牌词-和声优品', cpcMinor: 180, keywords: ['和声优品', '活力元气水', '和声优品 元气水', '活力元气水 官网'] },
  { index: 7, channel: 'baidu_search', name: '品类词-功能饮料', cpcMinor: 320, keywords: ['功能饮料推荐', '运动后喝什么补充电解质', '0糖饮料', '提神饮料 健康'] },
]

export const BRAND_SEARCH = 6
export const CATEGORY_SEARCH = 7
export const CAMPAIGN_COUNT = DISPLAY_CAMPAIGNS.length + SEARCH_CAMPAIGNS.length

export interface CampaignInfo {
  index: number
  channel: 'douyin' | 'xiaohongshu' | 'weibo' | 'baidu_search'
  name: string
}

export const ALL_CAMPAIGNS: readonly CampaignInfo[] = [...DISPLAY_CAMPAIGNS, ...SEARCH_CAMPAIGNS]

/** How the channels an owned message goes through are scheduled, as fractions of the period. */
export const OWNED_SCHEDULE = {
  /** WeChat official account pushes an article on Tuesdays and Fridays (Shanghai weekdays). */
  articleWeekdays: [2, 5] as readonly number[],
  articleReadRate: 0.18,
  articleClickRate: 0.12,
  templateDays: [0, 0.4, 0.75] as readonly number[],
  templateClickRate: 0.08,
  smsDays: [0.02, 0.3, 0.6, 0.85] as readonly number[],
  smsClickRate: 0.03,
  /** Email goes out every Thursday. */
  emailWeekday: 4,
  emailOpenRate: 0.22,
  emailClickRate: 0.15,
} as const
