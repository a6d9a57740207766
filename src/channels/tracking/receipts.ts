import { z } from 'zod'
import { appendSystemEvents } from '../../ingest/index.ts'
import { attributionOf, findByProviderMessageId, findMessage, type OutboxRow } from '../outbox.ts'
import type { ChannelContext } from '../send-request.ts'

/** A delivery report, whichever provider sent it. */
export interface Receipt {
  /** Chorus's message id, when the provider echoes it (Aliyun `out_id`). */
  messageId?: string
  /** The provider's id for the message (Aliyun `biz_id`, Tencent `sid`, WeChat `MsgID`). */
  providerMessageId?: string
  /** The configured provider the report came for: only its messages match (WeChat receipts). */
  providerId?: string
  delivered: boolean
  code?: string
  description?: string
  /** When the handset got it (or the report was made), epoch ms. */
  at?: number
}

/** Aliyun SmsReport, HTTP batch push (https://help.aliyun.com/zh/sms/developer-reference/smsreport-2). */
export const AliyunReport = z.array(
  z.looseObject({
    phone_number: z.string().optional(),
    send_time: z.string().optional(),
    report_time: z.string().optional(),
    success: z.boolean(),
    err_code: z.string().optional(),
    err_msg: z.string().optional(),
    biz_id: z.string().optional(),
    out_id: z.string().optional(),
  }),
)

/** Tencent Cloud SMS 短信下发状态通知 (https://cloud.tencent.com/document/product/382/52077). */
export const TencentReport = z.array(
  z.looseObject({
    user_receive_time: z.string().optional(),
    nationcode: z.string().optional(),
    mobile: z.string().optional(),
    report_status: z.enum(['SUCCESS', 'FAIL']),
    errmsg: z.string().optional(),
    description: z.string().optional(),
    sid: z.string(),
  }),
)

/** Chorus's own shape, for any other provider or gateway. */
export const GenericReceipt = z
  .object({
    messageId: z.string().optional(),
    providerMessageId: z.string().optional(),
    status: z.enum(['delivered', 'failed']),
    code: z.string().optional(),
    reason: z.string().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((r) => r.messageId || r.providerMessageId, { message: 'Give messageId or providerMessageId' })
export const GenericReport = z.union([GenericReceipt.transform((r) => [r]), z.object({ receipts: z.array(GenericReceipt).max(1000) }).transform((b) => b.receipts)])

/** Both Chinese providers report local times ("2017-02-02 22:23:24"), China Standard Time. */
function chinaTime(text: string | undefined): number | undefined {
  if (!text) return undefined
  const ms = Date.parse(`${text.trim().replace(' ', 'T')}+08:00`)
  return Number.isNaN(ms) ? undefined : ms
}

export function aliyunReceipts(body: z.infer<typeof AliyunReport>): Receipt[] {
  return body.map((r) => ({
    ...(r.out_id ? { messageId: r.out_id } : {}),
    ...(r.biz_id ? { providerMessageId: r.biz_id } : {}),
    delivered: r.success,
    ...(r.err_code ? { code: r.err_code } : {}),
    ...(r.err_msg ? { description: r.err_msg } : {}),
    ...(chinaTime(r.report_time) !== undefined ? { at: chinaTime(r.report_time) } : {}),
  }))
}

export function tencentReceipts(body: z.infer<typeof TencentReport>): Receipt[] {
  return body.map((r) => ({
    providerMessageId: r.sid,
    delivered: r.report_status === 'SUCCESS',
    ...(r.errmsg ? { code: r.errmsg } : {}),
    ...(r.description ? { description: r.description } : {}),
    ...(chinaTime(r.user_receive_time) !== undefined ? { at: chinaTime(r.user_receive_time) } : {}),
  }))
}

export function genericReceipts(body: z.infer<typeof GenericReport>): Receipt[] {
  return body.map((r) => ({
    ...(r.messageId ? { messageId: r.messageId } : {}),
    ...(r.providerMessageId ? { providerMessageId: r.providerMessageId } : {}),
    delivered: r.status === 'delivered',
    ...(r.code ? { code: r.code } : {}),
    ...(r.reason ? { description: r.reason } : {}),
    ...(r.at ? { at: Date.parse(r.at) } : {}),
  }))
}

/**
 * Records delivery reports as `Message Delivered` or `Message Failed` (with `stage: "delivery"`),
 * attributed like every message event. A report for the same message and outcome is stored once.
 * Reports naming no message of this workspace are counted and returned, not stored.
 */
export async function recordReceipts(ctx: ChannelContext, workspaceId: string, receipts: Receipt[]): Promise<{ recorded: number; unmatched: Receipt[] }> {
  const db = ctx.database.db
  const unmatched: Receipt[] = []
  const matched: Array<{ row: OutboxRow; receipt: Receipt }> = []
  for (const receipt of receipts) {
    let row = receipt.messageId ? await findMessage(db, receipt.messageId) : null
    if (row && (row.workspaceId !== workspaceId || (receipt.providerId && row.providerId !== receipt.providerId))) row = null
    if (!row && receipt.providerMessageId) row = await findByProviderMessageId(db, workspaceId, receipt.providerMessageId, receipt.providerId)
    if (!row?.profileId) unmatched.push(receipt)
    else matched.push({ row, receipt })
  }
  if (matched.length === 0) return { recorded: 0, unmatched }
  const now = ctx.clock.now()
  const stored = await db.transaction().execute(async (trx) => {
    for (const { row, receipt } of matched) {
      if (receipt.delivered) await trx.updateTable('channel_messages').set({ delivered_at: receipt.at ?? now, updated_at: now }).where('id', '=', row.id).execute()
      else await trx.updateTable('channel_messages').set({ reason_code: 'Undelivered', reason: [receipt.code, receipt.description].filter(Boolean).join(' ') || 'undelivered', updated_at: now }).where('id', '=', row.id).execute()
    }
    return appendSystemEvents(
      trx,
      ctx.database.dialect,
      workspaceId,
      matched.map(({ row, receipt }) => ({
        profileId: row.profileId!,
        event: receipt.delivered ? 'Message Delivered' : 'Message Failed',
        properties: {
          ...attributionOf(row),
          provider: row.providerKind,
          ...(receipt.delivered ? {} : { stage: 'delivery', retryable: false, reason: [receipt.code, receipt.description].filter(Boolean).join(' ') || 'undelivered' }),
          ...(receipt.code ? { code: receipt.code } : {}),
        },
        timestamp: receipt.at ?? now,
        messageId: `${row.id}:${receipt.delivered ? 'delivered' : 'undelivered'}`,
        channel: row.channel,
        source: 'channels',
      })),
      now,
    )
  })
  return { recorded: stored.length, unmatched }
}
