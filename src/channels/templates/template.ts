import { z } from 'zod'

/**
 * One message, written once per channel it can go out on. Every string is a LiquidJS template
 * (see `liquid.ts` for what it may refer to); an email body is MJML (compiled to responsive HTML)
 * or plain HTML. Chinese SMS and WeChat only deliver templates approved at the provider, so their
 * variants name that template and fill its variables.
 */
const liquid = (what: string) => z.string().describe(`${what} (Liquid)`)
const fields = (what: string) => z.record(z.string().min(1), z.string()).describe(what)

export const EmailVariant = z
  .strictObject({
    subject: liquid('Subject').min(1),
    mjml: liquid('Body as MJML, compiled to HTML').optional(),
    html: liquid('Body as HTML, when not written in MJML').optional(),
    text: liquid('Plain-text alternative').optional(),
  })
  .refine((v) => (v.mjml === undefined) !== (v.html === undefined), { message: 'Give the email body as either mjml or html (exactly one)' })

export const SmsVariant = z.strictObject({
  text: liquid('The message as the person reads it, without the 【signature】; used for previews and length').min(1),
  templateCode: z.string().min(1).describe('The approved template at the provider: Aliyun TemplateCode (SMS_…) or Tencent TemplateId'),
  params: fields('Template variables by name (Aliyun) or by position "1", "2"… (Tencent); values are Liquid').default({}),
})

export const WechatVariant = z.strictObject({
  templateId: z.string().min(1).describe('template_id of the Official Account template'),
  url: liquid('Page opened on tap').optional(),
  miniprogram: z.strictObject({ appid: z.string().min(1), pagepath: liquid('Mini-program page').optional() }).optional(),
  data: fields('Template fields, e.g. {"thing1": "{{ profile.name }}"}; values are Liquid'),
})

export const WechatMiniVariant = z.strictObject({
  templateId: z.string().min(1).describe('template_id of the subscribe message template'),
  page: liquid('Mini-program page opened on tap, e.g. pages/order?id=1').optional(),
  miniprogramState: z.enum(['developer', 'trial', 'formal']).optional(),
  lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).optional(),
  data: fields('Template fields, e.g. {"thing1": "…", "time2": "…"}; values are Liquid and must meet WeChat\'s per-type limits'),
})

export const WecomVariant = z.strictObject({
  text: liquid('Message text').min(1),
  link: z.strictObject({ title: liquid('Link card title').min(1), url: liquid('Link address').min(1), desc: liquid('Card description').optional(), picurl: z.string().optional() }).optional(),
  sender: liquid('Member userid the message goes out from, e.g. {{ profile.wecom_owner }}').optional(),
})

export const WebhookVariant = z.strictObject({ fields: fields('Fields posted to the webhook; values are Liquid') })

export const InboxVariant = z.strictObject({
  title: liquid('Title').min(1),
  body: liquid('Body').min(1),
  url: liquid('Address opened on tap').optional(),
  data: fields('Extra fields for the app; values are Liquid').optional(),
})

export const TemplateVariants = z
  .strictObject({
    email: EmailVariant.optional(),
    sms: SmsVariant.optional(),
    wechat: WechatVariant.optional(),
    wechat_mini: WechatMiniVariant.optional(),
    wecom: WecomVariant.optional(),
    webhook: WebhookVariant.optional(),
    inbox: InboxVariant.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'A template needs at least one channel variant' })
export type TemplateVariants = z.infer<typeof TemplateVariants>

export const TemplateInput = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  variants: TemplateVariants,
})
export type TemplateInput = z.infer<typeof TemplateInput>

export interface StoredTemplate extends TemplateInput {
  id: string
  workspaceId: string
  createdAt: number
  updatedAt: number
}
