import { z } from 'zod'
import { EventMatcher } from './event-matcher.ts'
import { Duration, Instant } from './time-window.ts'

/** A funnel as saved and as sent for an ad-hoc report. See docs/customer-metrics.md. */
export const FunnelStep = EventMatcher.and(z.object({ label: z.string().max(200).optional() }))
export type FunnelStep = z.infer<typeof FunnelStep>

export const FunnelDefinition = z.object({
  steps: z.array(FunnelStep).min(2).max(20).describe('Two to twenty steps, each an event with optional property filters'),
  mode: z.enum(['ordered', 'strict', 'any-order']).default('ordered').describe('ordered: in order, other events allowed between; strict: no other behavioural event between consecutive steps; any-order'),
  window: Duration.default({ amount: 7, unit: 'day' }).describe('Conversion window from the entry'),
  strictIgnore: z.array(z.string()).max(100).default([]).describe('Event names that never break a strict sequence'),
})
export type FunnelDefinition = z.infer<typeof FunnelDefinition>

export const FunnelBreakdown = z.discriminatedUnion('by', [
  z.object({ by: z.literal('channel'), attribution: z.enum(['first-touch', 'last-touch']).default('first-touch') }),
  z.object({ by: z.literal('trait'), trait: z.string().min(1).max(200) }),
  z.object({ by: z.literal('audience'), audienceIds: z.array(z.string().min(1)).min(1).max(50) }),
])
export type FunnelBreakdown = z.infer<typeof FunnelBreakdown>

export const FunnelQuery = z.object({
  funnel: FunnelDefinition,
  from: Instant.describe('Entries from this instant (inclusive)'),
  to: Instant.describe('Entries before this instant; later steps may complete up to the window after it'),
  breakdown: FunnelBreakdown.optional(),
})
export type FunnelQuery = z.infer<typeof FunnelQuery>

export const FunnelStepReport = z.object({
  step: z.number().int(),
  label: z.string(),
  people: z.number().int(),
  conversionFromStart: z.number(),
  conversionFromPrevious: z.number(),
  /** Reached this step but not the next (0 for the last step). */
  droppedAfter: z.number().int(),
  medianMsFromPrevious: z.number().nullable(),
})
export type FunnelStepReport = z.infer<typeof FunnelStepReport>

export const FunnelReport = z.object({
  mode: z.enum(['ordered', 'strict', 'any-order']),
  windowMs: z.number(),
  from: z.string(),
  to: z.string(),
  entered: z.number().int(),
  steps: z.array(FunnelStepReport),
  breakdown: z
    .object({
      by: z.enum(['channel', 'trait', 'audience']),
      attribution: z.enum(['first-touch', 'last-touch']).optional(),
      groups: z.array(z.object({ value: z.string(), entered: z.number().int(), steps: z.array(FunnelStepReport) })),
    })
    .optional(),
})
export type FunnelReport = z.infer<typeof FunnelReport>

/** A step's label: its own, else its event name or type. */
export function stepLabel(step: FunnelStep, index: number): string {
  return step.label ?? step.event ?? step.type ?? `Step ${index + 1}`
}
