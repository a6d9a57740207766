import { z } from 'zod'
import { DEFAULT_TOUCH_KINDS, TouchKind } from './touch-kinds.ts'

/**
 * A property of the stored event, as a dot path from the payload's root: `properties.channel`,
 * `properties.total`, `context.page.path`. Array elements cannot be addressed.
 */
export const PayloadPath = z
  .string()
  .regex(/^(properties|context)(\.[^.\s"\\{},]+)+$/u, 'a property path starts with properties. or context. and names keys separated by dots, e.g. properties.channel')
export type PayloadPath = z.infer<typeof PayloadPath>

/**
 * A condition on the conversion event: `eq`/`neq` compare as text (numbers as their decimal
 * form), `in`/`not_in` against a list, `gt`/`gte`/`lt`/`lte` as numbers, `contains` a substring,
 * `exists`/`absent` whether the property has a value.
 *
 * @example ConversionFilter.parse({ property: 'properties.channel', op: 'in', value: ['tmall', 'jd'] })
 */
export const ConversionFilter = z
  .object({
    property: PayloadPath,
    op: z.enum(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'absent']),
    value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()])).min(1)]).optional(),
  })
  .superRefine((filter, ctx) => {
    const { op, value } = filter
    if (op === 'exists' || op === 'absent') return
    if (value === undefined) return ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${op}' needs a value` })
    if ((op === 'in' || op === 'not_in') && !Array.isArray(value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${op}' needs a list of values` })
    if (['gt', 'gte', 'lt', 'lte'].includes(op) && typeof value !== 'number') ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${op}' needs a number` })
  })
export type ConversionFilter = z.infer<typeof ConversionFilter>

/**
 * Where a conversion's value comes from: the order amount Chorus stored with the event (minor
 * units, `events.order_minor`), a property (in major units such as yuan, or already in minor
 * units), or nothing (every conversion is worth 0; count-only goals such as sign-ups).
 */
export const ConversionValue = z.discriminatedUnion('from', [
  z.object({ from: z.literal('order_amount') }),
  z.object({ from: z.literal('property'), property: PayloadPath, unit: z.enum(['major', 'minor']).default('major') }),
  z.object({ from: z.literal('none') }),
])
export type ConversionValue = z.infer<typeof ConversionValue>

export const ConversionKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a conversion key is 1–64 lower-case letters, digits, _ and - (starting with a letter or digit)')

/**
 * A named conversion: which events count (by name, with property filters), what each is worth,
 * how far back touchpoints are credited, and which kinds of touchpoint count.
 *
 * @example
 * ConversionDefinition.parse({ key: 'tmall-order', name: 'Tmall orders', events: ['Order Completed'],
 *   filters: [{ property: 'properties.channel', op: 'eq', value: 'tmall' }], lookbackDays: 14 })
 */
export const ConversionDefinition = z.object({
  key: ConversionKey,
  name: z.string().min(1).max(200),
  events: z.array(z.string().min(1).max(200)).min(1, 'name at least one event').max(50),
  filters: z.array(ConversionFilter).max(20).default([]),
  value: ConversionValue.default({ from: 'order_amount' }),
  /** ISO 4217 code of the value; orders in another currency count as conversions with no value. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').default('CNY'),
  /** Touchpoints up to this many days before a conversion are credited with it. */
  lookbackDays: z.number().int().min(1).max(365).default(30),
  touchpoints: z.array(TouchKind).min(1, 'choose at least one kind of touchpoint').default([...DEFAULT_TOUCH_KINDS]),
})
export type ConversionDefinition = z.infer<typeof ConversionDefinition>
export type ConversionDefinitionInput = z.input<typeof ConversionDefinition>

/** The conversion every workspace has: a completed order, worth its amount, 30 days of look-back. */
export const DEFAULT_CONVERSION_KEY = 'purchase'

export function defaultConversion(currency = 'CNY'): ConversionDefinition {
  return ConversionDefinition.parse({ key: DEFAULT_CONVERSION_KEY, name: 'Purchase', events: ['Order Completed'], currency })
}

/** Every payload path a definition reads (filters, then the value property), without repeats. */
export function conversionPaths(definition: ConversionDefinition): PayloadPath[] {
  const paths = definition.filters.map((f) => f.property)
  if (definition.value.from === 'property') paths.push(definition.value.property)
  return [...new Set(paths)]
}
