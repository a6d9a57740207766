import { BRAND, PRODUCTS, VENUES } from './brand.ts'
import { DAY_MS } from './calendar.ts'
import { formatPhone, sensorsAnonymousId, wechatId } from './id-formats.ts'
import { orderCompletedProperties, yuan } from './order-payloads.ts'
import { PERSONAS } from './personas.ts'
import { Purpose, Rng } from './prng.ts'
import { serverTrackCall } from './segment-calls.ts'
import { bindRecord, loginRecord, navigate, profileSetRecord, relaunch, trackRecord, type MiniProgramInstall } from './sensors-records.ts'
import type { PersonDay } from './trail.ts'
import type { ConversionOutcome } from './day-outcome.ts'

/**
 * WeChat scene values (https://developers.weixin.qq.com/miniprogram/dev/reference/scene-list.html)
 * for the ways people open the brand's mini program.
 */
export const SCENES = {
  discover: 1001,
  officialAccountMenu: 1035,
  templateMessage: 1043,
  officialAccountArticle: 1058,
  urlLink: 1065,
  recent: 1089,
  myMiniPrograms: 1256,
} as const

export interface MiniProgramVisit {
  at: number
  scene: number
  /** `utm_*` in the launch query, which the SDK reports as `$utm_*` and registers as `$latest_utm_*`. */
  utm: { source: string; medium: string; campaign: string } | null
  landing: { path: string; title: string }
  purchase: ConversionOutcome | null
}

const NETWORKS = ['WIFI', 'WIFI', '5G', '4G']

/**
 * One mini-program visit as the Sensors mini-program SDK reports it: first launch binds the
 * openid (and the unionid for official-account followers), then `$MPLaunch`, `$MPShow`,
 * `$MPViewScreen` per page, product and cart events, login (`$SignUp`, phone `$BindID`,
 * `profile_set`) before paying, and `$MPHide`. A paid order is reported by the shop's backend as a
 * server-side Segment `Order Completed` keyed by the member id. Returns when the visit ended.
 */
export function writeMiniProgramVisit(ctx: PersonDay, visit: MiniProgramVisit): number {
  const { rng, person } = ctx
  let at = visit.at
  let install = ctx.trail.install
  const firstLaunch = install === null
  if (!install) {
    install = createInstall(ctx, at)
    ctx.trail.install = install
  }
  const query: Record<string, string> = {}
  if (visit.utm) {
    query.$utm_source = visit.utm.source
    query.$utm_medium = visit.utm.medium
    query.$utm_campaign = visit.utm.campaign
    install.latest = {
      $latest_utm_source: visit.utm.source,
      $latest_utm_medium: visit.utm.medium,
      $latest_utm_campaign: visit.utm.campaign,
    }
  }
  install.latest.$latest_scene = `wx-${visit.scene}`
  relaunch(install)
  navigate(install, visit.landing.path, visit.landing.title)
  const scene = `wx-${visit.scene}`
  if (firstLaunch || rng.chance(0.7)) {
    ctx.sink.sensors(trackRecord(rng, at, install, '$MPLaunch', { $scene: scene, $is_first_time: firstLaunch, ...query }))
    if (firstLaunch) {
      at += rng.between(300, 1500)
      ctx.sink.sensors(bindRecord(rng, at, install, '$identity_mp_openid', wechatId(new Rng(ctx.seed, Purpose.device, person.index, 1))))
      if (person.followsOfficialAccount) {
        at += rng.between(100, 600)
        ctx.sink.sensors(bindRecord(rng, at, install, '$identity_mp_unionid', wechatId(new Rng(ctx.seed, Purpose.device, person.index, 2))))
      }
    }
  }
  at += rng.between(200, 900)
  ctx.sink.sensors(trackRecord(rng, at, install, '$MPShow', { $scene: scene, ...query }))
  at += rng.between(300, 1500)
  ctx.sink.sensors(trackRecord(rng, at, install, '$MPViewScreen', { $scene: scene }))
  const start = visit.at

  const purchase = visit.purchase
  const featured = purchase ? purchase.basket.lines[0]!.product : rng.int(PRODUCTS.length)
  if (purchase || rng.chance(0.5)) {
    const product = PRODUCTS[featured]!
    at += rng.between(10, 60) * 1000
    navigate(install, 'pages/product/detail', product.name)
    ctx.sink.sensors(trackRecord(rng, at, install, '$MPViewScreen', { $scene: scene }))
    ctx.sink.sensors(trackRecord(rng, at + rng.between(500, 3000), install, 'ViewProduct', productFields(featured)))
    if (!purchase && rng.chance(0.18)) {
      at += rng.between(10, 40) * 1000
      ctx.sink.sensors(trackRecord(rng, at, install, 'AddToCart', { ...productFields(featured), product_quantity: 1 }))
      ctx.trail.cartOpen = true
    }
  }
  if (!purchase && !install.loginId && ctx.memberBefore && rng.chance(0.2)) at = logIn(ctx, install, at + rng.between(10, 40) * 1000)

  if (purchase) {
    for (const line of purchase.basket.lines) {
      at += rng.between(5, 30) * 1000
      ctx.sink.sensors(trackRecord(rng, at, install, 'AddToCart', { ...productFields(line.product), product_quantity: line.quantity }))
    }
    if (!install.loginId) at = logIn(ctx, install, at + rng.between(10, 40) * 1000)
    const orderId = `MP${ctx.dateKey.replaceAll('-', '')}${String(ctx.nextOrderSeq(VENUES[purchase.venue]!)).padStart(6, '0')}`
    at += rng.between(15, 60) * 1000
    navigate(install, 'pages/order/confirm', '确认订单')
    ctx.sink.sensors(trackRecord(rng, at, install, '$MPViewScreen', { $scene: scene }))
    ctx.sink.sensors(trackRecord(rng, at + 800, install, 'SubmitOrder', {
      order_id: orderId,
      order_amount: yuan(purchase.basket.totalMinor),
      product_count: purchase.basket.lines.reduce((n, l) => n + l.quantity, 0),
    }))
    // Payment confirmation reaches the shop's backend a few seconds later; it reports the order.
    const paidAt = at + rng.between(8, 40) * 1000
    ctx.sink.segment(serverTrackCall(rng, paidAt, { userId: person.userId }, 'Order Completed',
      orderCompletedProperties(purchase.basket, orderId, purchase.venue, { channel: 'wechat_mini_program', payment_method: '微信支付' })))
    ctx.trail.cartOpen = false
    at = paidAt + 1000
    navigate(install, 'pages/order/success', '支付成功')
    ctx.sink.sensors(trackRecord(rng, at, install, '$MPViewScreen', { $scene: scene }))
  }
  at += rng.between(10, 120) * 1000
  ctx.sink.sensors(trackRecord(rng, at, install, '$MPHide', { $event_duration: Math.round((at - start) / 100) / 10 }))
  return at
}

/** Phone authorisation then `login(memberId)`, the bound mobile and the profile. */
function logIn(ctx: PersonDay, install: MiniProgramInstall, at: number): number {
  const { rng, person } = ctx
  ctx.sink.sensors(loginRecord(rng, at, install, person.userId))
  const next = at + rng.between(200, 900)
  ctx.sink.sensors(bindRecord(rng, next, install, '$identity_mobile', formatPhone(person.phone, 'e164')))
  ctx.sink.sensors(profileSetRecord(next + 50, install, { name: person.name, city: person.city, persona: PERSONAS[person.persona]!.name }))
  return next + 100
}

function createInstall(ctx: PersonDay, at: number): MiniProgramInstall {
  const rng = new Rng(ctx.seed, Purpose.device, ctx.person.index, 3)
  const anonymousId = sensorsAnonymousId(rng, at)
  const localMidnight = ctx.zones.localToUtc(ctx.person.timeZone, ctx.plan.dayStartMs(ctx.day), 0)
  return {
    anonymousId,
    firstDayEndsMs: localMidnight + DAY_MS,
    identities: { $identity_mp_id: anonymousId },
    loginId: null,
    handset: ctx.person.handset,
    network: NETWORKS[rng.int(NETWORKS.length)]!,
    timezoneOffset: -ctx.zones.minutesAt(ctx.person.timeZone, at),
    latest: {},
    currentPath: '',
    currentTitle: '',
    previousPath: '',
    previousTitle: '',
  }
}

function productFields(index: number): Record<string, unknown> {
  const product = PRODUCTS[index]!
  return { product_id: product.id, product_name: product.name, product_category: product.category, product_price: yuan(product.priceMinor), brand: BRAND.name }
}
