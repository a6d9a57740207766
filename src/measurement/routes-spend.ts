import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { principalOf, requirePermission } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { getWorkspace } from '../workspaces/index.ts'
import {
  collectSpend,
  deleteSpend,
  InvalidSpendCursor,
  listSpend,
  parseSpendCsv,
  parseSpendMapping,
  storeSpend,
  type SpendParseReport,
  type SpendRecord,
} from './spend/index.ts'

const CSV_LIMIT_BYTES = 20 * 1024 * 1024

const SpendRowBody = z.object({
  date: z.string().describe('YYYY-MM-DD, the ad account’s local date'),
  channel: z.string(),
  campaign: z.string().optional(),
  impressions: z.union([z.number(), z.string()]).optional(),
  clicks: z.union([z.number(), z.string()]).optional(),
  cost: z.union([z.number(), z.string()]).optional().describe('In major units (yuan), e.g. 456.10'),
  costMinor: z.union([z.number(), z.string()]).optional().describe('In minor units (fen), an integer; instead of cost'),
  currency: z.string().optional(),
})

const Range = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'from is a date, YYYY-MM-DD'),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'to is a date, YYYY-MM-DD'),
  channel: z.string().optional(),
})

/**
 * Ad spend: rows as JSON or an ad platform's CSV export (line-numbered report of refused rows),
 * listing and deletion by date range. Stored per day, channel and campaign; importing a day
 * again replaces it.
 */
export async function spendRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  fastify.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: CSV_LIMIT_BYTES }, (_request, body, done) => done(null, body))
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const write = requirePermission(db, 'write')
  const tags = ['measurement']
  const currencyOf = async (workspaceId: string) => (await getWorkspace(db, workspaceId))?.settings.currency ?? 'CNY'

  app.post(
    '/measurement/spend',
    {
      preHandler: write,
      schema: {
        description: 'Import daily spend rows; refused rows are reported by index (from 0) with every reason, the others are stored',
        tags,
        body: z.object({ rows: z.array(SpendRowBody).min(1).max(100_000), currency: z.string().optional().describe('Currency of rows that state none (default: the workspace’s)'), source: z.string().max(200).optional() }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const collected = collectSpend(request.body.rows.map((fields, line) => ({ line, fields })), request.body.currency ?? (await currencyOf(workspaceId)))
      return store(workspaceId, collected.records, collected.report, request.body.source ?? 'api', 'index')
    },
  )

  app.post(
    '/measurement/spend/csv',
    {
      preHandler: write,
      schema: {
        description: 'Import an ad platform export (Content-Type: text/csv): date, channel, campaign, impressions, clicks, cost (Chinese headers recognised); refused rows are reported by line',
        tags,
        querystring: z.object({
          map: z.string().optional().describe('Column mapping, e.g. "date=日期,campaign=计划名称,cost=消耗(元)"'),
          channel: z.string().optional().describe('The channel of every row, for a one-platform export'),
          currency: z.string().optional(),
          sep: z.string().length(1).optional(),
          source: z.string().max(200).optional(),
        }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      if (typeof request.body !== 'string') throw new HttpError(415, 'UnsupportedMediaType', 'Send the CSV file as the body with Content-Type: text/csv')
      let mapping
      try {
        mapping = request.query.map ? parseSpendMapping(request.query.map) : undefined
      } catch (error) {
        throw new HttpError(400, 'BadMapping', (error as Error).message)
      }
      const parsed = parseSpendCsv(request.body, { mapping, channel: request.query.channel, currency: request.query.currency ?? (await currencyOf(workspaceId)), delimiter: request.query.sep })
      if (parsed.kind === 'BadFile') throw new HttpError(400, 'BadFile', parsed.message)
      return store(workspaceId, parsed.records, parsed.report, request.query.source ?? 'csv', 'line')
    },
  )

  app.get(
    '/measurement/spend',
    {
      preHandler: requirePermission(db, 'read'),
      schema: { description: 'Stored spend rows by date, channel and campaign, cursor-paginated', tags, querystring: Range.extend({ limit: z.coerce.number().int().min(1).max(1000).default(200), cursor: z.string().optional() }) },
    },
    async (request) => {
      const { from, to, channel, limit, cursor } = request.query
      try {
        return await listSpend(db, { workspaceId: principalOf(request).workspaceId, fromDate: from, toDate: to, channel, limit, cursor })
      } catch (error) {
        if (error instanceof InvalidSpendCursor) throw new HttpError(400, 'InvalidCursor', error.message)
        throw error
      }
    },
  )

  app.delete('/measurement/spend', { preHandler: requirePermission(db, 'delete'), schema: { description: 'Delete spend rows of a date range (and channel)', tags, querystring: Range } }, async (request) => {
    const { from, to, channel } = request.query
    return { deleted: await deleteSpend(db, { workspaceId: principalOf(request).workspaceId, fromDate: from, toDate: to, channel }) }
  })

  async function store(workspaceId: string, records: SpendRecord[], report: SpendParseReport, source: string, position: 'index' | 'line') {
    const body = {
      rowsRead: report.rowsRead,
      rowsAccepted: report.rowsAccepted,
      rowsRejected: report.rejected.length,
      stored: 0,
      replaced: 0,
      rejected: report.rejected.slice(0, 1000).map((r) => ({ [position]: r.line, reasons: r.reasons })),
    }
    if (records.length === 0) throw new HttpError(400, 'NothingImported', `No row could be imported (${report.rejected.length} refused); see details`, body)
    const outcome = await storeSpend(ctx.database, { workspaceId, records, source, now: ctx.clock.now() })
    return { ...body, stored: outcome.stored, replaced: outcome.replaced }
  }
}
