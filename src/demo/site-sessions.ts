import { BRAND, LANDING_PAGES, PRODUCTS, VENUES } from './brand.ts'
import { formatPhone } from './id-formats.ts'
import { orderCompletedProperties, productProperties, yuan } from './order-payloads.ts'
import { browserIdentifyCall, browserPageCall, browserTrackCall, type BrowserPage, type CampaignContext } from './segment-calls.ts'
import { siteDevices, siteTraits, siteUrl, type PersonDay, type SiteDevice } from './trail.ts'
import type { ConversionOutcome } from './day-outcome.ts'

/** How a visitor reached the brand site. */
export type SiteSource =
  | { kind: 'utm'; utm: CampaignContext; referrer: string; landing: keyof typeof LANDING_PAGES; clickParam?: readonly [string, string] }
  | { kind: 'organic_search'; keyword: string }
  | { kind: 'direct' }

export interface SiteVisit {
  at: number
  source: SiteSource
  /** The purchase made in this visit, if any. */
  purchase: ConversionOutcome | null
  /** Desktop if the person has one (search and email are often read at a desk). */
  preferDesktop: boolean
}

const PRODUCT_PAGE = (slug: string) => `/products/${slug}`

/**
 * One visit to the brand site through analytics.js: a landing page (with `context.campaign` while
 * the URL carries UTM parameters), maybe a product, maybe a cart that is abandoned, and for a
 * purchase the spec's checkout sequence — Product Added, Checkout Started, sign-in or sign-up
 * (identify with traits), Order Completed. Returns when the visit ended.
 */
export function writeSiteVisit(ctx: PersonDay, visit: SiteVisit): number {
  const { rng, person } = ctx
  const devices = siteDevices(ctx)
  const device = visit.preferDesktop && devices.length > 1 && rng.chance(0.6) ? devices[1]! : devices[0]!
  let at = visit.at
  const landing = visit.source.kind === 'utm' ? LANDING_PAGES[visit.source.landing] : visit.source.kind === 'organic_search' ? LANDING_PAGES.home : rng.chance(0.5) ? LANDING_PAGES.home : LANDING_PAGES.product
  let search = ''
  let referrer = ''
  let campaign: CampaignContext | null = null
  if (visit.source.kind === 'utm') {
    const params = new URLSearchParams({ utm_source: visit.source.utm.source, utm_medium: visit.source.utm.medium, utm_campaign: visit.source.utm.name })
    if (visit.source.utm.content) params.set('utm_content', visit.source.utm.content)
    if (visit.source.utm.term) params.set('utm_term', visit.source.utm.term)
    if (visit.source.clickParam) params.set(visit.source.clickParam[0], visit.source.clickParam[1])
    search = `?${params.toString()}`
    referrer = visit.source.referrer
    campaign = visit.source.utm
  } else if (visit.source.kind === 'organic_search') {
    referrer = `https://www.baidu.com/s?wd=${encodeURIComponent(visit.source.keyword)}`
  }
  let page = pageOf(ctx, device, landing.path, search, landing.title, referrer, campaign)
  ctx.sink.segment(browserPageCall(rng, at, page, landing.title.split(' | ')[0]!))

  const purchase = visit.purchase
  const browsesProduct = purchase !== null || rng.chance(0.55)
  const featured = PRODUCTS[rng.int(PRODUCTS.length)]!
  if (browsesProduct) {
    at += rng.between(15, 90) * 1000
    page = pageOf(ctx, device, PRODUCT_PAGE(featured.slug), '', `${featured.name} | ${BRAND.name}`, page.url, null)
    ctx.sink.segment(browserPageCall(rng, at, page, featured.name))
    at += rng.between(2, 8) * 1000
    const viewed = PRODUCTS.indexOf(featured)
    ctx.sink.segment(browserTrackCall(rng, at, page, 'Product Viewed', { ...productProperties({ product: viewed, quantity: 1 }), currency: BRAND.currency }))
  }

  if (!purchase) {
    if (browsesProduct && rng.chance(0.2)) {
      at += rng.between(10, 60) * 1000
      const cartId = rng.uuid()
      ctx.sink.segment(browserTrackCall(rng, at, page, 'Product Added', { cart_id: cartId, ...productProperties({ product: PRODUCTS.indexOf(featured), quantity: 1 }), currency: BRAND.currency }))
      ctx.trail.cartOpen = true
    }
    if (!device.loggedIn && ctx.memberBefore && rng.chance(0.15)) at = signIn(ctx, device, page, at + rng.between(20, 120) * 1000, 'Signed In')
    return at + rng.between(10, 120) * 1000
  }

  // Checkout: add what is bought, start checkout, sign in or up, complete the order.
  const cartId = rng.uuid()
  for (const line of purchase.basket.lines) {
    at += rng.between(8, 45) * 1000
    const product = PRODUCTS[line.product]!
    page = pageOf(ctx, device, PRODUCT_PAGE(product.slug), '', `${product.name} | ${BRAND.name}`, page.url, null)
    ctx.sink.segment(browserTrackCall(rng, at, page, 'Product Added', { cart_id: cartId, ...productProperties(line), currency: BRAND.currency }))
  }
  at += rng.between(10, 40) * 1000
  page = pageOf(ctx, device, '/cart', '', `购物车 | ${BRAND.name}`, page.url, null)
  ctx.sink.segment(browserPageCall(rng, at, page, '购物车'))
  const orderId = `HS${ctx.dateKey.replaceAll('-', '')}${String(ctx.nextOrderSeq(VENUES[purchase.venue]!)).padStart(6, '0')}`
  at += rng.between(5, 20) * 1000
  ctx.sink.segment(browserTrackCall(rng, at, page, 'Checkout Started', {
    order_id: orderId,
    value: yuan(purchase.basket.subtotalMinor),
    revenue: yuan(purchase.basket.revenueMinor),
    currency: BRAND.currency,
    products: purchase.basket.lines.map((line, i) => productProperties(line, i + 1)),
  }))
  if (!device.loggedIn) at = signIn(ctx, device, page, at + rng.between(20, 90) * 1000, purchase.wasMember ? 'Signed In' : 'Signed Up')
  page = { ...page, userId: person.userId }
  at += rng.between(20, 120) * 1000
  ctx.sink.segment(browserTrackCall(rng, at, page, 'Order Completed', orderCompletedProperties(purchase.basket, orderId, purchase.venue, { checkout_id: cartId })))
  ctx.trail.cartOpen = false
  at += rng.between(1, 3) * 1000
  page = pageOf(ctx, device, '/checkout/success', `?order_id=${orderId}`, `支付成功 | ${BRAND.name}`, page.url, null)
  ctx.sink.segment(browserPageCall(rng, at, page, '支付成功'))
  return at + rng.between(5, 60) * 1000
}

/** Sign-in or sign-up with a phone code: identify (userId + traits) then the spec's event. */
function signIn(ctx: PersonDay, device: SiteDevice, page: BrowserPage, at: number, event: 'Signed In' | 'Signed Up'): number {
  const { rng, person } = ctx
  const traits = siteTraits(person, formatPhone(person.phone, 'spacedInternational'))
  ctx.sink.segment(browserIdentifyCall(rng, at, page, person.userId, traits))
  device.loggedIn = true
  const next = at + rng.between(1, 3) * 1000
  ctx.sink.segment(browserTrackCall(rng, next, { ...page, userId: person.userId }, event, { method: 'phone', ...(event === 'Signed Up' ? { type: 'member' } : {}) }))
  return next
}

function pageOf(ctx: PersonDay, device: SiteDevice, path: string, search: string, title: string, referrer: string, campaign: CampaignContext | null): BrowserPage {
  return {
    anonymousId: device.anonymousId,
    userId: device.loggedIn ? ctx.person.userId : null,
    userAgent: device.userAgent,
    timeZone: ctx.person.timeZone,
    path,
    search,
    url: siteUrl(path, search),
    title,
    referrer,
    campaign,
  }
}
