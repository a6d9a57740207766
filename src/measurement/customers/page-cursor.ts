import { InvalidMeasurementInput } from './input-error.ts'

/**
 * Opaque cursors for id-ordered lists: the last id of the page, base64url-encoded, so a page is
 * stable while the list grows.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  if (id === '' || encodeCursor(id) !== cursor) throw new InvalidMeasurementInput('The cursor is not one this API returned', { code: 'InvalidCursor' })
  return id
}

/**
 * One page of a sorted id list after the cursor.
 *
 * @example pageOf(['a', 'b', 'c'], { limit: 2 }) // { items: ['a', 'b'], nextCursor: encodeCursor('b') }
 */
export function pageOf(sortedIds: readonly string[], options: { cursor?: string; limit: number }): { items: string[]; nextCursor: string | null } {
  const after = decodeCursor(options.cursor)
  let start = 0
  if (after !== null) {
    // Binary search for the first id greater than the cursor's.
    let lo = 0
    let hi = sortedIds.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (sortedIds[mid]! <= after) lo = mid + 1
      else hi = mid
    }
    start = lo
  }
  const items = sortedIds.slice(start, start + options.limit)
  const more = start + options.limit < sortedIds.length
  return { items, nextCursor: more && items.length > 0 ? encodeCursor(items[items.length - 1]!) : null }
}
