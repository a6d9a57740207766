import { z } from 'zod'
import type { Kysely } from 'kysely'
import { readJson, writeJson, type Schema } from '../../platform/index.ts'
import { EventMatcher } from './event-matcher.ts'

/**
 * Customer lifecycle stages and the rules that place a person in one. A stage's rule holds when
 * every `all` condition holds and, if `any` is given, at least one `any` condition does. A
 * person's stage is the *last* stage in the list whose rule holds. Rules are per workspace; the
 * defaults below are documented in docs/customer-metrics.md.
 */
export const LifecycleCondition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seen').describe('Any customer event (not Chorus’s own)') }),
  z.object({
    kind: z.literal('events'),
    match: z.array(EventMatcher).min(1).max(20).describe('Events counted, any of'),
    min: z.number().int().min(1).default(1),
    withinDays: z.number().positive().max(3650).optional().describe('Only events in the last N days before asOf'),
  }),
  z.object({
    kind: z.literal('sessions'),
    min: z.number().int().min(1),
    withinDays: z.number().positive().max(3650).optional(),
  }),
  z.object({
    kind: z.literal('orders'),
    min: z.number().int().min(1),
    withinDays: z.number().positive().max(3650).optional(),
  }),
])
export type LifecycleCondition = z.infer<typeof LifecycleCondition>

export const LifecycleStage = z.object({
  name: z.string().min(1).max(100),
  all: z.array(LifecycleCondition).max(10).default([]),
  any: z.array(LifecycleCondition).max(10).default([]),
})
export type LifecycleStage = z.infer<typeof LifecycleStage>

export const LifecycleRules = z
  .object({
    stages: z.array(LifecycleStage).min(1).max(12),
    /** A new session starts after this much inactivity (Google Analytics' default is 30 minutes). */
    sessionGapMinutes: z.number().positive().max(1440).default(30),
  })
  .refine((r) => new Set(r.stages.map((s) => s.name)).size === r.stages.length, { message: 'Stage names must be unique' })
  .refine((r) => r.stages.every((s) => s.all.length + s.any.length > 0), { message: 'Every stage needs at least one condition in all or any' })
export type LifecycleRules = z.infer<typeof LifecycleRules>

const views = ['Product Viewed', 'Product List Viewed', 'Product Clicked', 'Products Searched'].map((event) => ({ event, where: [] }))
const considers = ['Product Added', 'Cart Viewed', 'Checkout Started', 'Product Added to Wishlist'].map((event) => ({ event, where: [] }))
const advocates = ['Product Shared', 'Cart Shared', 'Product Reviewed', 'Invite Sent'].map((event) => ({ event, where: [] }))

/** The defaults, named after the Segment e-commerce spec's events. */
export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = {
  sessionGapMinutes: 30,
  stages: [
    { name: 'Awareness', all: [{ kind: 'seen' }], any: [] },
    { name: 'Interest', all: [], any: [{ kind: 'sessions', min: 2 }, { kind: 'events', match: views, min: 1 }] },
    { name: 'Consideration', all: [], any: [{ kind: 'events', match: considers, min: 1 }] },
    { name: 'Purchase', all: [{ kind: 'orders', min: 1 }], any: [] },
    { name: 'Loyalty', all: [{ kind: 'orders', min: 2, withinDays: 180 }], any: [] },
    { name: 'Advocacy', all: [{ kind: 'orders', min: 1 }, { kind: 'events', match: advocates, min: 1 }], any: [] },
  ],
}

/**
 * The workspace's rules, or the defaults until it sets its own.
 *
 * @example const rules = await getLifecycleRules(db, workspaceId) // DEFAULT_LIFECYCLE_RULES at first
 */
export async function getLifecycleRules(db: Kysely<Schema>, workspaceId: string): Promise<LifecycleRules> {
  const row = await db.selectFrom('customer_lifecycle_rules').select('rules').where('workspace_id', '=', workspaceId).executeTakeFirst()
  return row ? LifecycleRules.parse(readJson(row.rules, {})) : DEFAULT_LIFECYCLE_RULES
}

/**
 * Replaces the workspace's rules (validate them with `LifecycleRules.parse` first).
 *
 * @example await putLifecycleRules(db, workspaceId, LifecycleRules.parse({ stages: [{ name: 'Buyer', all: [{ kind: 'orders', min: 1 }] }] }), Date.now())
 */
export async function putLifecycleRules(db: Kysely<Schema>, workspaceId: string, rules: LifecycleRules, now: number): Promise<void> {
  await db
    .insertInto('customer_lifecycle_rules')
    .values({ workspace_id: workspaceId, rules: writeJson(rules), updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ rules: writeJson(rules), updated_at: now }))
    .execute()
}
