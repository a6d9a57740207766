import { PRODUCTS, PROMOTION, VENUES, type Venue } from './brand.ts'

export interface BasketLine {
  /** Index into `PRODUCTS`. */
  product: number
  quantity: number
}

export interface Basket {
  lines: BasketLine[]
  subtotalMinor: number
  discountMinor: number
  shippingMinor: number
  /** Subtotal less discount: the Segment Spec's `revenue` (no shipping, no tax). */
  revenueMinor: number
  /** What the buyer paid: revenue plus shipping. */
  totalMinor: number
  servings: number
  coupon: string | null
}

const SINGLE_FLAVOURS = [0, 1, 2]
const TWELVE = 3
const TWENTY_FOUR = 4
const SACHETS = 5

/**
 * What a buyer puts in the basket, from four uniforms, by venue: stores sell single bottles,
 * marketplaces sell cases, the brand's own shops a mix. Prices are the catalogue's; on promotion
 * days a coupon takes 15% off; the brand's shops charge shipping under a threshold.
 *
 * @example buildBasket(VENUES.indexOf('tmall'), Float64Array.of(0.1, 0.1, 0.9, 0.5), 0, false).totalMinor // 7200 (one 12-pack)
 */
export function buildBasket(venue: number, u: Float64Array, offset: number, promo: boolean): Basket {
  const [u0, u1, u2, u3] = [u[offset]!, u[offset + 1]!, u[offset + 2]!, u[offset + 3]!]
  const lines: BasketLine[] = []
  const name: Venue = VENUES[venue]!
  if (name === 'pos') {
    lines.push({ product: SINGLE_FLAVOURS[u0 < 0.45 ? 0 : u0 < 0.75 ? 1 : 2]!, quantity: 1 + Math.floor(u1 * 3) })
    if (u2 < 0.25) lines.push({ product: SINGLE_FLAVOURS[(lines[0]!.product + 1 + Math.floor(u3 * 2)) % 3]!, quantity: 1 })
  } else if (name === 'tmall' || name === 'jd') {
    const product = u0 < 0.55 ? TWELVE : u0 < 0.85 ? TWENTY_FOUR : SACHETS
    lines.push({ product, quantity: u1 < 0.8 ? 1 : 2 })
    if (u2 < 0.15 && product !== SACHETS) lines.push({ product: SACHETS, quantity: 1 })
  } else {
    if (u0 < 0.35) lines.push({ product: TWELVE, quantity: u1 < 0.85 ? 1 : 2 })
    else if (u0 < 0.55) lines.push({ product: TWENTY_FOUR, quantity: u1 < 0.85 ? 1 : 2 })
    else if (u0 < 0.75) lines.push({ product: SACHETS, quantity: u1 < 0.85 ? 1 : 2 })
    else lines.push({ product: SINGLE_FLAVOURS[Math.floor(u3 * 3)]!, quantity: 2 + Math.floor(u1 * 5) })
    if (u2 < 0.2) lines.push({ product: lines[0]!.product === SACHETS ? 2 : SACHETS, quantity: 1 })
  }

  let subtotalMinor = 0
  let servings = 0
  for (const line of lines) {
    const product = PRODUCTS[line.product]!
    subtotalMinor += product.priceMinor * line.quantity
    servings += product.servings * line.quantity
  }
  const discountMinor = promo ? Math.round(subtotalMinor * PROMOTION.discount) : 0
  const revenueMinor = subtotalMinor - discountMinor
  let shippingMinor = 0
  if (name === 'brand_site' && revenueMinor < 5900) shippingMinor = 800
  if (name === 'wechat_mini_program' && revenueMinor < 4900) shippingMinor = 600
  return {
    lines,
    subtotalMinor,
    discountMinor,
    shippingMinor,
    revenueMinor,
    totalMinor: revenueMinor + shippingMinor,
    servings,
    coupon: promo ? PROMOTION.coupon : null,
  }
}
