import { useState } from 'react'

export interface Period {
  from: string
  to: string
}

/** A calendar date (YYYY-MM-DD) in a time zone. */
export function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms))
}

/** The last `days` days up to and including today, in the workspace's time zone. */
export function lastDays(days: number, timeZone: string, now: number = Date.now()): Period {
  return { from: localDate(now - (days - 1) * 86_400_000, timeZone), to: localDate(now, timeZone) }
}

/** The day after a date, for APIs whose `to` is exclusive. */
export function dayAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

export function usePeriod(timeZone: string, days = 30) {
  return useState<Period>(() => lastDays(days, timeZone))
}
