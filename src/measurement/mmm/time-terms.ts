/**
 * Trend and seasonality regressors built from the period dates.
 *
 * Seasonality is a sum of Fourier pairs, sin(2πk·t/P) and cos(2πk·t/P) for k = 1..K, with t in
 * days since the first period and P = 365.25 (yearly) or 7 (day of week) — the form Prophet uses
 * (Taylor & Letham 2018, "Forecasting at scale", §3.2), which Robyn uses for its seasonality.
 * A yearly cycle needs at least a year of history to be told apart from trend, and a day-of-week
 * cycle is invisible in weekly data, so each is only added when the dates can support it; the
 * reason is returned as a note.
 */
const DAY_MS = 86_400_000

export interface TimeTerm {
  name: string
  group: 'trend' | 'seasonality'
  values: Float64Array
}

export interface TimeTermOptions {
  trend: boolean
  yearlyHarmonics: number
  weeklyHarmonics: number
}

export interface TimeTerms {
  terms: TimeTerm[]
  /** The median number of days between consecutive periods (7 for weekly data). */
  cadenceDays: number
  notes: string[]
}

/**
 * @example
 * const { terms, cadenceDays } = buildTimeTerms(['2024-01-01', '2024-01-08'], {
 *   trend: true, yearlyHarmonics: 2, weeklyHarmonics: 3,
 * })
 * // cadenceDays 7; terms: trend only (too short for a yearly cycle)
 */
export function buildTimeTerms(dates: readonly string[], options: TimeTermOptions): TimeTerms {
  const days = dayOffsets(dates)
  const cadenceDays = medianGap(days)
  const span = days.length > 0 ? (days[days.length - 1] as number) : 0
  const terms: TimeTerm[] = []
  const notes: string[] = []
  if (options.trend) {
    terms.push({ name: 'trend', group: 'trend', values: days.map((d) => d / 365.25) })
  }
  if (options.yearlyHarmonics > 0) {
    if (span >= 365) terms.push(...fourier('yearly', days, 365.25, options.yearlyHarmonics))
    else notes.push(`yearly seasonality left out: the dates span ${Math.round(span)} days, less than a year`)
  }
  if (options.weeklyHarmonics > 0) {
    if (cadenceDays <= 1) terms.push(...fourier('weekday', days, 7, Math.min(3, options.weeklyHarmonics)))
    else if (cadenceDays < 7) notes.push(`day-of-week seasonality left out: periods are ${cadenceDays} days apart`)
  }
  return { terms, cadenceDays, notes }
}

/**
 * Days since the first date, from ISO `YYYY-MM-DD` strings.
 *
 * @example
 * dayOffsets(['2024-01-01', '2024-01-08']) // Float64Array [0, 7]
 */
export function dayOffsets(dates: readonly string[]): Float64Array {
  const out = new Float64Array(dates.length)
  if (dates.length === 0) return out
  const first = Date.parse(dates[0] as string)
  for (let i = 0; i < dates.length; i++) {
    const t = Date.parse(dates[i] as string)
    if (Number.isNaN(t)) throw new Error(`'${dates[i]}' is not an ISO date`)
    out[i] = Math.round((t - first) / DAY_MS)
  }
  return out
}

function medianGap(days: Float64Array): number {
  if (days.length < 2) return 1
  const gaps: number[] = []
  for (let i = 1; i < days.length; i++) gaps.push((days[i] as number) - (days[i - 1] as number))
  gaps.sort((a, b) => a - b)
  return gaps[Math.floor(gaps.length / 2)] as number
}

function fourier(prefix: string, days: Float64Array, period: number, harmonics: number): TimeTerm[] {
  const terms: TimeTerm[] = []
  for (let k = 1; k <= harmonics; k++) {
    const sin = new Float64Array(days.length)
    const cos = new Float64Array(days.length)
    for (let i = 0; i < days.length; i++) {
      const angle = (2 * Math.PI * k * (days[i] as number)) / period
      sin[i] = Math.sin(angle)
      cos[i] = Math.cos(angle)
    }
    terms.push({ name: `${prefix}_sin${k}`, group: 'seasonality', values: sin })
    terms.push({ name: `${prefix}_cos${k}`, group: 'seasonality', values: cos })
  }
  return terms
}
