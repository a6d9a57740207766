import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { providerById, type StoredProvider } from '../provider-store.ts'
import { workspaceSecret } from '../settings-store.ts'
import { AliyunReport, aliyunReceipts, GenericReport, genericReceipts, recordReceipts, TencentReport, tencentReceipts, type Receipt } from '../tracking/receipts.ts'
import { parseReceiptKey, verifyReceiptKey } from '../tracking/tokens.ts'
import { verifyWechatSignature, wechatReceipts } from '../tracking/wechat-receipts.ts'
import { parseWechatXml, XmlRejected } from '../tracking/wechat-xml.ts'

/**
 * Delivery reports from providers: `POST /api/v1/channels/receipts/aliyun|tencent|generic?key=…`,
 * the URL (key included) taken from `GET /api/v1/channels/settings` and configured at the provider.
 * Each provider gets the answer its documentation expects. WeChat pushes to
 * `/api/v1/channels/receipts/wechat/:providerId`, signed with the provider's Token.
 */
export async function receiptRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  // Its own scope: the XML body parser applies to WeChat's address only.
  await fastify.register(async (scope) => wechatReceiptRoutes(scope, ctx))
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

const WechatPushQuery = z.object({
  signature: z.string().optional(),
  timestamp: z.string().optional(),
  nonce: z.string().optional(),
  echostr: z.string().optional().describe('Sent once, when the server URL is saved at WeChat: echoed when the signature holds'),
})

/**
 * The server URL (服务器地址) of a WeChat Official Account or mini-program, per provider: `GET` is
 * WeChat's check when the URL is saved (echo `echostr`), `POST` a push. Both must carry a valid
 * signature made with the provider's Token, else 403 and nothing is read. Pushes that are delivery
 * receipts are recorded, matched by `MsgID` to this provider's sends; everything else (people's
 * messages, other events) and receipts for unknown messages are answered `success` and dropped, as
 * WeChat expects a quick `success` or it retries (three times).
 */
async function wechatReceiptRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  fastify.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: 1_048_576 }, (_request, body, done) => done(null, body))
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const params = z.object({ providerId: z.string().min(1).max(100) })

  const signedProvider = async (providerId: string, query: z.infer<typeof WechatPushQuery>): Promise<StoredProvider> => {
    const provider = await providerById(ctx.database.db, providerId)
    const config = provider?.config
    const token = config && (config.kind === 'wechat_template' || config.kind === 'wechat_subscribe') ? config.secrets.token : undefined
    // One answer for every failure: the caller learns nothing about which providers exist.
    if (!provider || !token || !verifyWechatSignature(token, query)) throw new HttpError(403, 'Forbidden', 'The WeChat signature is not valid for this provider (its Token is set in the provider\'s secrets)')
    return provider
  }

  app.get(
    '/channels/receipts/wechat/:providerId',
    { schema: { description: "WeChat's server URL check: echoes echostr when the signature, made with the provider's Token, holds", tags: ['channels'], params, querystring: WechatPushQuery } },
    async (request, reply) => {
      await signedProvider(request.params.providerId, request.query)
      return reply.type('text/plain; charset=utf-8').send(request.query.echostr ?? '')
    },
  )

  app.post(
    '/channels/receipts/wechat/:providerId',
    {
      schema: {
        description: 'WeChat pushes (XML, plaintext or compatible mode): template message TEMPLATESENDJOBFINISH and mini-program subscribe_msg_sent_event become delivery receipts; anything else is answered success',
        tags: ['channels'],
        params,
        querystring: WechatPushQuery,
      },
    },
    async (request, reply) => {
      const provider = await signedProvider(request.params.providerId, request.query)
      if (typeof request.body !== 'string') throw new HttpError(400, 'InvalidReceipt', 'Expected the XML WeChat pushes (Content-Type: text/xml)')
      let receipts: Receipt[]
      try {
        receipts = wechatReceipts(parseWechatXml(request.body), provider.id)
      } catch (error) {
        if (error instanceof XmlRejected) throw new HttpError(400, 'InvalidReceipt', `Not a WeChat push: ${error.message}`)
        throw error
      }
      if (receipts.length > 0) await recordReceipts(ctx, provider.workspaceId, receipts)
      return reply.type('text/plain; charset=utf-8').send('success')
    },
  )
}
