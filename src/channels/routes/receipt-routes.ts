import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { workspaceSecret } from '../settings-store.ts'
import { AliyunReport, aliyunReceipts, GenericReport, genericReceipts, recordReceipts, TencentReport, tencentReceipts, type Receipt } from '../tracking/receipts.ts'
import { parseReceiptKey, verifyReceiptKey } from '../tracking/tokens.ts'

/**
 * Delivery reports from providers: `POST /api/v1/channels/receipts/aliyun|tencent|generic?key=…`,
 * the URL (key included) taken from `GET /api/v1/channels/settings` and configured at the provider.
 * Each provider gets the answer its documentation expects.
 */
export async function receiptRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.post(
    '/channels/receipts/:provider',
    {
      schema: {
        description: 'Delivery receipts: Aliyun SmsReport (JSON array), Tencent Cloud SMS status callback (JSON array), or generic {messageId|providerMessageId, status: delivered|failed, code?, reason?, at?} (one, or {receipts: […]})',
        tags: ['channels'],
        params: z.object({ provider: z.enum(['aliyun', 'tencent', 'generic']) }),
        querystring: z.object({ key: z.string().min(1).describe('The receipt key from GET /api/v1/channels/settings') }),
      },
      bodyLimit: 1_048_576,
    },
    async (request) => {
      const parsedKey = parseReceiptKey(request.query.key)
      const secret = parsedKey ? await workspaceSecret(ctx.database.db, parsedKey.workspaceId) : null
      if (!parsedKey || !secret || !verifyReceiptKey(secret, parsedKey)) throw new HttpError(401, 'Unauthorized', 'The receipt key is not valid; copy the receipt URL from GET /api/v1/channels/settings')
      let receipts: Receipt[]
      const provider = request.params.provider
      const body = provider === 'aliyun' ? AliyunReport.safeParse(request.body) : provider === 'tencent' ? TencentReport.safeParse(request.body) : GenericReport.safeParse(request.body)
      if (!body.success) {
        const first = body.error.issues[0]
        throw new HttpError(400, 'InvalidReceipt', `Not a ${provider} delivery report: ${first ? `${first.path.join('.') || '(body)'} ${first.message}` : 'unexpected shape'}`)
      }
      if (provider === 'aliyun') receipts = aliyunReceipts(body.data as z.infer<typeof AliyunReport>)
      else if (provider === 'tencent') receipts = tencentReceipts(body.data as z.infer<typeof TencentReport>)
      else receipts = genericReceipts(body.data as z.infer<typeof GenericReport>)
      const result = await recordReceipts(ctx, parsedKey.workspaceId, receipts)
      // Answers per each provider's callback documentation.
      if (provider === 'aliyun') return { code: 0, msg: '接收成功' }
      if (provider === 'tencent') return { result: 0, errmsg: 'OK' }
      return { recorded: result.recorded, unmatched: result.unmatched.map((r) => r.messageId ?? r.providerMessageId) }
    },
  )
}
