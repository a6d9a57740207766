import { z } from 'zod'
import { DAY_MS, PathSetBuilder, type PathSet, type TouchPath } from '../attribution/index.ts'
import { ChannelClassifier } from '../grouping/classify.ts'
import type { ChannelGroup } from '../grouping/channel-group.ts'
import type { ChannelRule } from '../grouping/channel-rule.ts'
import type { Database } from '../../platform/index.ts'
import type { ConversionDefinition } from './conversion-definition.ts'
import { ConversionMatcher } from './conversion-match.ts'
import { classifyRow, emptyTimelineStats, foldTimeline, splitJourneys, type Journey, type JourneyWindow, type TimelineItem, type TimelineOptions, type TimelineStats } from './journeys.ts'
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
 * the conversions. Memory holds one page of events, and each person's classified events (a few
 * numbers and a shared touch each) until the paths are built, never the period's payloads.
 * People are taken in id order, so a scan extended later with new events
 * (`incremental-paths.ts`) builds exactly the same paths as a fresh one.
 *
 * @example
 * const extraction = await extractPaths({ database, workspaceId, from, to, conversion: defaultConversion(), rules: defaultChannelRules() })
 * attribute(extraction.paths, { directChannels: extraction.directLabels })
 */
export async function extractPaths(input: PathExtractionInput): Promise<PathExtraction> {
  const started = performance.now()
  const plan = extractionPlan(input)
  return buildExtraction(plan, await scanPeoplePaths(plan), started)
}

/**
 * One person as a path extraction keeps them: their classified events in the scanned range.
 * Treated as unchanging once built: their journeys are worked out once and remembered.
 */
export interface PersonPaths {
  personId: string
  allProfileIds: readonly string[]
  /** In time order (then `seq`). */
  items: readonly TimelineItem[]
  /** Had a matching conversion before the scanned range (only asked when their first one in range is in the period). */
  convertedBefore: boolean
}

/** What an extraction reads with and builds by, derived from its input once. */
export interface ExtractionPlan {
  input: PathExtractionInput
  groupBy: GroupBy
  matcher: ConversionMatcher
  timelineOptions: TimelineOptions
  scan: LogScanOptions
  window: JourneyWindow
}

export function extractionPlan(input: PathExtractionInput, maxSeq?: number): ExtractionPlan {
  const conversion = input.conversion
  const lookbackMs = conversion.lookbackDays * DAY_MS
  const matcher = new ConversionMatcher(conversion)
  return {
    input,
    groupBy: input.groupBy ?? 'channel',
    matcher,
    timelineOptions: {
      classifier: new ChannelClassifier(input.rules),
      matcher,
      kinds: new Set(conversion.touchpoints),
      visitWindowMs: (input.visitWindowMinutes ?? 30) * 60_000,
    },
    scan: {
      db: input.database.db,
      workspaceId: input.workspaceId,
      from: input.from - lookbackMs,
      to: input.to,
      conversionEvents: conversion.events,
      extraPaths: matcher.paths,
      pageSize: input.pageSize,
      maxSeq,
    },
    window: { from: input.from, to: input.to, lookbackMs },
  }
}

/** Every person with events in the scanned range, classified (the expensive part: the read). */
export async function scanPeoplePaths(plan: ExtractionPlan): Promise<Map<string, PersonPaths>> {
  const found = new Map<string, PersonPaths>()
  for await (const people of scanPeople(plan.scan)) {
    const items = people.map((person) => person.rows.map((row) => classifyRow(row, plan.timelineOptions)))
    const asked = people.filter((_, i) => firstConversionInPeriod(items[i]!, plan.window))
    const converted = await convertedBeforeScan(plan.scan, plan.matcher, asked.flatMap((p) => p.allProfileIds))
    people.forEach((person, i) => {
      found.set(person.personId, { personId: person.personId, allProfileIds: person.allProfileIds, items: items[i]!, convertedBefore: person.allProfileIds.some((id) => converted.has(id)) })
    })
  }
  return found
}

/**
 * The paths of these people, taken in id order.
 *
 * @example buildExtraction(plan, await scanPeoplePaths(plan), performance.now())
 */
export function buildExtraction(plan: ExtractionPlan, people: ReadonlyMap<string, PersonPaths>, started: number, order?: readonly string[]): PathExtraction {
  const input = plan.input
  const stats: PathExtractionStats = {
    ...emptyTimelineStats(),
    people: 0,
    journeys: 0,
    convertingJourneys: 0,
    conversionsWithoutTouch: 0,
    newCustomers: 0,
    valueMinor: 0,
    scanFrom: plan.scan.from,
    scanTo: plan.scan.to,
    seconds: 0,
  }
  const builder = new PathSetBuilder()
  const labels = new Map<string, PathLabel>()
  let firstEver = new Uint8Array(1024)
  let size = 0

  for (const personId of order ?? sortedIds(people)) {
    const person = foldedPerson(plan, people.get(personId)!)
    addTimelineStats(stats, person.stats)
    stats.people++
    stats.conversions += person.conversionsInPeriod
    for (const journey of person.journeys) {
      for (const label of journey.labels) if (!labels.has(label.label)) labels.set(label.label, label)
      const problem = builder.addTouchPath(journey.path)
      if (problem) throw new Error(`a journey built from the log was refused by the path builder: ${problem}`)
      if (size === firstEver.length) {
        const grown = new Uint8Array(size * 2)
        grown.set(firstEver)
        firstEver = grown
      }
      const converted = journey.conversion
      firstEver[size++] = converted?.firstEver ? 1 : 0
      stats.journeys++
      if (converted) {
        stats.convertingJourneys++
        stats.valueMinor += converted.valueMinor
        if (journey.touchless) stats.conversionsWithoutTouch++
        if (converted.firstEver) stats.newCustomers++
        input.onConversion?.(converted.at, converted.valueMinor)
      }
    }
  }

  const paths = builder.build()
  const newCustomerPaths = newCustomerView(paths, firstEver)
  const directLabels = [...labels.values()].filter((l) => l.group === 'direct').map((l) => l.label)
  stats.seconds = (performance.now() - started) / 1000
  return { paths, newCustomerPaths, labels, directLabels, stats }
}

/** A journey ready for the path builder: its touches as labels, and what each label stands for. */
interface LabelledJourney {
  path: TouchPath
  labels: PathLabel[]
  conversion: Journey['conversion']
  /** A conversion with no touchpoint in its window (its path is the one `(none)` touch). */
  touchless: boolean
}

interface FoldedPerson {
  journeys: LabelledJourney[]
  stats: TimelineStats
  conversionsInPeriod: number
}

/**
 * A person's journeys and figures, worked out once per person: a kept person is reused by every
 * extension that did not touch them, so an extended extraction only adds up what is ready.
 */
const folded = new WeakMap<PersonPaths, FoldedPerson>()

function foldedPerson(plan: ExtractionPlan, person: PersonPaths): FoldedPerson {
  let result = folded.get(person)
  if (result) return result
  const stats = emptyTimelineStats()
  const timeline = foldTimeline(person.items, plan.timelineOptions, stats)
  const journeys = splitJourneys(timeline, plan.window, person.convertedBefore).map((journey): LabelledJourney => {
    const touches = journey.touches.length > 0 ? journey.touches : [noTouch(journey.conversion!.at)]
    const labels = touches.map((touch) => labelOf(touch, plan.groupBy))
    const steps = touches.map((touch, i) => ({ channel: labels[i]!.label, at: touch.at }))
    const converted = journey.conversion
    const path: TouchPath = converted
      ? { touches: steps, convertedAt: converted.at, conversions: 1, value: converted.valueMinor, nulls: 0 }
      : { touches: steps, conversions: 0, value: 0, nulls: 1 }
    return { path, labels, conversion: converted, touchless: journey.touches.length === 0 }
  })
  const conversionsInPeriod = timeline.conversions.filter((c) => c.at >= plan.window.from && c.at < plan.window.to).length
  result = { journeys, stats, conversionsInPeriod }
  folded.set(person, result)
  return result
}

function addTimelineStats(into: TimelineStats, add: TimelineStats): void {
  into.events += add.events
  into.touches += add.touches
  into.otherKinds += add.otherKinds
  into.sameVisit += add.sameVisit
  into.excluded += add.excluded
  into.unassigned += add.unassigned
  into.conversions += add.conversions
  into.currencyMismatches += add.currencyMismatches
}

/** Person ids in code-unit order (the same on every machine and locale). */
export function sortedIds(people: ReadonlyMap<string, unknown>): string[] {
  return [...people.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Whether the person's first conversion in the scanned range lies in the period (then a first-ever check is needed). */
export function firstConversionInPeriod(items: readonly TimelineItem[], window: { from: number; to: number }): boolean {
  const first = items.find((item) => item.conversion !== null)
  return first !== undefined && first.at >= window.from && first.at < window.to
}

/** Profiles among these that had a matching conversion before the scan's range. */
export async function convertedBeforeScan(scan: LogScanOptions, matcher: ConversionMatcher, profileIds: string[]): Promise<Set<string>> {
  if (profileIds.length === 0) return new Set()
  if (matcher.definition.filters.length === 0) return profilesConvertedBefore(scan, profileIds, scan.from)
  const found = new Set<string>()
  for (const row of await conversionsBefore(scan, profileIds, scan.from)) if (matcher.match(row)) found.add(row.profileId)
  return found
}

function noTouch(at: number): Touch {
  return { at, kind: 'visit', channel: NO_TOUCHPOINT, group: 'direct', campaign: null, journey: null }
}

function labelOf(touch: Touch, groupBy: GroupBy): PathLabel {
  if (groupBy === 'campaign' && touch.campaign) return { label: `${touch.channel} / ${touch.campaign}`, channel: touch.channel, group: touch.group, campaign: touch.campaign, journey: null }
  if (groupBy === 'journey' && touch.journey) return { label: `journey: ${touch.journey}`, channel: touch.channel, group: touch.group, campaign: null, journey: touch.journey }
  return { label: touch.channel, channel: touch.channel, group: touch.group, campaign: null, journey: null }
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
