import { DAY_MS, type AggregatedPath, type TouchPath } from './path.ts'

/**
 * Paths in columnar form, the one input every model reads. Channel names are interned to small
 * integers once, so models run over typed arrays (a million paths are a few million integers)
 * instead of strings and objects.
 *
 * Path `i` has touches `touches[offsets[i]] … touches[offsets[i + 1] - 1]` (channel ids, in time
 * order) and outcome `conversions[i]`, `values[i]`, `nulls[i]`.
 */
export interface PathSet {
  /** Channel names by id. */
  readonly channels: readonly string[]
  /** Number of paths. */
  readonly size: number
  readonly offsets: Uint32Array
  readonly touches: Int32Array
  /**
   * Age of each touch in days before its path's conversion, aligned with `touches`; `null` when
   * every path was aggregated, in which case touch `j` of a path of `n` touches is `n - 1 - j`
   * days old (one day apart, counting back from the conversion).
   */
  readonly ages: Float64Array | null
  readonly conversions: Float64Array
  readonly values: Float64Array
  readonly nulls: Float64Array
}

/** What happened to each input path: how many were accepted, and why the others were not. */
export interface PathSetReport {
  accepted: number
  rejected: { index: number; reason: string }[]
}

const NO_NAME = Symbol('no channel yet')

/**
 * Collects paths into a {@link PathSet}. `add` never throws on bad data: it returns the reason a
 * path was refused (or `null`), so bulk readers can report bad rows and go on.
 *
 * @example
 * const builder = new PathSetBuilder()
 * builder.add({ path: ['email', 'search'], conversions: 2, value: 80, nulls: 5 })
 * const paths = builder.build()
 */
export class PathSetBuilder {
  readonly #channelIds = new Map<string, number>()
  readonly #channels: string[] = []
  #size = 0
  #touchCount = 0
  #offsets: Uint32Array
  #touches: Int32Array
  #ages: Float64Array | null = null
  #conversions: Float64Array
  #values: Float64Array
  #nulls: Float64Array
  /** The last channel name interned and its id; starts as a value no path element can be. */
  #lastName: unknown = NO_NAME
  #lastId = -1

  /** Sizes hint how much to allocate up front; the builder grows past them as needed. */
  constructor(sizes: { paths?: number; touches?: number } = {}) {
    const paths = Math.max(1024, sizes.paths ?? 0)
    this.#offsets = new Uint32Array(paths + 1)
    this.#conversions = new Float64Array(paths)
    this.#values = new Float64Array(paths)
    this.#nulls = new Float64Array(paths)
    this.#touches = new Int32Array(Math.max(4096, sizes.touches ?? 0))
  }

  /** Adds one path in either shape; returns why it was refused, or `null` when accepted. */
  add(path: AggregatedPath | TouchPath): string | null {
    return 'touches' in path ? this.addTouchPath(path) : this.addAggregated(path)
  }

  /** Adds one aggregated path; returns why it was refused, or `null` when accepted. */
  addAggregated(path: AggregatedPath): string | null {
    const channels = path.path
    if (!Array.isArray(channels) || channels.length === 0) return 'the path has no channels'
    const problem = outcomeProblem(path.conversions, path.value, path.nulls)
    if (problem) return problem
    const n = channels.length
    const start = this.#reserve(n)
    const touches = this.#touches
    const knownChannels = this.#channels.length
    // Consecutive touches often repeat a channel: compare with the last name before the map.
    let lastName = this.#lastName
    let lastId = this.#lastId
    for (let j = 0; j < n; j++) {
      const name = channels[j]
      if (name !== lastName) {
        if (typeof name !== 'string' || name.length === 0) {
          this.#forgetChannelsFrom(knownChannels)
          return `channel ${j + 1} of the path is empty`
        }
        lastName = name
        lastId = this.#intern(name)
      }
      touches[start + j] = lastId
    }
    this.#lastName = lastName
    this.#lastId = lastId
    const ages = this.#ages
    if (ages) for (let j = 0; j < n; j++) ages[start + j] = n - 1 - j
    this.#finishPath(n, path.conversions, path.value, path.nulls)
    return null
  }

  /** Adds one timestamped path; returns why it was refused, or `null` when accepted. */
  addTouchPath(path: TouchPath): string | null {
    const touches = path.touches
    if (!Array.isArray(touches) || touches.length === 0) return 'the path has no touches'
    for (let j = 0; j < touches.length; j++) {
      const touch = touches[j]!
      if (typeof touch.channel !== 'string' || touch.channel.length === 0) return `touch ${j + 1} has no channel`
      if (!Number.isFinite(touch.at)) return `touch ${j + 1} has no valid time`
    }
    const problem = outcomeProblem(path.conversions, path.value, path.nulls)
    if (problem) return problem
    // Time order decides first and last touch; a stable sort keeps same-instant touches as given.
    const ordered = touches.every((t, j) => j === 0 || touches[j - 1]!.at <= t.at)
      ? touches
      : [...touches].sort((a, b) => a.at - b.at)
    const convertedAt = path.convertedAt ?? ordered[ordered.length - 1]!.at
    if (!Number.isFinite(convertedAt)) return 'the conversion time is not a valid time'
    if (ordered[ordered.length - 1]!.at > convertedAt) return 'a touch happens after the conversion'
    const ages = this.#ensureAges()
    const start = this.#reserve(ordered.length)
    for (let j = 0; j < ordered.length; j++) {
      this.#touches[start + j] = this.#intern(ordered[j]!.channel)
      ages[start + j] = (convertedAt - ordered[j]!.at) / DAY_MS
    }
    this.#finishPath(ordered.length, path.conversions, path.value, path.nulls)
    return null
  }

  /**
   * The paths added so far, as views on the builder's arrays (no copy). The builder only ever
   * appends past them, so the builder can keep adding and earlier sets stay valid.
   */
  build(): PathSet {
    const n = this.#size
    const touchCount = this.#touchCount
    return {
      channels: [...this.#channels],
      size: n,
      offsets: this.#offsets.subarray(0, n + 1),
      touches: this.#touches.subarray(0, touchCount),
      ages: this.#ages ? this.#ages.subarray(0, touchCount) : null,
      conversions: this.#conversions.subarray(0, n),
      values: this.#values.subarray(0, n),
      nulls: this.#nulls.subarray(0, n),
    }
  }

  /** Un-interns the channels a refused path introduced, so they do not show up with no credit. */
  #forgetChannelsFrom(count: number): void {
    for (const name of this.#channels.splice(count)) this.#channelIds.delete(name)
    this.#lastName = NO_NAME
    this.#lastId = -1
  }

  #intern(name: string): number {
    let id = this.#channelIds.get(name)
    if (id === undefined) {
      id = this.#channels.length
      this.#channelIds.set(name, id)
      this.#channels.push(name)
    }
    return id
  }

  /** Makes room for `count` more touches and returns where they start. */
  #reserve(count: number): number {
    const start = this.#touchCount
    const needed = start + count
    if (needed > this.#touches.length) {
      const capacity = Math.max(needed, this.#touches.length * 2)
      this.#touches = grown(this.#touches, new Int32Array(capacity))
      if (this.#ages) this.#ages = grown(this.#ages, new Float64Array(capacity))
    }
    return start
  }

  #ensureAges(): Float64Array {
    if (this.#ages) return this.#ages
    // The first timestamped path: give the aggregated paths before it their one-day-apart ages.
    const ages = new Float64Array(this.#touches.length)
    for (let i = 0; i < this.#size; i++) {
      const from = this.#offsets[i]!
      const to = this.#offsets[i + 1]!
      for (let j = from; j < to; j++) ages[j] = to - 1 - j
    }
    this.#ages = ages
    return ages
  }

  #finishPath(touchCount: number, conversions: number, value: number, nulls: number): void {
    const i = this.#size
    if (i + 2 > this.#offsets.length) {
      const capacity = this.#offsets.length * 2
      this.#offsets = grown(this.#offsets, new Uint32Array(capacity))
      this.#conversions = grown(this.#conversions, new Float64Array(capacity))
      this.#values = grown(this.#values, new Float64Array(capacity))
      this.#nulls = grown(this.#nulls, new Float64Array(capacity))
    }
    this.#touchCount += touchCount
    this.#offsets[i + 1] = this.#touchCount
    this.#conversions[i] = conversions
    this.#values[i] = value
    this.#nulls[i] = nulls
    this.#size = i + 1
  }
}

/**
 * Builds a {@link PathSet} from paths in either shape, with a report of the refused ones.
 *
 * @example
 * const { paths, report } = buildPathSet([
 *   { path: ['a'], conversions: 4, value: 40, nulls: 0 },
 *   { path: ['a', 'b'], conversions: 6, value: 60, nulls: 2 },
 * ])
 * // report.accepted === 2, paths.channels → ['a', 'b']
 */
export function buildPathSet(input: Iterable<AggregatedPath | TouchPath>): { paths: PathSet; report: PathSetReport } {
  const builder = new PathSetBuilder(Array.isArray(input) ? sizesOf(input) : {})
  const report: PathSetReport = { accepted: 0, rejected: [] }
  let index = 0
  for (const path of input) {
    const problem = builder.add(path)
    if (problem) report.rejected.push({ index, reason: problem })
    else report.accepted++
    index++
  }
  return { paths: builder.build(), report }
}

/** Paths and touches in an array of paths, to allocate the builder once. */
function sizesOf(input: readonly (AggregatedPath | TouchPath)[]): { paths: number; touches: number } {
  let touches = 0
  for (const path of input) {
    const list = 'touches' in path ? path.touches : path.path
    if (Array.isArray(list)) touches += list.length
  }
  return { paths: input.length, touches }
}

/** Mirrors the {@link AggregatedPath} schema's outcome rules with cheap checks for bulk input. */
function outcomeProblem(conversions: number, value: number, nulls: number): string | null {
  if (!isCount(conversions)) return `conversions must be a number ≥ 0 (got ${String(conversions)})`
  if (!isCount(value)) return `conversion value must be a number ≥ 0 (got ${String(value)})`
  if (!isCount(nulls)) return `nulls must be a number ≥ 0 (got ${String(nulls)})`
  if (value > 0 && conversions === 0) return 'a path with conversion value must have conversions > 0'
  return null
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0
}

function grown<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from)
  return to
}
