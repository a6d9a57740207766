import { BRAND, STORES, VENUES } from './brand.ts'
import { DAY_MS } from './calendar.ts'
import { emailAsTyped, formatPhone } from './id-formats.ts'
import { orderCompletedProperties } from './order-payloads.ts'
import { PERSONAS } from './personas.ts'
import { Purpose, Rng } from './prng.ts'
import { serverIdentifyCall, serverTrackCall } from './segment-calls.ts'
import { brandInstant, type PersonDay } from './trail.ts'
import type { ConversionOutcome } from './day-outcome.ts'

/**
 * What the brand's back-office integrations send server-side through analytics-node: the CRM's
 * member import, marketplace order exports (Tmall, JD) keyed by the buyer's phone, POS receipts,
 * and the email and WeChat template-message services' delivery events.
 */

/** The CRM's nightly sync, on the first day, for everyone who was a member before the launch. */
export function writeCrmImport(ctx: PersonDay): void {
  const { rng, person } = ctx
  const at = brandInstant(ctx, 2 * 3600 + rng.next() * 1800)
  const sinceDays = rng.between(30, 900)
  const traits: Record<string, unknown> = {
    name: person.name,
    phone: formatPhone(person.phone, 'plain'),
    city: person.city,
    persona: PERSONAS[person.persona]!.name,
    age: person.age,
    member_since: new Date(ctx.plan.dayStartMs(0) - sinceDays * DAY_MS).toISOString().slice(0, 10),
    membership_source: 'crm',
  }
  // People typed their email with capitals into the old CRM form; the site stores it lower-case.
  if (person.email) traits.email = emailAsTyped(person.email, rng.chance(0.5))
  ctx.sink.segment(serverIdentifyCall(rng, at, { userId: person.userId }, traits))
}

/** Tmall or JD order export: identify the buyer once (phone in the platform's format), then the order. */
export function writeMarketplaceOrder(ctx: PersonDay, purchase: ConversionOutcome, at: number): void {
  const { rng, person, trail } = ctx
  const venue = VENUES[purchase.venue] as 'tmall' | 'jd'
  const phone = formatPhone(person.phone, venue === 'tmall' ? 'dashedCountry' : 'dashedNational')
  let buyer = venue === 'tmall' ? trail.tmallBuyer : trail.jdBuyer
  if (!buyer) {
    const ids = new Rng(ctx.seed, Purpose.device, person.index, venue === 'tmall' ? 4 : 5)
    buyer = venue === 'tmall' ? `tb_${ids.hex(20)}` : `jd_${ids.hex(16)}`
    if (venue === 'tmall') trail.tmallBuyer = buyer
    else trail.jdBuyer = buyer
  }
  if (!trail.identifiedAt.has(venue)) {
    ctx.sink.segment(serverIdentifyCall(rng, at, { anonymousId: buyer }, { phone, name: person.name, city: person.city, source: venue }))
    trail.identifiedAt.add(venue)
  }
  const seq = String(ctx.nextOrderSeq(venue)).padStart(6, '0')
  const orderId = venue === 'tmall' ? `${rng.between(1, 9)}${rng.digits(12)}${seq}` : `${rng.between(2, 9)}${rng.digits(5)}${seq}`
  const paidAt = at + rng.between(1, 20) * 1000
  ctx.sink.segment(serverTrackCall(rng, paidAt, { anonymousId: buyer }, 'Order Completed',
    orderCompletedProperties(purchase.basket, orderId, purchase.venue, { channel: venue }), { phone }))
  if (purchase.joinedMember) {
    // Joining the brand's membership from the store page (Tmall 会员通 / JD 会员) links the member id to the phone.
    ctx.sink.segment(serverIdentifyCall(rng, paidAt + rng.between(30, 600) * 1000, { userId: person.userId }, { phone, name: person.name, membership_source: venue }))
  }
}

const PAYMENT_METHODS = ['微信支付', '微信支付', '支付宝', '银联卡', '现金']

/** A POS receipt: phone only when the buyer gave it at the till; new members are registered there. */
export function writePosOrder(ctx: PersonDay, purchase: ConversionOutcome, at: number): void {
  const { rng, person } = ctx
  const store = STORES[person.storeIndex]!
  const receipt = `${store.id}${ctx.dateKey.replaceAll('-', '')}${String(ctx.nextOrderSeq(`pos:${store.id}`)).padStart(4, '0')}`
  const phone = formatPhone(person.phone, 'plain')
  const properties = orderCompletedProperties(purchase.basket, receipt, purchase.venue, {
    channel: 'pos',
    store_id: store.id,
    store_name: store.name,
    payment_method: PAYMENT_METHODS[rng.int(PAYMENT_METHODS.length)],
  })
  ctx.sink.segment(serverTrackCall(rng, at, { anonymousId: `pos:${store.id}:${receipt}` }, 'Order Completed', properties, purchase.givesPhone ? { phone } : undefined))
  if (purchase.joinedMember) {
    ctx.sink.segment(serverIdentifyCall(rng, at + rng.between(20, 120) * 1000, { userId: person.userId }, { phone, name: person.name, membership_source: 'pos', home_store: store.id }))
  }
}

export interface EmailMessage {
  campaignName: string
  emailId: string
  subject: string
}

/** The email service's delivery events (Segment Email spec); returns when the link was clicked. */
export function writeEmailEvents(ctx: PersonDay, state: 'delivered' | 'opened' | 'clicked', message: EmailMessage, linkUrl: string): number {
  const { rng, person } = ctx
  const fields = { email_id: message.emailId, email_subject: message.subject, campaign_id: message.emailId, campaign_name: message.campaignName, channel: 'email' }
  const traits = { email: person.email }
  let at = brandInstant(ctx, 10 * 3600 + rng.next() * 1800)
  ctx.sink.segment(serverTrackCall(rng, at, { userId: person.userId }, 'Email Delivered', fields, traits))
  if (state === 'delivered') return at
  at += rng.between(5, 540) * 60_000
  ctx.sink.segment(serverTrackCall(rng, at, { userId: person.userId }, 'Email Opened', fields, traits))
  if (state === 'opened') return at
  at += rng.between(10, 180) * 1000
  ctx.sink.segment(serverTrackCall(rng, at, { userId: person.userId }, 'Email Link Clicked', { ...fields, link_url: linkUrl, link_id: 'hero' }, traits))
  return at
}

/** The WeChat template-message service reports what it sent; returns when it was sent. */
export function writeTemplateMessage(ctx: PersonDay, campaignName: string): number {
  const { rng, person } = ctx
  const at = brandInstant(ctx, 12 * 3600 + rng.next() * 1200)
  ctx.sink.segment(serverTrackCall(rng, at, { userId: person.userId }, 'WeChat Template Message Sent', {
    template_id: 'TM-NEW-PRODUCT-NOTICE',
    title: `${BRAND.product} 新品上市提醒`,
    campaign_name: campaignName,
    page: 'pages/campaign/vitality',
    channel: 'wechat_official_account',
  }))
  return at
}
