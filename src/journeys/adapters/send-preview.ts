import { CHANNELS, getTemplate, previewTemplate, TemplateVariants, type Channel, type ChannelContext } from '../../channels/index.ts'
import type { JourneyDefinition, SendNode } from '../definition/schema.ts'
import { AUDIENCE_ENTERED } from '../engine/definitions.ts'
import { channelContent, messageScope } from './channels-sender.ts'

/** One channel of the template preview's answer: content, email HTML, SMS length, warnings. */
type ChannelPreview = NonNullable<Extract<Awaited<ReturnType<typeof previewTemplate>>, { kind: 'Preview' }>['channels'][Channel]>

export interface SendPreviewInput {
  workspaceId: string
  journeyId: string
  version: number
  definition: JourneyDefinition
  nodeId: string
  /** The node's channel (the default) or one of its fallbacks. */
  channel?: string
  profileId?: string
  traits?: Record<string, unknown>
  /** A sample of the entry event; its name defaults to the journey's entry event. */
  event?: { name?: string; properties: Record<string, unknown> }
}

export type SendPreview =
  | { kind: 'Preview'; channel: Channel; category: SendNode['category']; preview: ChannelPreview }
  | { kind: 'NodeNotFound' }
  | { kind: 'NotASendNode'; type: string }
  | { kind: 'ChannelNotOffered'; offered: string[] }
  | { kind: 'Undeliverable'; reason: string }
  | { kind: 'TemplateNotFound'; templateId: string }
  | { kind: 'NoVariant'; reason: string }
  | { kind: 'ProfileNotFound' }

/**
 * Renders a journey's send node for a person as its send would: the message turned into the
 * channel's content the way the sender does (a stored template, inline variants, or plain
 * content), the same Liquid scope (entry event, `journey.*`, `message.data`), tracked links, and
 * the unsubscribe footer of the node's category — through the template preview, so the answer is
 * the template preview's (fields, email HTML, SMS length and segments). Strict-variable errors are
 * thrown as `TemplateRenderError`, naming the field and variable.
 *
 * @example await previewSendNode(ctx, { workspaceId, journeyId, version: 2, definition, nodeId: 'remind', profileId, event: { properties: { sku: 'A1' } } })
 */
export async function previewSendNode(ctx: ChannelContext, input: SendPreviewInput): Promise<SendPreview> {
  const node = input.definition.nodes.find((n) => n.id === input.nodeId)
  if (!node) return { kind: 'NodeNotFound' }
  if (node.type !== 'send') return { kind: 'NotASendNode', type: node.type }
  const offered = [node.channel, ...node.fallback]
  const asked = input.channel ?? node.channel
  if (!offered.includes(asked)) return { kind: 'ChannelNotOffered', offered }
  if (!(CHANNELS as readonly string[]).includes(asked)) return { kind: 'Undeliverable', reason: `${asked} is not a channel Chorus delivers on` }
  const channel = asked as Channel

  const content = channelContent(channel, node.message)
  if (content.kind === 'Refused') return { kind: 'Undeliverable', reason: content.reason }
  let variants: TemplateVariants
  if ('templateId' in content.template) {
    const template = await getTemplate(ctx.database.db, input.workspaceId, content.template.templateId)
    if (!template) return { kind: 'TemplateNotFound', templateId: content.template.templateId }
    variants = template.variants
  } else {
    // Parsed as the send parses its inline template (defaults filled in).
    variants = TemplateVariants.parse(content.template.template)
  }
  if (!variants[channel]) return { kind: 'NoVariant', reason: `${node.message.templateId ? `Template ${node.message.templateId}` : `Node ${node.id}'s message.variants`} has no ${channel} variant` }

  // As a run carries it: the entry event's name (an audience entry is `Audience Entered`) and properties.
  const eventName = input.event?.name ?? ('event' in input.definition.entry ? input.definition.entry.event : AUDIENCE_ENTERED)
  const scope = messageScope({
    context: { event: input.event?.properties ?? {}, eventName },
    attribution: { journeyId: input.journeyId, version: input.version, nodeId: node.id },
    message: node.message,
  })
  const result = await previewTemplate(ctx, {
    template: { workspaceId: input.workspaceId, variants },
    ...(input.profileId ? { profileId: input.profileId } : {}),
    ...(input.traits ? { traits: input.traits } : {}),
    ...(scope.event ? { event: { properties: {}, ...scope.event } } : {}),
    ...(scope.journey ? { journey: scope.journey } : {}),
    ...(scope.data ? { data: scope.data } : {}),
    channels: [channel],
    category: node.category,
  })
  if (result.kind === 'ProfileNotFound') return result
  return { kind: 'Preview', channel, category: node.category, preview: result.channels[channel]! }
}
