const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Exports from Chinese stores and POS systems write local times without an offset
 * ("2026-10-01 12:30:00"). Such a time is read in `timeZone`; times with an offset or `Z` are
 * left alone. Returns an ISO string, or the input unchanged when it is not a naive time.
 *
 * @example localTimeToIso('2026-10-01 12:30:00', 'Asia/Shanghai') // '2026-10-01T04:30:00.000Z'
 */
export function localTimeToIso(value: string, timeZone: string): string {
  const m = value.trim().match(NAIVE) ?? value.trim().match(DATE_ONLY)
  if (!m) return value
  const [y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m.slice(1)
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')))
  // The zone's offset at that moment (twice, to settle across a DST change).
  let guess = asUtc - offsetMs(asUtc, timeZone)
  guess = asUtc - offsetMs(guess, timeZone)
  return new Date(guess).toISOString()
}

function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(at))
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return wall - Math.floor(at / 1000) * 1000
}
