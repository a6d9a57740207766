import { readFile } from 'node:fs/promises'
import { z } from 'zod'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/**
 * The parts of the demo brand's `truth.json` (schema `chorus.demo.truth/v1`, see
 * docs/demo-brand.md) that the truth check reads: the period, the conversion, and per channel the
 * incremental orders and revenue a counterfactual simulation measured. Read as a file format, so
 * measurement does not depend on the demo's code.
 */
export const TruthFile = z.object({
  schema: z.literal('chorus.demo.truth/v1'),
  start: Day,
  end: Day,
  timeZone: z.string(),
  currency: z.string(),
  conversionEvent: z.string(),
  people: z.number().int(),
  days: z.number().int(),
  actual: z.object({ orders: z.number(), buyers: z.number(), revenueMinor: z.number() }),
  noMarketing: z.object({ orders: z.number(), revenueMinor: z.number() }),
  marketing: z.object({ incrementalOrders: z.number(), incrementalRevenueMinor: z.number(), sumOfChannelIncrementalOrders: z.number() }),
  channels: z
    .array(
      z.object({
        channel: z.string(),
        paid: z.boolean(),
        spendMinor: z.number(),
        incrementalOrders: z.number(),
        incrementalRevenueMinor: z.number(),
        roas: z.number().nullable(),
      }),
    )
    .min(1),
})
export type TruthFile = z.infer<typeof TruthFile>

/**
 * @example
 * const read = await readTruthFile('.chorus/demo/truth.json')
 * if (read.ok) read.truth.channels.map((c) => c.incrementalOrders)
 */
export async function readTruthFile(path: string): Promise<{ ok: true; truth: TruthFile } | { ok: false; message: string }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    return { ok: false, message: `cannot read ${path}: ${(error as Error).message}` }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, message: `${path} is not JSON: ${(error as Error).message}` }
  }
  const parsed = TruthFile.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
    return { ok: false, message: `${path} is not a demo truth file (chorus.demo.truth/v1): ${problems.join('; ')}` }
  }
  return { ok: true, truth: parsed.data }
}
