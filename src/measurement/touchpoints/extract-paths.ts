import { z } from 'zod'
import { DAY_MS, PathSetBuilder, type PathSet } from '../attribution/index.ts'
import { ChannelClassifier } from '../grouping/classify.ts'
import type { ChannelGroup } from '../grouping/channel-group.ts'
import type { ChannelRule } from '../grouping/channel-rule.ts'
import type { Database } from '../../platform/index.ts'
import type { ConversionDefinition } from './conversion-definition.ts'
import { ConversionMatcher } from './conversion-match.ts'
import { collectTimeline, emptyTimelineStats, splitJourneys, type Journey, type TimelineStats } from './journeys.ts'
import { conversionsBefore, profilesConvertedBefore, scanPeople, type LogScanOptions } from './log-scan.ts'
import type { Touch } from './touch-extract.ts'

/** What a path's steps are: channels, campaigns (channel and campaign), or Chorus journeys. */
export const GroupBy = z.enum(['channel', 'campaign', 'journey'])
export type GroupBy = z.infer<typeof GroupBy>

/** The channel credited with conversions that had no touchpoint in their look-back window. */
export const NO_TOUCHPOINT = '(none)'

/** What a path step stands for. */
export interface PathLabel {
  label: string
  channel: string
  group: ChannelGroup
  campaign: string | null
  journey: string | null
}

export interface PathExtractionInput {
  database: Database
  workspaceId: string
  /** Analysis period [from, to), epoch ms: conversions in it, and the touches that led to them. */
  from: number
  to: number
  conversion: ConversionDefinition
  rules: readonly ChannelRule[]
  groupBy?: GroupBy
  /** Touches of one channel closer than this are one visit. Default 30 (Google Analytics' session timeout). */
  visitWindowMinutes?: number
  pageSize?: number
  /** Called for each conversion in the period (for daily series). */
  onConversion?: (at: number, valueMinor: number) => void
}

export interface PathExtractionStats extends TimelineStats {
  people: number
  journeys: number
  convertingJourneys: number
  /** Conversions with no touchpoint in their window, credited to `(none)`. */
  conversionsWithoutTouch: number
  /** Conversions in the period that were the person's first ever. */
  newCustomers: number
  /** Sum of conversion values in the period (minor units). */
  valueMinor: number
  /** First and last instant the scan read (the look-back reaches before the period). */
  scanFrom: number
  scanTo: number
  seconds: number
}

export interface PathExtraction {
  /** Every journey of the period: converting ones and those that ended without converting. */
  paths: PathSet
  /** The journeys with only first-ever conversions converting (those ending in a repeat purchase left out), for CAC. */
  newCustomerPaths: PathSet
  labels: Map<string, PathLabel>
  /** Labels whose group is `direct` (for last non-direct). */
  directLabels: string[]
  stats: PathExtractionStats
}

/**
 * Builds attribution paths from the event log in one streaming pass (see `scanPeople`): for each
 * person, touches are classified by the channel rules, filtered to the conversion's kinds, folded
 * into visits, and split into journeys at conversions. Every journey becomes one timestamped
 * path of the attribution module (`TouchPath`: touches with their times, so time decay uses real
 * ages); conversions without a touchpoint are credited to `(none)` so every model's totals equal
 * the conversions. Memory holds one page of events and the paths (integers), never the period's
 * events.
 *
 * @example
 * const extraction = await extractPaths({ database, workspaceId, from, to, conversion: defaultConversion(), rules: defaultChannelRules() })
 * attribute(extraction.paths, { directChannels: extraction.directLabels })
 */
export async function extractPaths(input: PathExtractionInput): Promise<PathExtraction> {
  const started = performance.now()
  const conversion = input.conversion
  const groupBy = input.groupBy ?? 'channel'
  const lookbackMs = conversion.lookbackDays * DAY_MS
  const matcher = new ConversionMatcher(conversion)
  const timelineOptions = {
    classifier: new ChannelClassifier(input.rules),
    matcher,
    kinds: new Set(conversion.touchpoints),
    visitWindowMs: (input.visitWindowMinutes ?? 30) * 60_000,
  }
  const scan: LogScanOptions = {
    db: input.database.db,
    workspaceId: input.workspaceId,
    from: input.from - lookbackMs,
    to: input.to,
    conversionEvents: conversion.events,
    extraPaths: matcher.paths,
    pageSize: input.pageSize,
  }
  const window = { from: input.from, to: input.to, lookbackMs }
  const stats: PathExtractionStats = {
    ...emptyTimelineStats(),
    people: 0,
    journeys: 0,
    convertingJourneys: 0,
    conversionsWithoutTouch: 0,
    newCustomers: 0,
    valueMinor: 0,
    scanFrom: scan.from,
    scanTo: scan.to,
    seconds: 0,
  }
  const builder = new PathSetBuilder()
  const labels = new Map<string, PathLabel>()
  let firstEver = new Uint8Array(1024)
  let size = 0

  const addJourney = (journey: Journey) => {
    const touches = journey.touches.length > 0 ? journey.touches : [noTouch(journey.conversion!.at)]
    const path = touches.map((touch) => ({ channel: labelOf(touch, groupBy, labels), at: touch.at }))
    const converted = journey.conversion
    const problem = builder.addTouchPath(
      converted
        ? { touches: path, convertedAt: converted.at, conversions: 1, value: converted.valueMinor, nulls: 0 }
        : { touches: path, conversions: 0, value: 0, nulls: 1 },
    )
    if (problem) throw new Error(`a journey built from the log was refused by the path builder: ${problem}`)
    if (size === firstEver.length) {
      const grown = new Uint8Array(size * 2)
      grown.set(firstEver)
      firstEver = grown
    }
    firstEver[size++] = converted?.firstEver ? 1 : 0
    stats.journeys++
    if (converted) {
      stats.convertingJourneys++
      stats.valueMinor += converted.valueMinor
      if (journey.touches.length === 0) stats.conversionsWithoutTouch++
      if (converted.firstEver) stats.newCustomers++
      input.onConversion?.(converted.at, converted.valueMinor)
    }
  }

  for await (const people of scanPeople(scan)) {
    const timelines = people.map((person) => collectTimeline(person.rows, timelineOptions, stats))
    const converted = await convertedBeforeScan(scan, matcher, people.filter((_, i) => firstConversionInPeriod(timelines[i]!.conversions, window)).flatMap((p) => p.allProfileIds))
    people.forEach((person, i) => {
      const timeline = timelines[i]!
      stats.people++
      stats.conversions += timeline.conversions.filter((c) => c.at >= input.from && c.at < input.to).length
      const before = person.allProfileIds.some((id) => converted.has(id))
      for (const journey of splitJourneys(timeline, window, before)) addJourney(journey)
    })
  }

  const paths = builder.build()
  const newCustomerPaths = newCustomerView(paths, firstEver)
  const directLabels = [...labels.values()].filter((l) => l.group === 'direct').map((l) => l.label)
  stats.seconds = (performance.now() - started) / 1000
  return { paths, newCustomerPaths, labels, directLabels, stats }
}

function firstConversionInPeriod(conversions: readonly { at: number }[], window: { from: number; to: number }): boolean {
  const first = conversions[0]
  return first !== undefined && first.at >= window.from && first.at < window.to
}

/** Profiles among these that had a matching conversion before the scan's range. */
async function convertedBeforeScan(scan: LogScanOptions, matcher: ConversionMatcher, profileIds: string[]): Promise<Set<string>> {
  if (profileIds.length === 0) return new Set()
  if (matcher.definition.filters.length === 0) return profilesConvertedBefore(scan, profileIds, scan.from)
  const found = new Set<string>()
  for (const row of await conversionsBefore(scan, profileIds, scan.from)) if (matcher.match(row)) found.add(row.profileId)
  return found
}

function noTouch(at: number): Touch {
  return { at, kind: 'visit', channel: NO_TOUCHPOINT, group: 'direct', campaign: null, journey: null }
}

function labelOf(touch: Touch, groupBy: GroupBy, labels: Map<string, PathLabel>): string {
  let label = touch.channel
  let campaign: string | null = null
  let journey: string | null = null
  if (groupBy === 'campaign' && touch.campaign) {
    campaign = touch.campaign
    label = `${touch.channel} / ${campaign}`
  } else if (groupBy === 'journey' && touch.journey) {
    journey = touch.journey
    label = `journey: ${journey}`
  }
  if (!labels.has(label)) labels.set(label, { label, channel: touch.channel, group: touch.group, campaign, journey })
  return label
}

/**
 * The paths with only first-ever conversions converting (CAC's denominator): journeys that ended
 * in a repeat purchase are left out (they are neither a new customer nor a journey that failed to
 * convert), the rest keep their touches and times.
 */
function newCustomerView(paths: PathSet, firstEver: Uint8Array): PathSet {
  let size = 0
  let touchCount = 0
  for (let i = 0; i < paths.size; i++) {
    if (paths.conversions[i]! > 0 && firstEver[i] !== 1) continue
    size++
    touchCount += paths.offsets[i + 1]! - paths.offsets[i]!
  }
  const offsets = new Uint32Array(size + 1)
  const touches = new Int32Array(touchCount)
  const ages = paths.ages ? new Float64Array(touchCount) : null
  const conversions = new Float64Array(size)
  const values = new Float64Array(size)
  const nulls = new Float64Array(size)
  let k = 0
  for (let i = 0; i < paths.size; i++) {
    if (paths.conversions[i]! > 0 && firstEver[i] !== 1) continue
    const from = paths.offsets[i]!
    const to = paths.offsets[i + 1]!
    touches.set(paths.touches.subarray(from, to), offsets[k]!)
    if (ages) ages.set(paths.ages!.subarray(from, to), offsets[k]!)
    offsets[k + 1] = offsets[k]! + (to - from)
    conversions[k] = paths.conversions[i]!
    values[k] = paths.values[i]!
    nulls[k] = paths.nulls[i]!
    k++
  }
  return { channels: paths.channels, size, offsets, touches, ages, conversions, values, nulls }
}
