/** What a last-touch credit read is asked: the window, the conversions, which sources are which channel, how far back a touch counts. */
export interface CreditQuery {
  workspaceId: string
  from: number
  to: number
  currency: string
  conversionEvents: readonly string[]
  /** Lower-cased `events.channel` values to the plan's channel they count for. */
  sourceToChannel: ReadonlyMap<string, string>
  lookbackMs: number
}

export interface Bucket {
  conversions: number
  revenueMinor: number
}

export interface Credits {
  byChannel: Map<string, Bucket>
  unattributed: Bucket
}

/**
 * Who was credited with what, per person (canonical profile id; `null` for conversions without a
 * person), per channel (`null`: unattributed). Kept per person so that when something changes for
 * a few people only their conversions are credited again (see `incremental-credits.ts`).
 */
export type CreditTally = Map<string | null, Map<string | null, Bucket>>

export interface Conversion {
  person: string | null
  ts: number
  seq: number
  amount: number | null
  currency: string | null
}

export interface Touch {
  person: string
  ts: number
  seq: number
  /** The lower-cased source, one of the query's `sourceToChannel` keys. */
  source: string
}

/**
 * Credits each conversion to the channel of its person's latest touch at most `lookbackMs`
 * before it — the conversion itself and touches at the same time recorded after it excluded —
 * and adds it to `tally`. `touches` must hold every touch of these conversions' people in
 * [q.from − q.lookbackMs, q.to).
 */
export function creditInto(tally: CreditTally, q: CreditQuery, conversions: readonly Conversion[], touches: readonly Touch[]): void {
  const byPerson = new Map<string, Array<{ ts: number; seq: number; channel: string }>>()
  for (const t of touches) {
    const list = byPerson.get(t.person) ?? []
    list.push({ ts: t.ts, seq: t.seq, channel: q.sourceToChannel.get(t.source)! })
    byPerson.set(t.person, list)
  }
  for (const list of byPerson.values()) list.sort((a, b) => a.ts - b.ts || a.seq - b.seq)
  for (const c of conversions) {
    const list = c.person ? byPerson.get(c.person) : undefined
    let credited: string | null = null
    if (list) {
      for (let i = upperBound(list, c.ts) - 1; i >= 0; i--) {
        const touch = list[i]!
        if (c.ts - touch.ts > q.lookbackMs) break
        if (touch.seq === c.seq || (touch.ts === c.ts && touch.seq > c.seq)) continue
        credited = touch.channel
        break
      }
    }
    let person = tally.get(c.person)
    if (!person) tally.set(c.person, (person = new Map()))
    const bucket = person.get(credited) ?? { conversions: 0, revenueMinor: 0 }
    bucket.conversions += 1
    bucket.revenueMinor += c.amount !== null && c.currency === q.currency ? c.amount : 0
    person.set(credited, bucket)
  }
}

/** The totals per channel, and unattributed, of everyone in `tally`. */
export function creditsAnswer(tally: CreditTally): Credits {
  const byChannel = new Map<string, Bucket>()
  const unattributed = { conversions: 0, revenueMinor: 0 }
  for (const person of tally.values()) {
    for (const [channel, bucket] of person) {
      const into = channel === null ? unattributed : byChannel.get(channel) ?? { conversions: 0, revenueMinor: 0 }
      into.conversions += bucket.conversions
      into.revenueMinor += bucket.revenueMinor
      if (channel !== null) byChannel.set(channel, into)
    }
  }
  return { byChannel, unattributed }
}

/** The index of the first touch after `ts` (binary search over a time-sorted list). */
function upperBound(list: ReadonlyArray<{ ts: number }>, ts: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]!.ts <= ts) lo = mid + 1
    else hi = mid
  }
  return lo
}
