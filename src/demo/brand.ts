/**
 * The demo brand: 和声优品 launches 活力元气水, a functional drink built on the idea 活力健康.
 * Everything here is catalogue data — products, stores, storefronts, campaign names — shared by
 * the causal model and by the code that writes wire payloads.
 */

export const BRAND = {
  name: '和声优品',
  product: '活力元气水',
  idea: '活力健康',
  siteOrigin: 'https://www.heshengyoupin.example',
  miniProgramAppId: 'wx5d3c8e1f0a2b4c6d',
  currency: 'CNY',
} as const

export interface Product {
  id: string
  sku: string
  name: string
  category: string
  /** Shelf price in fen (CNY minor units). */
  priceMinor: number
  /** Drinks in the pack, used to model when a buyer runs out. */
  servings: number
  slug: string
}

export const PRODUCTS: readonly Product[] = [
  { id: 'p-yqs-500-yw', sku: 'HS-YQS-500-YW', name: '活力元气水 原味 500ml', category: '功能饮料', priceMinor: 650, servings: 1, slug: 'yuanqi-water-original' },
  { id: 'p-yqs-500-qn', sku: 'HS-YQS-500-QN', name: '活力元气水 青柠味 500ml', category: '功能饮料', priceMinor: 650, servings: 1, slug: 'yuanqi-water-lime' },
  { id: 'p-yqs-500-bt', sku: 'HS-YQS-500-BT', name: '活力元气水 白桃味 0糖 500ml', category: '功能饮料', priceMinor: 690, servings: 1, slug: 'yuanqi-water-peach' },
  { id: 'p-yqs-12', sku: 'HS-YQS-12-MIX', name: '活力元气水 混合口味 12瓶装', category: '功能饮料', priceMinor: 7200, servings: 12, slug: 'yuanqi-water-12-pack' },
  { id: 'p-yqs-24', sku: 'HS-YQS-24-YW', name: '活力元气水 原味 24瓶装', category: '功能饮料', priceMinor: 12900, servings: 24, slug: 'yuanqi-water-24-pack' },
  { id: 'p-djz-20', sku: 'HS-DJZ-20', name: '元气电解质冲剂 20袋', category: '冲调饮品', priceMinor: 5900, servings: 20, slug: 'electrolyte-sachets' },
]

/** Where an order is placed. */
export const VENUES = ['brand_site', 'wechat_mini_program', 'tmall', 'jd', 'pos'] as const
export type Venue = (typeof VENUES)[number]

export const VENUE_AFFILIATION: Record<Venue, string> = {
  brand_site: '和声优品官网商城',
  wechat_mini_program: '和声优品微信小程序商城',
  tmall: '和声优品天猫旗舰店',
  jd: '和声优品京东自营旗舰店',
  pos: '和声优品线下门店',
}

export interface Store {
  id: string
  name: string
  city: string
}

/** Brand stores (offline). People in cities without one never buy at POS. */
export const STORES: readonly Store[] = [
  { id: 'SH001', name: '和声优品 上海静安嘉里中心店', city: '上海' },
  { id: 'SH002', name: '和声优品 上海徐汇港汇店', city: '上海' },
  { id: 'BJ001', name: '和声优品 北京三里屯店', city: '北京' },
  { id: 'BJ002', name: '和声优品 北京国贸店', city: '北京' },
  { id: 'GZ001', name: '和声优品 广州天河城店', city: '广州' },
  { id: 'SZ001', name: '和声优品 深圳万象天地店', city: '深圳' },
  { id: 'HZ001', name: '和声优品 杭州湖滨银泰店', city: '杭州' },
  { id: 'CD001', name: '和声优品 成都太古里店', city: '成都' },
  { id: 'NJ001', name: '和声优品 南京新街口店', city: '南京' },
  { id: 'WH001', name: '和声优品 武汉楚河汉街店', city: '武汉' },
]

/** The two phases of the launch; owned channels use the phase name as their campaign. */
export const PHASES = [
  { name: '活力健康新品上市', until: 0.5 },
  { name: '元气焕活季', until: 1 },
] as const

/** A mid-period promotion: lower prices, more demand, and more paid budget at the same time. */
export const PROMOTION = { name: '年中焕新促', from: 0.6, to: 0.66, discount: 0.15, demandLift: 1.4, budgetLift: 1.3, coupon: 'HX15' } as const

/** Landing pages per source, so paths on the site say where people came from. */
export const LANDING_PAGES = {
  campaign: { path: '/campaign/vitality-launch', title: '活力元气水 新品上市 | 和声优品' },
  home: { path: '/', title: '和声优品 | 活力健康每一天' },
  product: { path: '/products/yuanqi-water', title: '活力元气水 | 和声优品' },
  story: { path: '/stories/vitality-health', title: '活力健康的秘密 | 和声优品' },
} as const
