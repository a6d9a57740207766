import { rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { HttpError } from '../../server/errors.ts'
import { defaultMapping, parseMapping, type ColumnMapping } from './column-mapping.ts'
import { readCsvHeader } from './csv-header.ts'
import { ImportRunner } from './import-runner.ts'
import { createImport, getImport, listImports } from './import-store.ts'
import { importSpoolDir, saveUpload } from './upload.ts'

/** Uploads larger than this are refused; `CHORUS_IMPORT_MAX_BYTES` changes it. */
export const DEFAULT_IMPORT_MAX_BYTES = 1024 * 1024 * 1024

/** How often a process looks for imports left unfinished by another. */
const ADOPT_EVERY_MS = 5_000

const CSV_TYPES = ['text/csv', 'application/csv']
const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl']
const ACCEPTED_TYPES = [...CSV_TYPES, ...NDJSON_TYPES, 'application/octet-stream']

const ImportQuery = z.object({
  format: z.enum(['csv', 'ndjson']).optional().describe('csv or ndjson; by default from the Content-Type (text/csv, application/x-ndjson) or the name\'s extension'),
  name: z.string().trim().min(1).max(200).optional().describe('The file\'s name, shown in the list and used to recognise the same file sent again (default "upload")'),
  map: z.string().max(4000).optional().describe('CSV column mapping, target=column pairs: "userId=buyer_id,phone=mobile,timestamp=paid_at,properties.total=amount". Without it, columns named like targets map to themselves and the others become properties'),
  type: z.enum(['track', 'identify', 'page', 'screen', 'group']).default('track').describe('CSV: the call type of every row'),
  event: z.string().trim().min(1).max(200).optional().describe('CSV: the event name of every row, e.g. "Order Completed" (or map a column to event)'),
  timezone: z.string().max(64).optional().describe('Zone of times written without an offset, e.g. Asia/Shanghai (the default)'),
})

const IdParams = z.object({ id: z.string().min(1).describe('Import id (imp_…)') })

/**
 * Bulk import over HTTP: the file is the raw request body, saved (and synced to disk) in the import
 * spool and imported by this process through the ingest writer; the answer (202) comes as soon as
 * the file is saved, and the import's progress and report are read back from `GET /imports/:id`.
 * The saved file is kept until the import ends, so a restart or a crash resumes it.
 */
export async function importRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const maxBytes = Number(process.env.CHORUS_IMPORT_MAX_BYTES) > 0 ? Number(process.env.CHORUS_IMPORT_MAX_BYTES) : DEFAULT_IMPORT_MAX_BYTES
  const db = ctx.database.db
  const spool = importSpoolDir(ctx.database.url)
  const runner = new ImportRunner({ database: ctx.database, writer: ctx.writer, clock: ctx.clock, logger: ctx.logger })

  // Imports a stopped process left unfinished are resumed (or, their file lost, marked
  // interrupted) at start, every few seconds after (another process may stop at any time), and
  // before imports are read.
  const adoptUnfinished = async () => {
    try {
      await runner.adoptUnfinished()
    } catch (error) {
      ctx.logger.warn({ err: error }, 'could not review unfinished imports')
    }
  }
  await adoptUnfinished()
  const review = setInterval(() => void adoptUnfinished(), ADOPT_EVERY_MS)
  review.unref()
  fastify.addHook('onClose', async () => {
    clearInterval(review)
    await runner.close()
  })

  await fastify.register(async (scope) => {
    // The body stays a stream: it is written to disk as it arrives, never held in memory.
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
    const app = scope.withTypeProvider<ZodTypeProvider>()
    app.post(
      '/imports',
      {
        preHandler: requirePermission(db, 'write'),
        schema: {
          description: `Import a file of Segment calls (NDJSON) or rows (CSV, e.g. an order export) sent as the raw request body (Content-Type text/csv, application/x-ndjson or application/octet-stream; at most ${sizeLabel(maxBytes)}). Answers 202 with the import at once; poll GET /api/v1/imports/{id} for progress and the report`,
          tags: ['imports'],
          querystring: ImportQuery,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request)
        const query = request.query
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
        if (!ACCEPTED_TYPES.includes(contentType)) {
          drain(request.body)
          throw new HttpError(415, 'UnsupportedMediaType', `Send the file as the request body with Content-Type text/csv, application/x-ndjson or application/octet-stream, not ${JSON.stringify(contentType)}`)
        }
        const name = query.name ?? 'upload'
        const format = query.format ?? (CSV_TYPES.includes(contentType) ? 'csv' : NDJSON_TYPES.includes(contentType) ? 'ndjson' : /\.csv$/i.test(name) ? 'csv' : /\.(nd)?jsonl?$/i.test(name) ? 'ndjson' : null)
        const refuse = (code: string, message: string) => {
          drain(request.body)
          return new HttpError(400, code, message)
        }
        if (!format) throw refuse('UnknownFormat', 'Say which format the file is in: format=csv or format=ndjson')
        if (format === 'ndjson' && (query.map || query.event)) throw refuse('OptionsForCsvOnly', 'map and event apply to CSV files only; NDJSON lines are whole Segment calls')
        let mapping: ColumnMapping | undefined
        try {
          mapping = query.map ? parseMapping(query.map) : undefined
        } catch (error) {
          throw refuse('InvalidMapping', `The column mapping is not valid: ${(error as Error).message}`)
        }
        if (query.timezone && !isTimeZone(query.timezone)) throw refuse('InvalidTimezone', `Unknown time zone ${JSON.stringify(query.timezone)}; use an IANA name such as Asia/Shanghai`)
        const declared = Number(request.headers['content-length'])
        if (declared > maxBytes) throw tooLarge(maxBytes, () => drain(request.body))

        const saved = await saveUpload(request.body as Readable, { directory: spool, limit: maxBytes, extension: format })
        if (saved.kind === 'TooLarge') throw tooLarge(maxBytes)
        if (saved.kind === 'Empty') throw new HttpError(400, 'EmptyBody', 'The request body is empty; send the file as the body')
        if (saved.kind === 'Incomplete') throw new HttpError(400, 'UploadIncomplete', 'The upload stopped before the whole file arrived; nothing was imported, send the file again')
        try {
          if (format === 'csv') await checkCsv(saved.path, mapping, query)
        } catch (error) {
          await rm(saved.path, { force: true })
          throw error
        }
        const settings = { ...(query.map ? { map: query.map } : {}), type: query.type, ...(query.event ? { event: query.event } : {}), timezone: query.timezone ?? 'Asia/Shanghai' }
        const id = await createImport(db, { workspaceId: principal.workspaceId, name, format, settings, bytesTotal: saved.bytes, tempPath: saved.path, createdBy: principal.userId ?? principal.tokenId, now: ctx.clock.now(), owner: runner.owner })
        runner.enqueue({ id, workspaceId: principal.workspaceId, name, format, settings, tempPath: saved.path })
        return reply.status(202).send(await getImport(db, principal.workspaceId, id, ctx.clock.now()))
      },
    )
  })

  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const read = requirePermission(db, 'read')
  app.get(
    '/imports',
    {
      preHandler: read,
      schema: {
        description: 'Imports with their progress (bytes and rows read, stored, rejected, rate) and state, newest first, cursor-paginated',
        tags: ['imports'],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20).describe('Imports per page'), cursor: z.string().optional().describe('nextCursor from the previous page') }),
      },
    },
    async (request) => {
      await adoptUnfinished()
      const cursor = request.query.cursor
      if (cursor !== undefined && !/^imp_[0-9a-z]+$/.test(cursor)) throw new HttpError(400, 'InvalidCursor', 'The cursor is not one this API returned')
      return listImports(db, principalOf(request).workspaceId, { limit: request.query.limit, after: cursor ?? null }, ctx.clock.now())
    },
  )

  app.get('/imports/:id', { preHandler: read, schema: { description: 'One import: state (queued, running, done, failed, interrupted), progress, and the first rejected lines with their reasons', tags: ['imports'], params: IdParams } }, async (request) => {
    await adoptUnfinished()
    const found = await getImport(db, principalOf(request).workspaceId, request.params.id, ctx.clock.now())
    if (!found) throw new HttpError(404, 'NotFound', `No import ${request.params.id}`)
    return found
  })
}

/** Refuses a CSV whose header lacks a mapped column, or whose rows would all be refused (no identity, or track rows with no event). */
async function checkCsv(path: string, mapping: ColumnMapping | undefined, query: { type: string; event?: string }): Promise<void> {
  const header = await readCsvHeader(path)
  if (!header) throw new HttpError(400, 'EmptyBody', 'The CSV file has no header row')
  const effective = mapping ?? defaultMapping(header)
  const missing = effective.filter((m) => !header.includes(m.column)).map((m) => m.column)
  if (missing.length) throw new HttpError(400, 'InvalidMapping', `The mapping names ${missing.map((c) => JSON.stringify(c)).join(', ')}, not in the file's header: ${header.join(', ')}`)
  if (!effective.some((m) => m.target === 'userId' || m.target === 'anonymousId')) {
    throw new HttpError(400, 'MissingIdentity', 'Every row needs a userId or anonymousId: map a column to userId or anonymousId (a phone or e-mail column can be both, e.g. "phone=mobile,anonymousId=mobile")')
  }
  if (query.type === 'track' && !query.event && !effective.some((m) => m.target === 'event')) {
    throw new HttpError(400, 'MissingEvent', 'Every track row needs an event name: give event=… (e.g. "Order Completed") or map a column to event')
  }
}

function tooLarge(limit: number, then?: () => void): HttpError {
  then?.()
  return new HttpError(413, 'PayloadTooLarge', `The file is larger than the import limit of ${sizeLabel(limit)}`)
}

function sizeLabel(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GB`
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`
  return `${Math.round(bytes / 1024)} KB`
}

/** Reads and drops a refused body, so the client receives the answer instead of a reset. */
function drain(body: unknown): void {
  if (body && typeof (body as Readable).resume === 'function') (body as Readable).resume()
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
