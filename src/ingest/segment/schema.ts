import { z } from 'zod'

/**
 * Segment Spec calls (https://segment.com/docs/connections/spec/). Unknown fields are kept:
 * clients add their own, and the log stores the call as sent.
 */
const Id = z.union([z.string(), z.number()]).transform((v) => String(v))
const DateLike = z.union([z.string(), z.number()]).refine((v) => !Number.isNaN(new Date(v).getTime()), 'must be an ISO-8601 date')
const Obj = z.record(z.string(), z.unknown())

const Common = {
  messageId: z.string().min(1).max(200).optional(),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  timestamp: DateLike.nullish(),
  originalTimestamp: DateLike.nullish(),
  sentAt: DateLike.nullish(),
  context: Obj.nullish(),
  integrations: Obj.nullish(),
  properties: Obj.nullish(),
  traits: Obj.nullish(),
}

export const IdentifyCall = z.looseObject({ ...Common, type: z.literal('identify') })
export const TrackCall = z.looseObject({ ...Common, type: z.literal('track'), event: z.string().min(1, 'track calls need an event name').max(500) })
export const PageCall = z.looseObject({ ...Common, type: z.literal('page'), name: z.string().nullish(), category: z.string().nullish() })
export const ScreenCall = z.looseObject({ ...Common, type: z.literal('screen'), name: z.string().nullish(), category: z.string().nullish() })
export const GroupCall = z.looseObject({ ...Common, type: z.literal('group'), groupId: Id.pipe(z.string().min(1, 'group calls need a groupId')) })
export const AliasCall = z.looseObject({ ...Common, type: z.literal('alias'), previousId: Id.pipe(z.string().min(1, 'alias calls need a previousId')) })

export const SegmentCall = z.discriminatedUnion('type', [IdentifyCall, TrackCall, PageCall, ScreenCall, GroupCall, AliasCall])
export type SegmentCall = z.infer<typeof SegmentCall>

export const SEGMENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type SegmentType = (typeof SEGMENT_TYPES)[number]

/** The short paths analytics.js uses (`/v1/t` …) and the types they imply. */
export const SHORT_PATHS: Record<string, SegmentType | 'batch'> = {
  i: 'identify',
  t: 'track',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
  b: 'batch',
}

/** Segment's HTTP tracking API limits (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#max-request-size). */
export const LIMITS = {
  eventBytes: 32 * 1024,
  batchBytes: 500 * 1024,
  batchEvents: 2_500,
} as const
