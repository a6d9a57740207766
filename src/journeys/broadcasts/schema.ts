import { z } from 'zod'
import { Category, MessageSpec } from '../definition/schema.ts'

const Instant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time with an offset, e.g. "2026-11-21T10:00:00+08:00"' })
const WallTime = z.iso.datetime({ local: true, error: 'expected a local date and time without an offset, e.g. "2026-11-21T10:00"' })

/**
 * When a broadcast goes out: now (no schedule), at an instant (`at`), or at a wall-clock time in
 * each person's own timezone (`localTime`: 10:00 in Shanghai for people there, 10:00 in Berlin for
 * people in Berlin). People for whom that local time has already passed get it at once.
 */
export const BroadcastSchedule = z.union([z.strictObject({ at: Instant }), z.strictObject({ localTime: WallTime })])
export type BroadcastSchedule = z.infer<typeof BroadcastSchedule>

/**
 * @example { "name": "Double 11 preview", "audienceId": "aud_vip", "channel": "sms", "message": { "templateId": "tpl_d11" }, "schedule": { "localTime": "2026-11-10T10:00" }, "rateLimit": { "perSecond": 200 } }
 */
export const BroadcastInput = z.strictObject({
  name: z.string().min(1).max(200),
  audienceId: z.string().min(1),
  channel: z.string().min(1),
  fallback: z.array(z.string().min(1)).default([]),
  category: Category.default('marketing'),
  message: MessageSpec,
  schedule: BroadcastSchedule.optional(),
  rateLimit: z.strictObject({ perSecond: z.number().int().min(1).max(100_000) }).optional(),
})
export type BroadcastInput = z.infer<typeof BroadcastInput>

/** What a broadcast stores beside its columns: the message and how it is scheduled. */
export interface BroadcastSpec {
  channel: string
  fallback: string[]
  category: Category
  message: MessageSpec
  /** `YYYY-MM-DDTHH:MM[:SS]` read in each person's zone, when scheduled by local time. */
  localTime: string | null
}

export type BroadcastStatus = 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled'
