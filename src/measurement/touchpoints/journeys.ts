import type { ChannelClassifier } from '../grouping/classify.ts'
import type { ConversionMatcher } from './conversion-match.ts'
import type { EventRow } from './event-row.ts'
import { touchOf, type Touch, type TouchOutcome } from './touch-extract.ts'
import type { TouchKind } from './touch-kinds.ts'

/** A conversion in a person's timeline. */
export interface TimelineConversion {
  at: number
  valueMinor: number
}

/** A person's touches (kept kinds, one per visit) and conversions, in time order. */
export interface Timeline {
  touches: Touch[]
  conversions: TimelineConversion[]
}

/** What the scan saw, for the report's "how the paths were built" figures. */
export interface TimelineStats {
  events: number
  touches: number
  /** Touches of a kind the conversion does not count. */
  otherKinds: number
  /** Repeat touches of one channel within the visit window, folded into the first. */
  sameVisit: number
  /** Touches the rules excluded (payment pages, crawler scenes…). */
  excluded: number
  /** Events no rule matched (only possible when a workspace removed the catch-all rule). */
  unassigned: number
  conversions: number
  /** Orders in another currency, counted with no value. */
  currencyMismatches: number
}

export function emptyTimelineStats(): TimelineStats {
  return { events: 0, touches: 0, otherKinds: 0, sameVisit: 0, excluded: 0, unassigned: 0, conversions: 0, currencyMismatches: 0 }
}

export interface TimelineOptions {
  classifier: ChannelClassifier
  matcher: ConversionMatcher
  kinds: ReadonlySet<TouchKind>
  /** A touch of the same channel within this many ms of the previous one is the same visit. */
  visitWindowMs: number
}

/**
 * What one event is to a timeline, decided from the event alone: its touch outcome and the
 * conversion it is, if any. Kept per person between scans of a growing log (see
 * `incremental-paths.ts`), so a person's timeline is refolded without reading their events again.
 */
export interface TimelineItem {
  at: number
  seq: number
  outcome: TouchOutcome
  conversion: { valueMinor: number; currencyMismatch: boolean } | null
}

/**
 * @example classifyRow(row, { classifier, matcher, kinds, visitWindowMs })
 */
export function classifyRow(row: EventRow, options: TimelineOptions): TimelineItem {
  const matched = options.matcher.match(row)
  return {
    at: row.timestamp,
    seq: row.seq,
    outcome: touchOf(row, options.classifier),
    conversion: matched ? { valueMinor: matched.valueMinor, currencyMismatch: matched.currencyMismatch } : null,
  }
}

/**
 * Reads one person's events (time order) into touches and conversions. An event can be both: a
 * store order is a store visit and a conversion. Touches of one channel less than the visit
 * window apart are one visit (a mini program reports `$MPLaunch` and `$MPShow`, a click on an
 * email is followed by the landing page): the first is kept, and each repeat extends the visit.
 *
 * @example
 * collectTimeline(rows, { classifier, matcher, kinds: new Set(['click', 'visit']), visitWindowMs: 30 * 60_000 }, stats)
 */
export function collectTimeline(rows: readonly EventRow[], options: TimelineOptions, stats: TimelineStats): Timeline {
  return foldTimeline(
    rows.map((row) => classifyRow(row, options)),
    options,
    stats,
  )
}

/**
 * {@link collectTimeline} from events already classified (in time order).
 *
 * @example foldTimeline(items, options, stats)
 */
export function foldTimeline(items: readonly TimelineItem[], options: Pick<TimelineOptions, 'kinds' | 'visitWindowMs'>, stats: TimelineStats): Timeline {
  const touches: Touch[] = []
  const conversions: TimelineConversion[] = []
  const lastSeen = new Map<string, number>()
  for (const item of items) {
    stats.events++
    const outcome = item.outcome
    if (outcome !== null) {
      if (outcome.kind === 'excluded') stats.excluded++
      else if (outcome.kind === 'unassigned') stats.unassigned++
      else if (!options.kinds.has(outcome.touch.kind)) stats.otherKinds++
      else {
        const touch = outcome.touch
        const previous = lastSeen.get(touch.channel)
        lastSeen.set(touch.channel, touch.at)
        if (previous !== undefined && touch.at - previous < options.visitWindowMs) stats.sameVisit++
        else {
          touches.push(touch)
          stats.touches++
        }
      }
    }
    if (item.conversion) {
      conversions.push({ at: item.at, valueMinor: item.conversion.valueMinor })
      if (item.conversion.currencyMismatch) stats.currencyMismatches++
    }
  }
  return { touches, conversions }
}

/** One journey: the touches that led to a conversion, or to none by the end of the period. */
export interface Journey {
  touches: Touch[]
  conversion: (TimelineConversion & { firstEver: boolean }) | null
}

export interface JourneyWindow {
  /** Analysis period [from, to), epoch ms. */
  from: number
  to: number
  lookbackMs: number
}

/**
 * Splits a timeline into journeys. Each conversion in the period takes the touches since the
 * person's previous conversion, at most `lookbackMs` before it (a touch at the conversion's own
 * instant counts: a store order is its own store visit). Touches are not shared between
 * conversions: after a purchase a new journey starts. What remains after the last conversion, if
 * any of it lies in the period, is a journey without conversion (Markov's "null" paths).
 * `convertedBefore` says the person converted before the timeline began, so none of its
 * conversions is the person's first ever (new customers, for CAC).
 *
 * @example
 * splitJourneys({ touches, conversions }, { from, to, lookbackMs: 30 * DAY_MS }, false)
 */
export function splitJourneys(timeline: Timeline, window: JourneyWindow, convertedBefore: boolean): Journey[] {
  const { touches, conversions } = timeline
  const journeys: Journey[] = []
  let next = 0
  let previousConversion = -Infinity
  conversions.forEach((conversion, index) => {
    const start = Math.max(previousConversion, conversion.at - window.lookbackMs - 1)
    while (next < touches.length && touches[next]!.at <= start) next++
    const path: Touch[] = []
    while (next < touches.length && touches[next]!.at <= conversion.at) path.push(touches[next++]!)
    if (conversion.at >= window.from && conversion.at < window.to) {
      journeys.push({ touches: path, conversion: { ...conversion, firstEver: !convertedBefore && index === 0 } })
    }
    previousConversion = conversion.at
  })
  const rest: Touch[] = []
  for (let i = next; i < touches.length; i++) {
    const touch = touches[i]!
    if (touch.at > previousConversion && touch.at >= window.from && touch.at < window.to) rest.push(touch)
  }
  if (rest.length > 0) journeys.push({ touches: rest, conversion: null })
  return journeys
}
