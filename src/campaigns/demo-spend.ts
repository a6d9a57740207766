import { parseSpendCsv, storeSpend } from '../measurement/index.ts'
import type { Database } from '../platform/index.ts'

/**
 * The demo's ad-platform export (`spend.csv`, written by the simulation next to its truth) stored
 * as the workspace's spend, so the demo campaign's ROI, CAC and per-channel CPA are real figures
 * rather than "spend unknown". Importing the same file again replaces the same days and campaigns.
 */
export async function importDemoSpend(database: Database, input: { workspaceId: string; csv: string; now: number }): Promise<{ stored: number }> {
  const parsed = parseSpendCsv(input.csv, { currency: 'CNY' })
  if (parsed.kind === 'BadFile') throw new Error(`demo campaign: the demo spend export cannot be read: ${parsed.message}`)
  if (parsed.report.rejected.length > 0) {
    const first = parsed.report.rejected[0]!
    throw new Error(`demo campaign: the demo spend export has ${parsed.report.rejected.length} bad rows (line ${first.line}: ${first.reasons.join('; ')})`)
  }
  const outcome = await storeSpend(database, { workspaceId: input.workspaceId, records: parsed.records, source: 'demo spend.csv', now: input.now })
  return { stored: outcome.stored }
}
