import { countSmsSegments } from '../../content/index.ts'
import { newId, readJson } from '../../platform/index.ts'
import { canonicalProfileId } from '../../profiles/index.ts'
import { CHANNELS, type Channel } from '../channel.ts'
import { checkWechatFields } from '../providers/wechat-fields.ts'
import type { RenderedContent } from '../provider.ts'
import { channelProvider } from '../provider-store.ts'
import type { ChannelContext } from '../send-request.ts'
import { channelSettings } from '../settings-store.ts'
import { LinkTracker } from '../tracking/links.ts'
import { trackingToken } from '../tracking/tokens.ts'
import { unsubscribeUrl, withUnsubscribeFooter } from '../tracking/unsubscribe-footer.ts'
import type { MessageCategory } from '../contact.ts'
import { renderVariant } from './render.ts'
import type { StoredTemplate } from './template.ts'

export interface SmsLength {
  /** The text counted: the provider's 【signature】 (when an SMS provider is configured) and the message. */
  counted: string
  encoding: 'gsm-7' | 'ucs-2'
  length: number
  segments: number
  perSegment: number
  /** Mainland carriers bill every character as one, 70 per message and 67 per part. */
  cnDomestic: { length: number; segments: number; perSegment: number }
}

export interface ChannelPreview {
  content: RenderedContent
  /** For email: the compiled HTML, as sent. */
  html?: string
  sms?: SmsLength
  warnings: string[]
}

export type PreviewResult = { kind: 'Preview'; channels: Partial<Record<Channel, ChannelPreview>> } | { kind: 'ProfileNotFound' }

/**
 * Renders every variant (or the chosen ones) for a person and a sample event, exactly as a send
 * would — tracked links included, so lengths are true; the preview's links lead nowhere. Throws
 * `TemplateRenderError` naming the field and variable that failed.
 *
 * @example const preview = await previewTemplate(ctx, { template, profileId, event: { name: 'Order Completed', properties: { total: 99 } } })
 */
export async function previewTemplate(
  ctx: ChannelContext,
  input: {
    /** A stored template, or inline variants with the workspace they render in (a journey's own copy). */
    template: Pick<StoredTemplate, 'workspaceId' | 'variants'>
    profileId?: string
    traits?: Record<string, unknown>
    event?: { name?: string; properties: Record<string, unknown> }
    journey?: Record<string, unknown>
    data?: Record<string, unknown>
    channels?: Channel[]
    /** As a send would be: marketing email gets the unsubscribe footer when it has no link of its own. */
    category?: MessageCategory
  },
): Promise<PreviewResult> {
  const db = ctx.database.db
  const workspaceId = input.template.workspaceId
  let profileId: string | null = null
  let traits: Record<string, unknown> = {}
  if (input.profileId) {
    profileId = await canonicalProfileId(db, workspaceId, input.profileId)
    if (!profileId) return { kind: 'ProfileNotFound' }
    const row = await db.selectFrom('profiles').select('traits').where('workspace_id', '=', workspaceId).where('id', '=', profileId).executeTakeFirst()
    traits = readJson(row?.traits, {})
  }
  traits = { ...traits, ...input.traits }
  const settings = await channelSettings(db, workspaceId, ctx.clock.now())
  const messageId = newId('msg', ctx.clock.now())
  const channels = (input.channels ?? CHANNELS).filter((c) => input.template.variants[c] !== undefined)
  const out: Partial<Record<Channel, ChannelPreview>> = {}
  for (const channel of channels) {
    const tracker = new LinkTracker((i) => `${settings.publicUrl}/r/${trackingToken(settings.secret, messageId, 'c', i)}`, settings.publicUrl)
    const rendered = await renderVariant(
      input.template.variants,
      channel,
      {
        profile: { id: profileId, traits },
        ...(input.event ? { event: input.event } : {}),
        ...(input.journey ? { journey: input.journey } : {}),
        ...(input.data ? { data: input.data } : {}),
        message: { id: messageId, channel },
        unsubscribeUrl: unsubscribeUrl(settings, messageId),
      },
      { tracker, ...(channel === 'email' ? { pixelUrl: `${settings.publicUrl}/o/${trackingToken(settings.secret, messageId, 'o')}.gif` } : {}) },
    )
    const content = withUnsubscribeFooter(rendered.content, input.category ?? 'marketing', unsubscribeUrl(settings, messageId))
    const preview: ChannelPreview = { content, warnings: [...rendered.warnings] }
    if (content.channel === 'email') preview.html = content.html
    if (content.channel === 'sms') preview.sms = await smsLength(ctx, workspaceId, content.text)
    if (content.channel === 'wechat' || content.channel === 'wechat_mini') preview.warnings.push(...checkWechatFields(content.data))
    out[channel] = preview
  }
  return { kind: 'Preview', channels: out }
}

async function smsLength(ctx: ChannelContext, workspaceId: string, text: string): Promise<SmsLength> {
  const provider = await channelProvider(ctx.database.db, workspaceId, 'sms')
  const sign = provider && 'signName' in provider.config.settings ? provider.config.settings.signName : null
  const counted = sign ? `【${sign}】${text}` : text
  const gsm = countSmsSegments(counted)
  const cn = countSmsSegments(counted, { billing: 'cn-domestic' })
  return { counted, encoding: gsm.encoding, length: gsm.length, segments: gsm.segments, perSegment: gsm.perSegment, cnDomestic: { length: cn.length, segments: cn.segments, perSegment: cn.perSegment } }
}
