/**
 * Maps over items with at most `limit` calls in flight, keeping the input order in the output —
 * provider calls are network-bound, so a few at a time beat one by one without flooding anyone.
 *
 * @example const outcomes = await mapLimit(requests, 16, (r) => sender.send(r))
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      out[index] = await fn(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}
