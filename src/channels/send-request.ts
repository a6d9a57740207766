import { z } from 'zod'
import type { Clock, Database } from '../platform/index.ts'
import { Channel } from './channel.ts'
import type { BlockCode } from './contact.ts'
import { TemplateVariants } from './templates/template.ts'

/**
 * One message to one person. The idempotency key is the caller's name for this send — a journey
 * passes `journeyRun:node:attempt-scope`, a broadcast `broadcast:profile` — and Chorus sends at most
 * one message per key, whatever the retries.
 */
export const SendRequestFields = z.object({
  workspaceId: z.string().min(1),
  profileId: z.string().min(1).describe('Any profile id of the person; merges are followed'),
  channel: Channel,
  templateId: z.string().min(1).optional().describe('A stored template; or give `template` inline'),
  template: TemplateVariants.optional().describe('Inline variants, rendered like a stored template (e.g. a journey step with its own copy)'),
  category: z.enum(['marketing', 'transactional']).default('marketing').describe('Transactional messages skip channel unsubscribes and opt-in rules (never do-not-contact) and carry no List-Unsubscribe'),
  idempotencyKey: z.string().min(1).max(500).describe('Same key, same message: a retry never sends twice'),
  providerId: z.string().min(1).optional().describe("Send through this provider instead of the channel's default"),
  journeyId: z.string().min(1).optional(),
  nodeId: z.string().min(1).optional(),
  broadcastId: z.string().min(1).optional(),
  campaign: z.string().min(1).optional().describe('utm_campaign and the campaign property of message events; defaults to the journey, broadcast or template id'),
  event: z.object({ name: z.string().optional(), properties: z.record(z.string(), z.unknown()).default({}) }).optional().describe('The triggering event, as {{ event.properties.* }}'),
  journey: z.record(z.string(), z.unknown()).optional().describe('Journey context, as {{ journey.* }}'),
  data: z.record(z.string(), z.unknown()).optional().describe('Anything else, as {{ data.* }}'),
  track: z.boolean().default(true).describe('Rewrite links to tracked redirects and add the open pixel'),
})

const oneTemplate = (r: { templateId?: string | undefined; template?: unknown }) => (r.templateId === undefined) !== (r.template === undefined)
export const TEMPLATE_CHOICE = { message: 'Give templateId or an inline template (exactly one)' }

export const SendRequest = SendRequestFields.refine(oneTemplate, TEMPLATE_CHOICE)
/** The body of `POST /api/v1/channels/send`: the workspace comes from the token. */
export const SendBody = SendRequestFields.omit({ workspaceId: true }).refine(oneTemplate, TEMPLATE_CHOICE)
export type SendRequest = z.input<typeof SendRequest>

/**
 * What became of a send. `duplicate` is true when the key had been used before and this call only
 * reports the earlier outcome. `Unknown`: a provider without deduplication may or may not have
 * delivered (the process died mid-call, or the connection dropped); Chorus does not resend it.
 * `InFlight`: another process holds this key's send right now.
 */
export type SendOutcome =
  | { kind: 'Sent'; messageId: string; providerMessageId: string; duplicate: boolean }
  | { kind: 'Failed'; messageId: string; retryable: boolean; reason: string; duplicate: boolean }
  | { kind: 'Blocked'; messageId: string; code: BlockCode; reason: string; duplicate: boolean }
  | { kind: 'Unknown'; messageId: string; reason: string; duplicate: boolean }
  | { kind: 'InFlight'; messageId: string }

/** What sending needs; the server's `AppContext` is one. */
export interface ChannelContext {
  database: Database
  clock: Clock
}
