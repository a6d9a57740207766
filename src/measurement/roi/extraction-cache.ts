import type { PathExtraction, PathExtractionInput } from '../touchpoints/extract-paths.ts'
import { extractPathsIncrementally } from '../touchpoints/incremental-paths.ts'
import { reuseWhileUnchanged } from '../touchpoints/reuse-while-unchanged.ts'

/**
 * {@link extractPaths}, answered from an earlier identical scan while the log has not changed
 * since (see `reuseWhileUnchanged`), and otherwise by extending the last scan with the events
 * appended and the merges and erasures recorded since (see `extractPathsIncrementally`). The
 * scan is nearly all of an attribution or ROI request's time — the models on the paths take
 * milliseconds — so switching the ROI model, opening the attribution and ROI tabs or reloading
 * costs one scan, not one each, and a read after new events (logins merging people among them)
 * costs the new events. The key is everything the scan depends on besides the
 * log: period, conversion definition, channel rules, grouping, visit window.
 *
 * @example const extraction = await cachedExtractPaths({ database, workspaceId, from, to, conversion, rules })
 */
export function cachedExtractPaths(input: Omit<PathExtractionInput, 'onConversion'>): Promise<PathExtraction> {
  const key = ['paths', input.from, input.to, input.conversion, input.rules, input.groupBy ?? 'channel', input.visitWindowMinutes ?? null, input.pageSize ?? null]
  return reuseWhileUnchanged(input.database.db, input.workspaceId, key, async (mark) => (await extractPathsIncrementally(input, key, undefined, mark)).extraction)
}
