/** A broadcast as GET /api/v1/broadcasts answers it (src/journeys/broadcasts). */
export interface Broadcast {
  id: string
  name: string
  audienceId: string
  status: 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled'
  channel: string
  sendAt: string
  localTime: string | null
  rateLimit: { perSecond: number } | null
  /** People fanned out to so far (everyone once `fannedOut`). */
  total: number
  fannedOut: boolean
  counts: { queued: number; sending: number; sent: number; blocked: number; failed: number; cancelled: number }
  blockedByReason: Record<string, number>
  delivered: number
  opened: number
  clicked: number
  createdAt: string
  finishedAt: string | null
}

/** Messages no longer waiting: sent, blocked, failed or cancelled. */
export function handled(b: Broadcast): number {
  return b.counts.sent + b.counts.blocked + b.counts.failed + b.counts.cancelled
}

/** Whether the broadcast may still change on its own (worth polling). */
export function inFlight(b: Broadcast): boolean {
  return b.status === 'scheduled' || b.status === 'sending'
}
