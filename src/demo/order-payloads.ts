import { BRAND, PRODUCTS, VENUE_AFFILIATION, VENUES } from './brand.ts'
import type { Basket, BasketLine } from './basket.ts'

/** Fen to yuan as the Segment Spec's decimal amounts (two decimals, no float noise). */
export function yuan(minor: number): number {
  return Math.round(minor) / 100
}

/** One product as the Segment e-commerce spec describes it. */
export function productProperties(line: BasketLine, position?: number): Record<string, unknown> {
  const product = PRODUCTS[line.product]!
  const properties: Record<string, unknown> = {
    product_id: product.id,
    sku: product.sku,
    name: product.name,
    category: product.category,
    brand: BRAND.name,
    price: yuan(product.priceMinor),
    quantity: line.quantity,
    url: `${BRAND.siteOrigin}/products/${product.slug}`,
  }
  if (position !== undefined) properties.position = position
  return properties
}

/**
 * `Order Completed` properties per the Segment e-commerce spec
 * (https://segment.com/docs/connections/spec/ecommerce/v2/#order-completed): `total` is what the
 * buyer paid, `revenue` excludes shipping and tax, amounts in yuan with `currency: 'CNY'`.
 */
export function orderCompletedProperties(basket: Basket, orderId: string, venue: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    order_id: orderId,
    affiliation: VENUE_AFFILIATION[VENUES[venue]!],
    subtotal: yuan(basket.subtotalMinor),
    total: yuan(basket.totalMinor),
    revenue: yuan(basket.revenueMinor),
    shipping: yuan(basket.shippingMinor),
    tax: 0,
    discount: yuan(basket.discountMinor),
    currency: BRAND.currency,
    products: basket.lines.map((line, i) => productProperties(line, i + 1)),
    ...extra,
  }
  if (basket.coupon) properties.coupon = basket.coupon
  return properties
}
